import NetworkAddresses
import Nftables

/// A new connection's first packet, as the compiled chains see it.
struct TestPacket: CustomStringConvertible {
    var source: IPAddress
    var destination: IPAddress
    var proto: L4Protocol
    /// Destination port (tcp/udp) or ICMP type.
    var value: UInt16

    var family: IPFamily { source.family }
    var description: String { "\(source) -> \(destination) \(proto.name)/\(value)" }
}

/// Runs a packet through a compiled table the way nf_tables would: rules in order, jumps into regular
/// chains and back, verdict maps, a base chain's policy at its end. Independent of the compiler, so a
/// test can hold the compiled form to the policy's meaning.
struct TableInterpreter {
    let table: Table

    /// True when the base chain of `hook` accepts the packet of a new connection.
    func accepts(_ packet: TestPacket, hook: Hook) -> Bool {
        let base = table.chains.first { $0.base?.hook == hook }!
        return run(base, packet, depth: 0) ?? (base.base!.policy == .accept)
    }

    /// accept → true, drop → false, nil when the chain ran to its end.
    private func run(_ chain: Chain, _ packet: TestPacket, depth: Int) -> Bool? {
        precondition(depth < 16, "jump loop")
        for rule in chain.rules where rule.matches.allSatisfy({ holds($0, packet) }) {
            if let decided = apply(rule.verdict, packet, depth: depth) { return decided }
        }
        return nil
    }

    private func apply(_ verdict: Verdict, _ packet: TestPacket, depth: Int) -> Bool? {
        switch verdict {
        case .accept: return true
        case .drop: return false
        case .continue, .return: return nil
        case .jump(let name):
            return run(table.chains.first { $0.name == name }!, packet, depth: depth + 1)
        case .map(let map):
            guard packet.proto == map.transport,
                  let entry = map.entries.first(where: { $0.ports.first <= packet.value && packet.value <= $0.ports.last })
            else { return nil }
            return apply(entry.verdict, packet, depth: depth)
        }
    }

    private func holds(_ match: Match, _ packet: TestPacket) -> Bool {
        switch match {
        case .interface: return false  // never loopback
        case .connectionState(let state): return state.contains(.new)
        case .family(let family): return packet.family == family
        case .l4Protocol(let proto): return packet.proto == proto
        case .addressInSet(let direction, let family, let name):
            let address = direction == .source ? packet.source : packet.destination
            let set = table.sets.first { $0.name == name }!
            return packet.family == family && set.family == family && set.elements.contains { $0.contains(address) }
        case .ports(let proto, _, let ranges):
            return packet.proto == proto && ranges.contains { $0.first <= packet.value && packet.value <= $0.last }
        case .icmpTypes(let family, let types):
            let proto: L4Protocol = family == .ipv4 ? .icmp : .icmpv6
            return packet.proto == proto && types.contains(UInt8(packet.value))
        case .unrecognised: return false
        }
    }
}
