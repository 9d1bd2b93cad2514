import Foundation
import PolicyModel

/// Where apply keeps the zone statements it has read (`ParsedZones`): one file in /run, beside the
/// applied records, so gone at reboot, root's only, and safe to delete at any time (the next apply then
/// parses the policy in full and writes it again). Entries are found by their text, not by the file
/// they came from, so one file serves every policy: a copy of a policy under another path, or the
/// next version of it, finds the statements it shares with the last.
enum ParsedZonesStore {
    static let path = "/run/ztpol/parsed-zones"

    /// The file, marked with this executable's identity: another build may parse differently, so it must
    /// not use what this one kept. Nil when that identity is unknown.
    static func file() -> ParsedZonesFile? {
        guard let executable = ApplyInputs.identity(of: "/proc/self/exe") else { return nil }
        return ParsedZonesFile(path: path, identity: "ztpol \(ztpolVersion) \(executable)")
    }
}
