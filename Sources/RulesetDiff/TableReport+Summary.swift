import Nftables

extension TableReport {
    /// The counts in words, most telling first: `1 rule added, 2 set elements added`; `no change`.
    public var changeSummary: String {
        let counts = diff.counts
        let parts: [(Int, String, String)] = [
            (counts.rulesAdded, "rule", "added"), (counts.rulesRemoved, "rule", "removed"),
            (counts.elementsAdded, "set element", "added"), (counts.elementsRemoved, "set element", "removed"),
            (counts.setsAdded, "set", "added"), (counts.setsRemoved, "set", "removed"),
            (counts.setsRenamed, "set", "renamed"), (counts.chainsAdded, "chain", "added"),
            (counts.chainsRemoved, "chain", "removed"), (counts.chainsRedefined, "chain", "redefined"),
            (counts.unrecognisedAdded, "unrecognised object", "added"),
            (counts.unrecognisedRemoved, "unrecognised object", "removed"),
            (counts.ruleCommentsChanged, "rule comment", "changed"),
            (counts.setCommentsChanged, "set comment", "changed"),
        ]
        let words = parts.filter { $0.0 > 0 }.map { "\(counted($0.0, $0.1)) \($0.2)" }
        return words.isEmpty ? "no change" : words.joined(separator: ", ")
    }

    /// What `apply` does (kernel) or would do on a host already at the old policy.
    public var actionSummary: String {
        switch diff.action {
        case .none: "apply commits nothing"
        case .elements: "apply sends only these set elements"
        case .comments:
            "apply rewrites these rules' comments in place" + (diff.sets.isEmpty ? "" : " and sends these set elements")
        case .replace: "apply replaces table \(tableText)"
        case .create: "apply creates table \(tableText)"
        case .delete: "no table \(tableText) for this zone any more"
        }
    }

    /// `inet ztpol`.
    public var tableText: String { "\(diff.family.rawValue) \(diff.tableName)" }
}
