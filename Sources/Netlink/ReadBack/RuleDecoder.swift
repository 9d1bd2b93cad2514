import CNetfilter
import NetworkAddresses
import Nftables

/// Turns a rule's expressions back into matches, statements and a verdict: the inverse of
/// `RuleMessages`. What does not fit a known pattern is kept, in order, as `.unrecognised`.
struct RuleDecoder {
    /// The anonymous sets of the table (`__set0`, ...), whose elements a lookup stands for.
    let anonymousSets: [String: ReadSet]

    func decode(_ all: [Expression], comment: String?) -> Rule {
        var expressions = all[...]
        // Statements sit at the end, in the order ztpol writes them: counter, limit + log, verdict (an
        // `immediate`, or a map's protocol check, port and lookup).
        var verdict = Verdict.continue
        var map: TrailingMap?
        if let last = expressions.last, case .verdict(let code, let chain) = last.kind,
           let decoded = RuleDecoder.verdict(code: code, chain: chain) {
            verdict = decoded
            expressions.removeLast()
        } else if let trailing = trailingMap(expressions) {
            map = trailing
            expressions.removeLast(trailing.count)
        }
        var log: LogStatement?
        if expressions.count >= 2, case .log(let prefix) = expressions[expressions.endIndex - 1].kind,
           case .limit(let rate, 60, 5, 0, 0) = expressions[expressions.endIndex - 2].kind, rate <= UInt32.max {
            log = LogStatement(prefix: prefix, ratePerMinute: UInt32(rate))
            expressions.removeLast(2)
        }
        var counter = false
        if case .counter = expressions.last?.kind {
            counter = true
            expressions.removeLast()
        }
        let matches = matches(in: Array(expressions))
        if let map {
            // Without a check of its own, the map's protocol is the last one the matches checked.
            let established = matches.compactMap { if case .l4Protocol(let proto) = $0 { proto } else { nil } }.last
            guard let transport = map.transport ?? established, transport == .tcp || transport == .udp else {
                // Not a map ztpol writes: the expressions stay what they are.
                return Rule(self.matches(in: all), verdict: .continue, comment: comment).canonical
            }
            verdict = .map(VerdictMap(transport: transport, direction: map.direction, entries: map.entries))
        }
        let rule = Rule(matches, counter: counter, log: log, verdict: verdict, comment: comment)
        return rule.canonical
    }

    static func verdict(code: Int32, chain: String?) -> Verdict? {
        KernelVerdict(code: code, chain: chain).verdict
    }

    /// A rule's map verdict as read from its last expressions.
    private struct TrailingMap {
        /// Set when the map's own `meta l4proto` check precedes the port.
        var transport: L4Protocol?
        var direction: Direction
        var entries: [VerdictMap.Entry]
        /// Expressions it takes: port and lookup, and the protocol check with `transport`.
        var count: Int
    }

    /// `[meta l4proto] [cmp eq] [payload port] [lookup → verdict]` at the end of the rule, the protocol
    /// check being optional, into an anonymous verdict map of ports.
    private func trailingMap(_ expressions: ArraySlice<Expression>) -> TrailingMap? {
        let kinds = Array(expressions.suffix(4).map(\.kind))
        guard kinds.count >= 2, case .verdictLookup(let name) = kinds[kinds.count - 1],
              case .payload(.port(let direction)) = kinds[kinds.count - 2],
              let set = anonymousSets[name], set.isAnonymous, let entries = set.portVerdictMap else { return nil }
        var map = TrailingMap(direction: direction, entries: entries, count: 2)
        if kinds.count == 4, case .meta(let key) = kinds[0], key == NFT_META_L4PROTO.rawValue,
           case .compare(let operation, let data) = kinds[1], operation == NFT_CMP_EQ.rawValue, data.count == 1,
           let proto = L4Protocol(rawValue: data[0]), proto == .tcp || proto == .udp {
            map.transport = proto
            map.count = 4
        }
        return map
    }

    // MARK: Matches

    private func matches(in expressions: [Expression]) -> [Match] {
        var matches: [Match] = []
        var state = Established()
        var unknown: [String] = []
        var index = 0
        while index < expressions.count {
            if let (match, count) = match(at: index, in: expressions, state: state) {
                if !unknown.isEmpty {
                    matches.append(.unrecognised(unknown.map { "[\($0)]" }.joined(separator: " ")))
                    unknown = []
                }
                matches.append(match)
                state.note(match)
                index += count
            } else {
                unknown.append(expressions[index].text)
                index += 1
            }
        }
        if !unknown.isEmpty { matches.append(.unrecognised(unknown.map { "[\($0)]" }.joined(separator: " "))) }
        return matches
    }

    /// The family and transport protocol checked so far in the rule.
    private struct Established {
        var family: IPFamily?
        var l4Protocol: L4Protocol?

        mutating func note(_ match: Match) {
            switch match {
            case .family(let family): self.family = family
            case .l4Protocol(let proto): l4Protocol = proto
            default: break
            }
        }
    }

    /// The match that starts at `index`, and how many expressions it takes.
    private func match(at index: Int, in expressions: [Expression], state: Established) -> (Match, Int)? {
        let rest = expressions[index...].map(\.kind)
        guard rest.count >= 2 else { return nil }
        switch (rest[0], rest[1]) {
        case (.meta(let key), .compare(let operation, let data)) where operation == NFT_CMP_EQ.rawValue:
            return meta(key: key, data: data).map { ($0, 2) }
        case (.connectionTracking(let key), .bitwise(let mask, let xor)) where key == NFT_CT_STATE.rawValue:
            guard rest.count >= 3, case .compare(let operation, let zero) = rest[2], operation == NFT_CMP_NEQ.rawValue,
                  zero == [0, 0, 0, 0], xor == [0, 0, 0, 0], mask.count == 4 else { return nil }
            let bits = mask.withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }
            return (.connectionState(ConnectionState(rawValue: bits)), 3)
        case (.payload(.address(let direction, let family)), .lookup(let set)):
            guard state.family == family, anonymousSets[set] == nil else { return nil }
            return (.addressInSet(direction, family, set: set), 2)
        case (.payload(.port(let direction)), _):
            guard let proto = state.l4Protocol, proto == .tcp || proto == .udp,
                  let (ranges, count) = portRanges(rest.dropFirst()) else { return nil }
            return (.ports(proto, direction, ranges), count + 1)
        case (.payload(.icmpType), _):
            guard let proto = state.l4Protocol, proto == .icmp || proto == .icmpv6,
                  let (types, count) = icmpTypes(rest.dropFirst()) else { return nil }
            return (.icmpTypes(proto == .icmp ? .ipv4 : .ipv6, types), count + 1)
        default:
            return nil
        }
    }

    private func meta(key: UInt32, data: [UInt8]) -> Match? {
        switch key {
        case NFT_META_IIFNAME.rawValue, NFT_META_OIFNAME.rawValue:
            // The whole 16-byte name, NUL-padded; a shorter compare is a wildcard like "eth*".
            guard data.count == 16, let end = data.firstIndex(of: 0), end > 0,
                  data[end...].allSatisfy({ $0 == 0 }) else { return nil }
            let name = String(decoding: data[..<end], as: UTF8.self)
            return .interface(key == NFT_META_IIFNAME.rawValue ? .source : .destination, name: name)
        case NFT_META_NFPROTO.rawValue where data == [UInt8(NFPROTO_IPV4)]: return .family(.ipv4)
        case NFT_META_NFPROTO.rawValue where data == [UInt8(NFPROTO_IPV6)]: return .family(.ipv6)
        case NFT_META_L4PROTO.rawValue where data.count == 1:
            return L4Protocol(rawValue: data[0]).map { .l4Protocol($0) }
        default: return nil
        }
    }

    /// `== port`, `>= first, <= last`, or a lookup in an anonymous set of ports.
    private func portRanges(_ rest: ArraySlice<Expression.Kind>) -> ([PortRange], Int)? {
        let port = { (data: [UInt8]) -> UInt16? in data.count == 2 ? UInt16(data[0]) << 8 | UInt16(data[1]) : nil }
        var items = rest.makeIterator()
        switch items.next() {
        case .compare(let operation, let data) where operation == NFT_CMP_EQ.rawValue:
            return port(data).map { ([PortRange($0)], 1) }
        case .compare(let operation, let data) where operation == NFT_CMP_GTE.rawValue:
            guard case .compare(let second, let upper) = items.next(), second == NFT_CMP_LTE.rawValue,
                  let first = port(data), let last = port(upper), first <= last else { return nil }
            return ([PortRange(first, last)], 2)
        case .lookup(let name):
            guard let set = anonymousSets[name], set.keyLength == 2 else { return nil }
            let ranges = set.ranges(maximum: UInt128(UInt16.max)).map { PortRange(UInt16($0.first), UInt16($0.last)) }
            return ranges.isEmpty ? nil : (ranges, 1)
        default:
            return nil
        }
    }

    /// `== type` or a lookup in an anonymous set of types.
    private func icmpTypes(_ rest: ArraySlice<Expression.Kind>) -> ([UInt8], Int)? {
        switch rest.first {
        case .compare(let operation, let data) where operation == NFT_CMP_EQ.rawValue && data.count == 1:
            return ([data[0]], 1)
        case .lookup(let name):
            guard let set = anonymousSets[name], set.keyLength == 1, !set.isInterval, !set.keys.isEmpty else {
                return nil
            }
            return (set.keys.map { UInt8($0.key) }.sorted(), 1)
        default:
            return nil
        }
    }
}
