extension TableDiff {
    /// How much changes, object by object. The rules of an added or removed chain count as added or
    /// removed rules, and the elements of an added or removed set as added or removed elements, so a
    /// created table counts everything it holds.
    public struct Counts: Sendable, Hashable {
        public var setsAdded = 0, setsRemoved = 0, setsRenamed = 0, setCommentsChanged = 0
        /// Intervals, as the kernel holds them.
        public var elementsAdded = 0, elementsRemoved = 0
        public var chainsAdded = 0, chainsRemoved = 0
        /// Chains whose hook, priority or policy changed.
        public var chainsRedefined = 0
        public var rulesAdded = 0, rulesRemoved = 0, ruleCommentsChanged = 0
        public var unrecognisedAdded = 0, unrecognisedRemoved = 0
    }

    public var counts: Counts {
        var counts = Counts()
        for change in sets {
            switch change {
            case .added(let set):
                counts.setsAdded += 1
                counts.elementsAdded += set.elements.count
            case .removed(let set):
                counts.setsRemoved += 1
                counts.elementsRemoved += set.elements.count
            case .renamed:
                counts.setsRenamed += 1
            case .elements(_, _, let added, let removed, _, _):
                counts.elementsAdded += added.count
                counts.elementsRemoved += removed.count
            case .comment:
                counts.setCommentsChanged += 1
            }
        }
        for change in chains {
            switch change {
            case .added(let chain):
                counts.chainsAdded += 1
                counts.rulesAdded += chain.rules.count
            case .removed(let chain):
                counts.chainsRemoved += 1
                counts.rulesRemoved += chain.rules.count
            case .changed(_, let base, let rules):
                if base != nil { counts.chainsRedefined += 1 }
                for rule in rules {
                    switch rule {
                    case .added: counts.rulesAdded += 1
                    case .removed: counts.rulesRemoved += 1
                    case .commented: counts.ruleCommentsChanged += 1
                    }
                }
            }
        }
        counts.unrecognisedAdded = unrecognised.added.count
        counts.unrecognisedRemoved = unrecognised.removed.count
        return counts
    }
}
