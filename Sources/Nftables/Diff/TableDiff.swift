import NetworkAddresses

/// What it takes to turn one table into another, by object: sets (and their elements), chains (and
/// their rules), and objects the model cannot express. Elements are compared as intervals, rules by
/// value, both independent of text layout.
///
/// A set that reappears under another name with the same elements is a rename, and a rule that only
/// refers to renamed sets is the same rule: a zone renamed in the policy renames its sets and leaves
/// its rules alone but for their comments, which are reported on their own.
public struct TableDiff: Sendable, Hashable {
    /// The table is created (nothing before) or deleted (nothing after).
    public enum Existence: Sendable, Hashable {
        case unchanged, created, deleted
    }

    public var family: TableFamily
    public var tableName: String
    public var existence: Existence
    public var sets: [SetChange]
    public var chains: [ChainChange]
    /// Objects the model cannot express (see `Table.unrecognised`), only before or only after.
    public var unrecognised: UnrecognisedChange
    /// Both tables list their sets and their chains in the same order. An element-only batch relies on
    /// it; the order means nothing to the kernel, so it is not reported as a change.
    let sameOrder: Bool

    /// True when the two tables are the same object for object.
    public var isEmpty: Bool {
        existence == .unchanged && sets.isEmpty && chains.isEmpty && unrecognised.isEmpty
    }

    /// True when only set elements differ: such a change can be applied element by element.
    public var onlyElementsChanged: Bool {
        existence == .unchanged && chains.isEmpty && unrecognised.isEmpty && !sets.isEmpty && sets.allSatisfy {
            if case .elements = $0 { true } else { false }
        }
    }

    /// True when some rules differ in their comments alone, each at the same place in its chain, and
    /// nothing else differs but set elements: the rules can be replaced one by one where they stand.
    public var onlyCommentsAndElementsChanged: Bool {
        existence == .unchanged && unrecognised.isEmpty && !chains.isEmpty
            && sets.allSatisfy { if case .elements = $0 { true } else { false } }
            && chains.allSatisfy { change in
                guard case .changed(_, nil, let rules) = change else { return false }
                return rules.allSatisfy {
                    if case .commented(_, _, let from, let at) = $0 { from == at } else { false }
                }
            }
    }

    /// Compares `old` (nil: no table) with `new` (nil: the table goes away).
    public init(from old: Table?, to new: Table?) {
        family = new?.family ?? old?.family ?? .inet
        tableName = new?.name ?? old?.name ?? ""
        switch (old, new) {
        case (nil, nil): existence = .unchanged
        case (nil, _): existence = .created
        case (_, nil): existence = .deleted
        default: existence = .unchanged
        }
        sets = SetChange.changes(from: old?.sets ?? [], to: new?.sets ?? [])
        chains = ChainChange.changes(from: old?.chains ?? [], to: new?.chains ?? [],
                                     renamedSets: SetChange.renames(in: sets))
        unrecognised = UnrecognisedChange(from: old?.unrecognised ?? [], to: new?.unrecognised ?? [])
        sameOrder = old?.sets.map(\.name) == new?.sets.map(\.name) && old?.chains.map(\.name) == new?.chains.map(\.name)
    }
}

/// Descriptions of objects the model cannot express, found only in the old or only in the new table.
public struct UnrecognisedChange: Sendable, Hashable {
    /// Only in the new table.
    public var added: [String]
    /// Only in the old table.
    public var removed: [String]

    public var isEmpty: Bool { added.isEmpty && removed.isEmpty }

    init(from old: [String], to new: [String]) {
        added = new.filter { !old.contains($0) }
        removed = old.filter { !new.contains($0) }
    }
}
