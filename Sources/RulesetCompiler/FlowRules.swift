import NetworkAddresses
import Nftables
import PolicyModel

/// Turns the flows that concern one host into its input and output rules in the service-first form:
/// per transport, one verdict map from destination port to a chain of address checks (`PortDispatch`),
/// then the ICMP rules. Each zone and address literal is one named set per family, shared by all rules.
struct FlowRules {
    let policy: Policy
    /// Every address of the zones the host belongs to.
    let hostAddresses: AddressSet
    private var addresses: AddressMatches
    /// The port chains the maps jump to, in the order they were made.
    private(set) var portChains: [Chain] = []

    var sets: [NamedSet] { addresses.sets.sets }
    var zoneSetUse: ZoneSetUse { addresses.zoneSetUse }

    init(policy: Policy, hostAddresses: AddressSet) {
        self.policy = policy
        self.hostAddresses = hostAddresses
        self.addresses = AddressMatches(policy: policy)
    }

    /// The flow rules of `hook`'s base chain (input: the host is a destination; output: a source).
    mutating func rules(for hook: Hook) -> [Rule] {
        let grants = Grant.all(in: policy, hostAddresses: hostAddresses, hook: hook)
        let file = policy.path.split(separator: "/").last.map(String.init) ?? policy.path
        var rules: [Rule] = []
        for transport in TransportProtocol.allCases {
            let dispatch = PortDispatch(grants, transport: transport, hook: hook, addresses: &addresses, file: file)
            if let map = dispatch.mapRule { rules.append(map) }
            portChains += dispatch.chains
        }
        return rules + ICMPRules.rules(grants, hook: hook, addresses: &addresses, file: file)
    }
}
