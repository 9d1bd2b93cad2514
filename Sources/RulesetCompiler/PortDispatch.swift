import NetworkAddresses
import Nftables
import PolicyModel

/// The service-first form of one base chain's port flows: a verdict map on the destination port picks
/// the chain that holds the address checks for that port, so a new connection costs one map lookup
/// plus the rules of its own port, however many flows the policy has.
///
/// Ports are cut into atoms (maximal runs of ports that the same grants cover); atoms whose address
/// rules are the same share one chain, and adjacent atoms of one chain become one map entry.
struct PortDispatch {
    /// `tcp dport vmap { ... }`, or nil when no grant of `transport` concerns the host.
    let mapRule: Rule?
    /// The chains the map jumps to, in port order.
    let chains: [Chain]

    init(_ grants: [Grant], transport: TransportProtocol, hook: Hook, addresses: inout AddressMatches,
         file: String) {
        let proto: L4Protocol = transport == .tcp ? .tcp : .udp
        // Each distinct address rule once, by number: atoms, chains and comments then work on integers.
        // Two pairs whose matches are the same (zones with the same addresses share a set) are one rule.
        var ruleMatches: [[Match]] = []
        var ruleOfMatches: [[Match]: Int] = [:]
        var rulesOfPair: [EndpointPair: [Int]] = [:]
        var covering: [(ports: PortRange, grant: Int)] = []
        for (index, grant) in grants.enumerated() {
            guard case .ports(let itemTransport, let ranges) = grant.item, itemTransport == transport else { continue }
            if rulesOfPair[grant.pair] == nil {
                rulesOfPair[grant.pair] = addresses.everyFamily(grant.pair, hook: hook).map {
                    if let known = ruleOfMatches[$0] { return known }
                    ruleOfMatches[$0] = ruleMatches.count
                    ruleMatches.append($0)
                    return ruleMatches.count - 1
                }
            }
            covering += ranges.map { ($0, index) }
        }
        var chainOfContent: [[Int]: Int] = [:]
        var contents: [[Int]] = []
        var origins: [[Int: RuleOrigins]] = []  // per chain: the flows behind each rule
        var entries: [(ports: PortRange, chain: Int)] = []
        for atom in PortDispatch.atoms(covering.map(\.ports)) {
            // Grants in policy order, so that rules keep the order of the flows they come from.
            let indices = covering.filter { $0.ports.first <= atom.first && atom.last <= $0.ports.last }
                .map(\.grant).sorted()
            var rules: [Int] = []
            var seen = Set<Int>()
            for index in indices {
                for rule in rulesOfPair[grants[index].pair] ?? [] where seen.insert(rule).inserted {
                    rules.append(rule)
                }
            }
            guard !rules.isEmpty else { continue }
            let chain: Int
            if let known = chainOfContent[rules] {
                chain = known
            } else {
                chain = contents.count
                chainOfContent[rules] = chain
                contents.append(rules)
                origins.append([:])
            }
            for index in indices {
                for rule in rulesOfPair[grants[index].pair] ?? [] {
                    origins[chain][rule, default: RuleOrigins()].add(grants[index], hook: hook)
                }
            }
            if let last = entries.last, last.chain == chain, Int(last.ports.last) + 1 == Int(atom.first) {
                entries[entries.count - 1].ports = PortRange(last.ports.first, atom.last)
            } else {
                entries.append((atom, chain))
            }
        }
        // Grants whose ends share no family give no rules; a map needs entries.
        guard !entries.isEmpty else {
            mapRule = nil
            chains = []
            return
        }
        let names = contents.indices.map { chain in
            PortDispatch.chainName(hook: hook, transport: transport,
                                   ports: entries.filter { $0.chain == chain }.map(\.ports))
        }
        chains = contents.indices.map { chain in
            let rules = contents[chain].map { rule in
                Rule(ruleMatches[rule], verdict: .accept, comment: origins[chain][rule]?.comment(file: file))
            }
            return Chain(name: names[chain], rules: rules)
        }
        let map = VerdictMap(transport: proto, entries: entries.map {
            VerdictMap.Entry(ports: $0.ports, verdict: .jump(names[$0.chain]))
        })
        mapRule = Rule([], verdict: .map(map), comment: "\(transport.rawValue) flows by destination port")
    }

    /// `input_tcp_443`, `input_tcp_80_443`, `output_udp_5840_to_6312`: the ports a chain serves, as far
    /// as they fit. Entries are disjoint, so the first port alone already makes the name unique.
    static func chainName(hook: Hook, transport: TransportProtocol, ports: [PortRange]) -> String {
        var name = "\(hook.rawValue)_\(transport.rawValue)"
        for (index, range) in ports.enumerated() {
            let part = range.first == range.last ? "_\(range.first)" : "_\(range.first)_to_\(range.last)"
            if index > 0 && name.count + part.count > 48 { return name + "_etc" }
            name += part
        }
        return name
    }

    /// The maximal runs of ports over which the same ranges apply, in port order (ports no range
    /// covers are left out).
    static func atoms(_ ranges: [PortRange]) -> [PortRange] {
        var cuts = Set<Int>()
        for range in ranges {
            cuts.insert(Int(range.first))
            cuts.insert(Int(range.last) + 1)
        }
        let points = cuts.sorted()
        var atoms: [PortRange] = []
        for (start, end) in zip(points, points.dropFirst()) {
            let atom = PortRange(UInt16(start), UInt16(end - 1))
            if ranges.contains(where: { $0.first <= atom.first && atom.last <= $0.last }) { atoms.append(atom) }
        }
        return atoms
    }
}

/// The flows a rule stands for, for its comment: `webserver.zt:9,12: ra -> web, services -> web https`.
struct RuleOrigins {
    private var lines: [Int] = []
    private var pairs: [String] = []
    private var services: [String] = []

    mutating func add(_ grant: Grant, hook: Hook) {
        if !lines.contains(grant.line) { lines.append(grant.line) }
        let pair = grant.pair.text(for: hook)
        if !pairs.contains(pair) { pairs.append(pair) }
        for service in grant.services where !services.contains(service) { services.append(service) }
    }

    func comment(file: String) -> String {
        let lineList = lines.sorted().map(String.init).joined(separator: ",")
        return FittingText.comment("\(file):\(lineList): \(pairs.joined(separator: ", ")) "
                                   + services.joined(separator: ", "))
    }
}
