import Netlink
import NetworkAddresses
import PolicyLanguage
import PolicyModel

/// Which zones of a policy this host belongs to: given with `--zone`, or found from its addresses.
enum HostZones {
    enum Failure: Error, CustomStringConvertible {
        case unknownZone(String, known: [String])
        /// `namespace`: the `--netns` namespace whose addresses were looked at, if any.
        case inNoZone(addresses: [IPAddress], zones: [String], namespace: String?)

        var description: String {
            switch self {
            case .unknownZone(let name, let known):
                return Suggestions.unknownZone(name, in: "the policy", known: known)
            case .inNoZone(let addresses, let zones, let namespace):
                let who = namespace.map { "network namespace '\($0)'" } ?? "this machine"
                let found = addresses.isEmpty ? "it has no address (loopback and link-local left out)"
                    : "its addresses \(addresses.map(\.description).joined(separator: ", ")) "
                        + "(loopback and link-local left out) are in none of them"
                return "\(who) is in no zone of the policy (\(zones.joined(separator: ", "))): \(found); "
                    + "add one of its addresses to a zone, or name the host's zone with --zone NAME"
            }
        }
    }

    /// The names given with `--zone` (checked), else every zone containing one of this host's addresses
    /// — the addresses of network namespace `namespace` when one is named (`--netns`).
    static func resolve(_ policy: Policy, given: [String], namespace: String? = nil) throws -> [String] {
        if !given.isEmpty {
            for name in given where policy.zone(named: name) == nil {
                throw Failure.unknownZone(name, known: policy.zones.map(\.name))
            }
            return given
        }
        let addresses = try InterfaceAddresses.current(in: namespace)
        let zones = policy.zones(containing: addresses).map(\.name)
        guard !zones.isEmpty else {
            throw Failure.inNoZone(addresses: addresses, zones: policy.zones.map(\.name), namespace: namespace)
        }
        return zones
    }
}
