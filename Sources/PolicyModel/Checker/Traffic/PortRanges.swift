import NetworkAddresses

/// Set arithmetic on normalised (sorted, disjoint, non-adjacent) port range lists.
enum PortRanges {
    static func intersection(_ lhs: [PortRange], _ rhs: [PortRange]) -> [PortRange] {
        var result: [PortRange] = []
        for a in lhs {
            for b in rhs where max(a.first, b.first) <= min(a.last, b.last) {
                result.append(PortRange(max(a.first, b.first), min(a.last, b.last)))
            }
        }
        return PortRange.normalise(result)
    }

    static func subtracting(_ lhs: [PortRange], _ rhs: [PortRange]) -> [PortRange] {
        var remaining = lhs
        for hole in rhs {
            remaining = remaining.flatMap { range -> [PortRange] in
                guard hole.first <= range.last && range.first <= hole.last else { return [range] }
                var pieces: [PortRange] = []
                if range.first < hole.first { pieces.append(PortRange(range.first, hole.first - 1)) }
                if hole.last < range.last { pieces.append(PortRange(hole.last + 1, range.last)) }
                return pieces
            }
        }
        return remaining
    }
}
