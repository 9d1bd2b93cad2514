import PolicyModel

/// Where apply keeps the zone statements it has read (`ParsedZoneFolder`): in /run, beside the applied
/// records, so gone at reboot, root's only, and safe to delete at any time (the next apply then parses
/// the policy in full and writes it again). Zones are found by their text, not by the file they came
/// from, so one folder serves every policy: a copy of a policy under another path, or the next version
/// of it, finds the statements it shares with the last.
enum ParsedZonesStore {
    static let path = "/run/ztpol/parsed"

    /// The folder, its files marked with this executable's identity: another build may parse
    /// differently, so it must not use what this one kept. Nil when that identity is unknown.
    static func folder() -> ParsedZoneFolder? {
        guard let executable = ApplyInputs.identity(of: "/proc/self/exe") else { return nil }
        return ParsedZoneFolder(path: path, identity: "ztpol \(ztpolVersion) \(executable)")
    }
}
