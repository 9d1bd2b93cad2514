import NetworkAddresses
import Nftables
import PolicyModel

/// Turns an endpoint pair into address matches on named sets: one set per zone or address literal and
/// family, shared by every rule that names it, so a zone's addresses are loaded into the kernel once.
struct AddressMatches {
    let policy: Policy
    var sets = SetAllocator()
    /// Matches already made: a pair recurs in every port chain it is allowed in.
    private var made: [MadeKey: [Match]?] = [:]

    /// The set of each endpoint and family (nil: none of that family), so that the allocator, which
    /// compares whole element lists, is asked once per zone and not once per pair naming it.
    private var setOfEndpoint: [EndpointFamily: String?] = [:]

    /// What the sets were made from, zone by zone.
    var zoneSetUse: ZoneSetUse {
        var use = ZoneSetUse(sharedSets: sets.sharedSets)
        for (key, name) in setOfEndpoint {
            if case .zone(let zone) = key.endpoint { use.zones[zone, default: [:]][key.family] = .some(name) }
        }
        return use
    }

    private struct EndpointFamily: Hashable {
        let endpoint: Endpoint
        let family: IPFamily
    }

    private struct MadeKey: Hashable {
        let pair: EndpointPair
        let family: IPFamily
        let hook: Hook
    }

    init(policy: Policy) { self.policy = policy }

    /// `ip saddr @ra_v4 ip daddr @web_v4` for input (peer is the source), the reverse for output; no
    /// match for an `any` end; nil when an end has no address of `family`.
    mutating func matches(_ pair: EndpointPair, family: IPFamily, hook: Hook) -> [Match]? {
        let key = MadeKey(pair: pair, family: family, hook: hook)
        if let known = made[key] { return known }
        let result = makeMatches(pair, family: family, hook: hook)
        made[key] = result
        return result
    }

    /// The pair's address matches for each family in which both ends have addresses, or a single empty
    /// list for `any -> any`, which needs no family: one port-chain rule each.
    mutating func everyFamily(_ pair: EndpointPair, hook: Hook) -> [[Match]] {
        if pair.isFamilyFree { return [[]] }
        return [IPFamily.ipv4, .ipv6].compactMap { matches(pair, family: $0, hook: hook) }
    }

    private mutating func makeMatches(_ pair: EndpointPair, family: IPFamily, hook: Hook) -> [Match]? {
        let peerDirection: Direction = hook == .input ? .source : .destination
        let hostDirection: Direction = hook == .input ? .destination : .source
        var ends = [(peerDirection, pair.peer), (hostDirection, pair.host)]
        // nft lists saddr before daddr; keep that order so that rules read the same way in both chains.
        if ends[0].0 == .destination { ends.reverse() }
        var matches: [Match] = []
        for (direction, endpoint) in ends where endpoint != .any {
            guard let name = setName(endpoint, family: family) else { return nil }
            matches.append(.addressInSet(direction, family, set: name))
        }
        return matches
    }

    /// The set holding `endpoint`'s addresses of `family`; nil when it has none.
    private mutating func setName(_ endpoint: Endpoint, family: IPFamily) -> String? {
        let key = EndpointFamily(endpoint: endpoint, family: family)
        if let known = setOfEndpoint[key] { return known }
        var name: String?
        if let addresses = Grant.addresses(of: endpoint, in: policy), !addresses.ranges(family).isEmpty {
            // A literal's set is named after its text: `addr_10_0_0_5_v4`.
            let preferred = endpoint.isLiteral ? "addr_" + endpoint.description : endpoint.description
            name = sets.set(for: addresses, family: family, preferredName: preferred, comment: endpoint.description)
        }
        setOfEndpoint[key] = name
        return name
    }

}

extension Endpoint {
    var isLiteral: Bool {
        if case .literal = self { true } else { false }
    }
}
