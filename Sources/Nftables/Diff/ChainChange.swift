/// How one chain differs.
public enum ChainChange: Sendable, Hashable {
    case added(Chain)
    case removed(Chain)
    /// The hook, priority or policy changed (`base`), or its rules did.
    case changed(chain: String, base: (before: Chain.Base?, after: Chain.Base?)?, rules: [RuleChange])

    public var chainName: String {
        switch self {
        case .added(let chain), .removed(let chain): chain.name
        case .changed(let name, _, _): name
        }
    }

    public static func == (lhs: ChainChange, rhs: ChainChange) -> Bool {
        switch (lhs, rhs) {
        case (.added(let a), .added(let b)), (.removed(let a), .removed(let b)): a == b
        case (.changed(let n1, let b1, let r1), .changed(let n2, let b2, let r2)):
            n1 == n2 && b1?.before == b2?.before && b1?.after == b2?.after && r1 == r2
        default: false
        }
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(chainName) }

    /// Chains compared by name; `renamedSets` (old name to new) makes a rule that only follows a
    /// renamed set the same rule.
    static func changes(from old: [Chain], to new: [Chain], renamedSets: [String: String]) -> [ChainChange] {
        let oldByName = Dictionary(old.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let newNames = Set(new.map(\.name))
        var changes: [ChainChange] = []
        for chain in new {
            guard let before = oldByName[chain.name] else {
                changes.append(.added(chain))
                continue
            }
            let base = before.base == chain.base ? nil : (before: before.base, after: chain.base)
            let rules = RuleChange.changes(from: before.rules, to: chain.rules, renamedSets: renamedSets)
            if base != nil || !rules.isEmpty {
                changes.append(.changed(chain: chain.name, base: base, rules: rules))
            }
        }
        changes += old.filter { !newNames.contains($0.name) }.map { .removed($0) }
        return changes
    }
}
