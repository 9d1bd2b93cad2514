/// A rule that is only before, only after, or the same rule with another comment; unchanged rules
/// are left out. Positions count from 0: in the chain before for removals, after for the others.
public enum RuleChange: Sendable, Hashable {
    case added(Rule, at: Int)
    case removed(Rule, at: Int)
    /// The same rule (once renamed sets are followed) with a new comment, e.g. because its policy line
    /// moved. `before` is at `from` in the old chain.
    case commented(before: Rule, after: Rule, from: Int, at: Int)

    /// The shortest edit between two rule lists (longest common subsequence of the rules without their
    /// comments), removals first at each point so that a replaced rule reads as `-` old then `+` new.
    /// The rules both lists begin and end with are paired first, so that a chain of 10,000 rules whose
    /// comments all changed costs a pass, not a table of 10,000²; what is left between them is compared
    /// by the quadratic table only up to `tableLimit` cells, and beyond that replaced as a block.
    static func changes(from old: [Rule], to new: [Rule], renamedSets: [String: String] = [:],
                        tableLimit: Int = 4_000_000) -> [RuleChange] {
        if old == new { return [] }
        let oldKeys = old.map { $0.comparable(renaming: renamedSets) }
        let newKeys = new.map { $0.comparable(renaming: [:]) }
        var head = 0
        while head < old.count, head < new.count, oldKeys[head] == newKeys[head] { head += 1 }
        var tail = 0
        while tail < old.count - head, tail < new.count - head,
              oldKeys[old.count - 1 - tail] == newKeys[new.count - 1 - tail] { tail += 1 }
        let n = old.count - head - tail, m = new.count - head - tail
        var changes: [RuleChange] = []
        let paired = { (i: Int, j: Int) in
            if old[i].comment != new[j].comment {
                changes.append(.commented(before: old[i], after: new[j], from: i, at: j))
            }
        }
        for index in 0..<head { paired(index, index) }
        if n > 0 && m > 0 && n * m <= tableLimit {
            // lengths[i][j]: longest common subsequence of the middle's oldKeys[i...] and newKeys[j...].
            var lengths = Array(repeating: Array(repeating: 0, count: m + 1), count: n + 1)
            for i in stride(from: n - 1, through: 0, by: -1) {
                for j in stride(from: m - 1, through: 0, by: -1) {
                    lengths[i][j] = oldKeys[head + i] == newKeys[head + j]
                        ? lengths[i + 1][j + 1] + 1 : max(lengths[i + 1][j], lengths[i][j + 1])
                }
            }
            var i = 0, j = 0
            while i < n || j < m {
                if i < n && j < m && oldKeys[head + i] == newKeys[head + j] {
                    paired(head + i, head + j)
                    i += 1
                    j += 1
                } else if j == m || (i < n && lengths[i + 1][j] >= lengths[i][j + 1]) {
                    changes.append(.removed(old[head + i], at: head + i))
                    i += 1
                } else {
                    changes.append(.added(new[head + j], at: head + j))
                    j += 1
                }
            }
        } else {
            changes += (head..<(head + n)).map { .removed(old[$0], at: $0) }
            changes += (head..<(head + m)).map { .added(new[$0], at: $0) }
        }
        for offset in (0..<tail).reversed() { paired(old.count - 1 - offset, new.count - 1 - offset) }
        return changes
    }
}

extension Rule {
    /// The rule as two tables compare it: without its comment, and with set references under their
    /// new names.
    func comparable(renaming renamedSets: [String: String]) -> Rule {
        var copy = self
        copy.comment = nil
        guard !renamedSets.isEmpty else { return copy }
        copy.matches = matches.map { match in
            guard case .addressInSet(let direction, let family, let set) = match, let renamed = renamedSets[set]
            else { return match }
            return .addressInSet(direction, family, set: renamed)
        }
        return copy
    }
}
