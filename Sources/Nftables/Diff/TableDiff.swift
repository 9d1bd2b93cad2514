import NetworkAddresses

/// What it takes to turn one table into another, by object: sets (and their elements), chains (and
/// their rules). Elements are compared as intervals, rules by value, both independent of text layout.
public struct TableDiff: Sendable, Hashable {
    /// The table is created (nothing before) or deleted (nothing after).
    public enum Existence: Sendable, Hashable {
        case unchanged, created, deleted
    }

    public var tableName: String
    public var existence: Existence
    public var sets: [SetChange]
    public var chains: [ChainChange]

    /// True when the two tables are the same object for object.
    public var isEmpty: Bool { existence == .unchanged && sets.isEmpty && chains.isEmpty }

    /// True when only set elements differ: such a change can be applied element by element.
    public var onlyElementsChanged: Bool {
        existence == .unchanged && chains.isEmpty && !sets.isEmpty && sets.allSatisfy {
            if case .elements = $0 { true } else { false }
        }
    }

    /// Compares `old` (nil: no table) with `new` (nil: the table goes away).
    public init(from old: Table?, to new: Table?) {
        tableName = new?.name ?? old?.name ?? ""
        switch (old, new) {
        case (nil, nil): existence = .unchanged
        case (nil, _): existence = .created
        case (_, nil): existence = .deleted
        default: existence = .unchanged
        }
        sets = SetChange.changes(from: old?.sets ?? [], to: new?.sets ?? [])
        chains = ChainChange.changes(from: old?.chains ?? [], to: new?.chains ?? [])
    }
}

/// How one named set differs.
public enum SetChange: Sendable, Hashable {
    case added(NamedSet)
    case removed(NamedSet)
    /// Same elements under a new name.
    case renamed(from: String, to: NamedSet)
    /// Same name and type; `added` and `removed` are the exact intervals to add and delete, and
    /// `gained`/`lost` the addresses that change, for people (an interval that grows by one address is
    /// one interval deleted and one added, but one address gained).
    case elements(set: String, family: IPFamily, added: [AddressRange], removed: [AddressRange],
                  gained: AddressSet, lost: AddressSet)

    public var setName: String {
        switch self {
        case .added(let set), .removed(let set): set.name
        case .renamed(_, let set): set.name
        case .elements(let name, _, _, _, _, _): name
        }
    }

    static func changes(from old: [NamedSet], to new: [NamedSet]) -> [SetChange] {
        let oldByName = Dictionary(old.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let newByName = Dictionary(new.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var changes: [SetChange] = []
        var removed = old.filter { newByName[$0.name] == nil }
        for set in new {
            guard let before = oldByName[set.name] else {
                // A set that vanished under another name with the same elements was renamed.
                if let index = removed.firstIndex(where: { $0.family == set.family && $0.elements == set.elements }) {
                    changes.append(.renamed(from: removed[index].name, to: set))
                    removed.remove(at: index)
                } else {
                    changes.append(.added(set))
                }
                continue
            }
            if before.family != set.family {
                changes += [.removed(before), .added(set)]
            } else if before.elements != set.elements {
                let beforeElements = Set(before.elements), afterElements = Set(set.elements)
                let oldAddresses = AddressSet(before.elements), newAddresses = AddressSet(set.elements)
                changes.append(.elements(
                    set: set.name, family: set.family,
                    added: set.elements.filter { !beforeElements.contains($0) },
                    removed: before.elements.filter { !afterElements.contains($0) },
                    gained: newAddresses.subtracting(oldAddresses), lost: oldAddresses.subtracting(newAddresses)))
            }
        }
        changes += removed.map { .removed($0) }
        return changes
    }
}

/// How one chain differs.
public enum ChainChange: Sendable, Hashable {
    case added(Chain)
    case removed(Chain)
    /// The hook, priority or policy changed (rules are listed separately in `rules`).
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

    static func changes(from old: [Chain], to new: [Chain]) -> [ChainChange] {
        let oldByName = Dictionary(old.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let newNames = Set(new.map(\.name))
        var changes: [ChainChange] = []
        for chain in new {
            guard let before = oldByName[chain.name] else {
                changes.append(.added(chain))
                continue
            }
            let base = before.base == chain.base ? nil : (before: before.base, after: chain.base)
            let rules = RuleChange.changes(from: before.rules, to: chain.rules)
            if base != nil || !rules.isEmpty {
                changes.append(.changed(chain: chain.name, base: base, rules: rules))
            }
        }
        changes += old.filter { !newNames.contains($0.name) }.map { .removed($0) }
        return changes
    }
}

/// A rule that is only before or only after; unchanged rules are left out. Positions are indexes in
/// the chain before (for removals) and after (for additions).
public enum RuleChange: Sendable, Hashable {
    case added(Rule, at: Int)
    case removed(Rule, at: Int)

    /// The shortest edit between two rule lists (longest common subsequence), removals first at each
    /// point so that a replaced rule reads as `-` old then `+` new.
    static func changes(from old: [Rule], to new: [Rule]) -> [RuleChange] {
        if old == new { return [] }
        let n = old.count, m = new.count
        // lengths[i][j]: longest common subsequence of old[i...] and new[j...].
        var lengths = Array(repeating: Array(repeating: 0, count: m + 1), count: n + 1)
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                lengths[i][j] = old[i] == new[j] ? lengths[i + 1][j + 1] + 1 : max(lengths[i + 1][j], lengths[i][j + 1])
            }
        }
        var changes: [RuleChange] = []
        var i = 0, j = 0
        while i < n || j < m {
            if i < n && j < m && old[i] == new[j] {
                i += 1
                j += 1
            } else if j == m || (i < n && lengths[i + 1][j] >= lengths[i][j + 1]) {
                changes.append(.removed(old[i], at: i))
                i += 1
            } else {
                changes.append(.added(new[j], at: j))
                j += 1
            }
        }
        return changes
    }
}
