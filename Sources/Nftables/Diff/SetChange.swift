import NetworkAddresses

/// How one named set differs.
public enum SetChange: Sendable, Hashable {
    case added(NamedSet)
    case removed(NamedSet)
    /// Same family and elements under a new name (the comment may have changed with it).
    case renamed(from: NamedSet, to: NamedSet)
    /// Same name and type; `added` and `removed` are the exact intervals to add and delete, and
    /// `gained`/`lost` the addresses that change, for people (an interval that grows by one address is
    /// one interval deleted and one added, but one address gained).
    case elements(set: String, family: IPFamily, added: [AddressRange], removed: [AddressRange],
                  gained: AddressSet, lost: AddressSet)
    /// Same name, new comment. The kernel cannot change a set's comment in place.
    case comment(set: String, before: String?, after: String?)

    public var setName: String {
        switch self {
        case .added(let set), .removed(let set), .renamed(_, let set): set.name
        case .elements(let name, _, _, _, _, _), .comment(let name, _, _): name
        }
    }

    /// Old name to new name of every renamed set.
    static func renames(in changes: [SetChange]) -> [String: String] {
        var renames: [String: String] = [:]
        for case .renamed(let before, let after) in changes { renames[before.name] = after.name }
        return renames
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
                    changes.append(.renamed(from: removed[index], to: set))
                    removed.remove(at: index)
                } else {
                    changes.append(.added(set))
                }
                continue
            }
            if before.family != set.family {
                changes += [.removed(before), .added(set)]
                continue
            }
            if before.elements != set.elements { changes.append(elementChange(from: before, to: set)) }
            if before.comment != set.comment {
                changes.append(.comment(set: set.name, before: before.comment, after: set.comment))
            }
        }
        changes += removed.map { .removed($0) }
        return changes
    }

    private static func elementChange(from before: NamedSet, to after: NamedSet) -> SetChange {
        let beforeElements = Set(before.elements), afterElements = Set(after.elements)
        let oldAddresses = AddressSet(before.elements), newAddresses = AddressSet(after.elements)
        return .elements(
            set: after.name, family: after.family,
            added: after.elements.filter { !beforeElements.contains($0) },
            removed: before.elements.filter { !afterElements.contains($0) },
            gained: newAddresses.subtracting(oldAddresses), lost: oldAddresses.subtracting(newAddresses))
    }
}
