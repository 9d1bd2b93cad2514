import NetworkAddresses

// In an `inet` table a header field can only be read once the packet's family (`meta nfproto`) and
// transport (`meta l4proto`) are known, so nft puts those checks in front of the field and hides them
// again when it lists the rule. An explicit `.family` or `.l4Protocol` match that a later match
// already implies is therefore invisible in the kernel: writing it or not gives the same expressions.
// The canonical form drops such matches, so that a table read back from the kernel, a compiled table
// and the text nft lists can be compared for equality. A verdict map (`tcp dport vmap`) implies its
// protocol too, but nft hides an explicit check for it only when no counter or log stands between.

extension Match {
    /// The packet family this match can only hold for (and which nft checks first).
    public var impliedFamily: IPFamily? {
        switch self {
        case .addressInSet(_, let family, _), .icmpTypes(let family, _): family
        default: nil
        }
    }

    /// The transport protocol this match can only hold for (and which nft checks first).
    public var impliedProtocol: L4Protocol? {
        switch self {
        case .ports(let proto, _, _): proto
        case .icmpTypes(let family, _): family == .ipv4 ? .icmp : .icmpv6
        default: nil
        }
    }
}

extension Rule {
    /// The rule without `.family`/`.l4Protocol` matches that a later match implies, and with ICMP
    /// types in order (an anonymous set has no order).
    public var canonical: Rule {
        var copy = self
        var mapProtocol: L4Protocol?
        if case .map(let map) = verdict, !counter, log == nil { mapProtocol = map.transport }
        copy.matches = matches.enumerated().compactMap { index, match in
            let later = matches[(index + 1)...]
            switch match {
            case .family(let family) where later.contains(where: { $0.impliedFamily == family }):
                return nil
            case .l4Protocol(let proto) where later.contains(where: { $0.impliedProtocol == proto })
                || proto == mapProtocol:
                return nil
            case .icmpTypes(let family, let types):
                return .icmpTypes(family, types.sorted())
            default:
                return match
            }
        }
        return copy
    }
}

extension Table {
    /// The table with every rule in its canonical form: what reading it back from the kernel gives.
    public var canonical: Table {
        var copy = self
        copy.chains = chains.map { chain in
            var chain = chain
            chain.rules = chain.rules.map(\.canonical)
            return chain
        }
        return copy
    }
}
