/// Finds the known name a misspelt one most likely meant, for "did you mean" fix-its.
public enum Suggestions {
    /// The candidate closest to `name` by edit distance, if it is close enough to be a plausible typo
    /// (at most a third of the name's length, and at least one character), ties broken by order.
    public static func nearest(to name: String, in candidates: some Sequence<String>) -> String? {
        let limit = max(1, name.count / 3)
        var best: (name: String, distance: Int)?
        for candidate in candidates where candidate != name {
            let distance = editDistance(name, candidate)
            if distance <= limit && distance < (best?.distance ?? Int.max) { best = (candidate, distance) }
        }
        return best?.name
    }

    /// "no zone named 'wbe' in the policy; did you mean 'web'? zones are: ..." for a name given on the
    /// command line: `place` says where it was looked for (the guess is `hint`'s).
    public static func unknownZone(_ name: String, in place: String, known: [String]) -> String {
        "no zone named '\(name)' in \(place)\(hint(for: name, in: known) ?? ";") zones are: "
            + known.joined(separator: ", ")
    }

    /// "; did you mean 'check'?" for a name given on the command line, or nil without a plausible guess.
    /// Names under three characters get none: every other short name is as near.
    public static func hint(for name: String, in known: some Sequence<String>) -> String? {
        guard name.count >= 3, let guess = nearest(to: name, in: known) else { return nil }
        return "; did you mean '\(guess)'?"
    }

    /// Levenshtein distance where swapping two neighbouring characters counts as one edit.
    static func editDistance(_ lhs: String, _ rhs: String) -> Int {
        let a = Array(lhs.lowercased()), b = Array(rhs.lowercased())
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    value = min(value, table[i - 2][j - 2] + 1)
                }
                table[i][j] = value
            }
        }
        return table[a.count][b.count]
    }
}
