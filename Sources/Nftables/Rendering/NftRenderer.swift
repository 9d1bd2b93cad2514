import NetworkAddresses

/// Prints a `Table` in nft's syntax, laid out the way `nft list table` lists it, so that what ztpol
/// compiles, what `nft -f` loads and what the kernel holds can be compared as text.
public struct NftRenderer: Sendable {
    /// How counters are printed.
    public enum Counters: Sendable, Hashable {
        /// `counter packets 0 bytes 0`, as nft lists a table that was just loaded.
        case zeroed
        /// `counter`, as a person writes it.
        case bare
    }

    public var counters: Counters

    public init(counters: Counters = .zeroed) {
        self.counters = counters
    }

    /// The whole table, ending in a newline: loadable with `nft -f`, and equal to what `nft list table`
    /// prints after loading it (for a canonical table; see `Table.canonical`).
    public func render(_ table: Table) -> String {
        // Sets are written as bytes: a 100k-prefix policy compiles to 100k intervals, and
        // appending each to a String costs more than compiling them.
        var text: [UInt8] = []
        text.reserveCapacity(table.sets.reduce(256) { $0 + 80 + $1.elements.count * (32 + $1.family.bitWidth / 4) })
        text += "table \(table.family.rawValue) \(table.name) {\n".utf8
        for (index, set) in table.sets.enumerated() {
            if index > 0 { text += "\n".utf8 }
            appendSetBlock(set, to: &text)
        }
        for (index, chain) in table.chains.enumerated() {
            if index > 0 || !table.sets.isEmpty { text += "\n".utf8 }
            text += chainBlock(chain).utf8
        }
        // Objects the model cannot express, as comments: they are not ztpol's to write.
        for note in table.unrecognised { text += "\t# unrecognised: \(note)\n".utf8 }
        text += "}\n".utf8
        return String(decoding: text, as: UTF8.self)
    }

    /// One set's block, indented as inside a table.
    func appendSetBlock(_ set: NamedSet, to text: inout [UInt8]) {
        text += "\tset \(set.name) {\n\t\ttype \(set.keyType)\n\t\tflags interval\n".utf8
        if let comment = set.comment { text += "\t\tcomment \(NftSymbols.quoted(comment))\n".utf8 }
        if !set.elements.isEmpty {
            // nft puts two IPv4 elements on a line and one IPv6 element.
            let perLine = set.family == .ipv4 ? 2 : 1
            text += "\t\telements = { ".utf8
            for (index, element) in set.elements.enumerated() {
                if index > 0 { text += index % perLine == 0 ? ",\n\t\t\t     ".utf8 : ", ".utf8 }
                NftSymbols.append(element, to: &text)
            }
            text += " }\n".utf8
        }
        text += "\t}\n".utf8
    }

    /// One chain's block, indented as inside a table.
    func chainBlock(_ chain: Chain) -> String {
        var text = "\tchain \(chain.name) {\n"
        if let base = chain.base { text += "\t\t\(baseDeclaration(base))\n" }
        for rule in chain.rules { text += "\t\t\(ruleText(rule))\n" }
        return text + "\t}\n"
    }

    /// `type filter hook input priority filter; policy drop;`
    public func baseDeclaration(_ base: Chain.Base) -> String {
        "type filter hook \(base.hook.rawValue) priority \(NftSymbols.priority(base.priority, hook: base.hook)); "
            + "policy \(verdictText(base.policy));"
    }

    /// A rule as nft lists it: matches, counter, log, verdict, comment.
    public func ruleText(_ rule: Rule) -> String {
        var parts = rule.matches.map(matchText)
        if rule.counter { parts.append(counters == .zeroed ? "counter packets 0 bytes 0" : "counter") }
        if let log = rule.log {
            parts.append("limit rate \(log.ratePerMinute)/minute log prefix \(NftSymbols.quoted(log.prefix))")
        }
        let verdict = verdictText(rule.verdict)
        if !verdict.isEmpty { parts.append(verdict) }
        if let comment = rule.comment { parts.append("comment \(NftSymbols.quoted(comment))") }
        return parts.joined(separator: " ")
    }

    /// One match in nft's words, e.g. `ip saddr @web_v4` or `tcp dport { 80, 443 }`.
    public func matchText(_ match: Match) -> String {
        switch match {
        case .interface(let direction, let name):
            return "\(direction == .source ? "iifname" : "oifname") \(NftSymbols.quoted(name))"
        case .connectionState(let state):
            return "ct state \(stateText(state))"
        case .family(let family):
            return "meta nfproto \(family.rawValue)"
        case .l4Protocol(let proto):
            return "meta l4proto \(proto.name)"
        case .addressInSet(let direction, let family, let set):
            return "\(family == .ipv4 ? "ip" : "ip6") \(direction == .source ? "saddr" : "daddr") @\(set)"
        case .ports(let proto, let direction, let ranges):
            let field = "\(proto.name) \(direction == .source ? "sport" : "dport")"
            return "\(field) \(braced(ranges.map(\.description)))"
        case .icmpTypes(let family, let types):
            let field = family == .ipv4 ? "icmp type" : "icmpv6 type"
            // nft lists the members of an anonymous set in value order.
            return "\(field) \(braced(types.sorted().map { NftSymbols.icmpType($0, family: family) }))"
        case .unrecognised(let expressions):
            return "<unrecognised \(expressions)>"
        }
    }

    /// `accept`, `jump helper`; empty for `.continue`, which nft lists as no verdict at all.
    public func verdictText(_ verdict: Verdict) -> String {
        switch verdict {
        case .accept: "accept"
        case .drop: "drop"
        case .jump(let chain): "jump \(chain)"
        case .return: "return"
        case .continue: ""
        case .map(let map): mapText(map)
        }
    }

    /// `tcp dport vmap { 22 : jump input_tcp_22, 5840-6312 : jump input_tcp_5840_6312 }`, entries in
    /// port order as nft lists an anonymous map.
    func mapText(_ map: VerdictMap) -> String {
        let field = "\(map.transport.name) \(map.direction == .source ? "sport" : "dport")"
        let entries = map.entries.map { "\($0.ports) : \(verdictText($0.verdict))" }
        return "\(field) vmap { \(entries.joined(separator: ", ")) }"
    }

    /// A single value as is, several as an anonymous set.
    private func braced(_ items: [String]) -> String {
        items.count == 1 ? items[0] : "{ \(items.joined(separator: ", ")) }"
    }

    /// The states in the kernel's bit order, as nft lists them.
    private func stateText(_ state: ConnectionState) -> String {
        let names: [(ConnectionState, String)] = [
            (.invalid, "invalid"), (.established, "established"), (.related, "related"), (.new, "new"),
            (.untracked, "untracked"),
        ]
        return names.filter { state.contains($0.0) }.map(\.1).joined(separator: ",")
    }
}
