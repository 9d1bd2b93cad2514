import NetworkAddresses

/// One-line nft commands, one per object, for diffs (`+ add rule inet ztpol input ...`). Each line
/// loads on its own with `nft -f` once the objects before it exist. Counters are printed bare: their
/// values are state, not policy.
extension NftRenderer {
    /// `add table inet ztpol`
    public func tableStatement(_ table: Table) -> String {
        "add table \(table.family.rawValue) \(table.name)"
    }

    /// `add set inet ztpol web_v4 { type ipv4_addr; flags interval; comment "zone web"; }`
    public func setStatement(_ set: NamedSet, in table: Table) -> String {
        var body = "type \(set.keyType); flags interval;"
        if let comment = set.comment { body += " comment \(NftSymbols.quoted(comment));" }
        return "add set \(table.family.rawValue) \(table.name) \(set.name) { \(body) }"
    }

    /// `add element inet ztpol web_v4 { 10.0.0.0/24, 10.0.1.5 }`
    public func elementStatement(_ elements: [AddressRange], set: String, in table: Table) -> String {
        let items = elements.map(NftSymbols.range).joined(separator: ", ")
        return "add element \(table.family.rawValue) \(table.name) \(set) { \(items) }"
    }

    /// `add chain inet ztpol input { type filter hook input priority filter; policy drop; }`
    public func chainStatement(_ chain: Chain, in table: Table) -> String {
        let head = "add chain \(table.family.rawValue) \(table.name) \(chain.name)"
        guard let base = chain.base else { return head }
        return "\(head) { \(baseDeclaration(base)) }"
    }

    /// `add rule inet ztpol input ip saddr @web_v4 tcp dport 443 accept comment "..."`
    public func ruleStatement(_ rule: Rule, chain: String, in table: Table) -> String {
        let bare = NftRenderer(counters: .bare)
        return "add rule \(table.family.rawValue) \(table.name) \(chain) \(bare.ruleText(rule))"
    }

    /// An element as nft writes it: `10.0.0.1`, `10.0.0.0/24` or `10.0.0.5-10.0.0.9`.
    public func elementText(_ element: AddressRange) -> String { NftSymbols.range(element) }

    /// The whole table as commands in load order: table, sets with their elements, chains, rules.
    public func statements(_ table: Table) -> [String] {
        headStatements(table) + table.chains.flatMap { ruleStatements(of: $0, in: table) }
    }

    /// What comes before the rules: the table, its sets with their elements, its chains.
    func headStatements(_ table: Table) -> [String] {
        var lines = [tableStatement(table)]
        for set in table.sets {
            lines.append(setStatement(set, in: table))
            if !set.elements.isEmpty { lines.append(elementStatement(set.elements, set: set.name, in: table)) }
        }
        return lines + table.chains.map { chainStatement($0, in: table) }
    }

    /// One chain's rules, in order.
    func ruleStatements(of chain: Chain, in table: Table) -> [String] {
        chain.rules.map { ruleStatement($0, chain: chain.name, in: table) }
    }
}
