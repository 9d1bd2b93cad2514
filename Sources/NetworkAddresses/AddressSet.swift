/// A set of addresses of both families, kept as sorted, disjoint, non-adjacent ranges per family.
///
/// Normalising on every change is what lets the compiler hand the kernel interval sets it accepts
/// (overlapping or touching intervals are refused) and lets two sets be compared for equality.
public struct AddressSet: Sendable, Hashable, CustomStringConvertible {
    public private(set) var ipv4: [AddressRange] = []
    public private(set) var ipv6: [AddressRange] = []

    public init() {}

    public init(_ ranges: some Sequence<AddressRange>) {
        self.init(Array(ranges))
    }

    /// The same for an array, which every caller has: a zone's literals go through here by the thousand,
    /// and the generic path iterated them unspecialised.
    public init(_ ranges: [AddressRange]) {
        var v4: [AddressRange] = [], v6: [AddressRange] = []
        // Both sized exactly: growing a list of thousands of 40-byte ranges by doubling copied it over and over.
        let v4Count = ranges.reduce(0) { $0 + ($1.family == .ipv4 ? 1 : 0) }
        v4.reserveCapacity(v4Count)
        v6.reserveCapacity(ranges.count - v4Count)
        for range in ranges { if range.family == .ipv4 { v4.append(range) } else { v6.append(range) } }
        ipv4 = AddressSet.normalise(v4)
        ipv6 = AddressSet.normalise(v6)
    }

    /// A set from lists already in normal form (one family each, sorted, disjoint, not touching), as a
    /// cache keeps them; nil when they are not, so that a damaged cache cannot make a malformed set.
    public init?(normalisedIPv4 v4: [AddressRange], ipv6 v6: [AddressRange]) {
        guard AddressSet.isNormalised(v4, .ipv4), AddressSet.isNormalised(v6, .ipv6) else { return nil }
        ipv4 = v4
        ipv6 = v6
    }

    /// Whether `list` is all of `family`, sorted, disjoint and not touching. In one pass, as a warm load
    /// asks it of every kept range.
    private static func isNormalised(_ list: [AddressRange], _ family: IPFamily) -> Bool {
        list.withUnsafeBufferPointer { list in
            for index in list.indices {
                guard list[index].family == family else { return false }
                if index > 0, list[index - 1].last.value == family.maxValue
                    || list[index].first.value <= list[index - 1].last.value + 1 {
                    return false
                }
            }
            return true
        }
    }

    /// Every address of both families (`any`).
    public static var everything: AddressSet { AddressSet([.everything(.ipv4), .everything(.ipv6)]) }

    public func ranges(_ family: IPFamily) -> [AddressRange] { family == .ipv4 ? ipv4 : ipv6 }

    public var allRanges: [AddressRange] { ipv4 + ipv6 }

    public var isEmpty: Bool { ipv4.isEmpty && ipv6.isEmpty }

    /// The families that have at least one address here.
    public var families: [IPFamily] { IPFamily.allCases.filter { !ranges($0).isEmpty } }

    /// True when the set holds the whole of `family`.
    public func coversAll(_ family: IPFamily) -> Bool { ranges(family) == [.everything(family)] }

    public func contains(_ address: IPAddress) -> Bool {
        let list = ranges(address.family)
        // Binary search: the last range that starts at or before the address.
        var low = 0, high = list.count
        while low < high {
            let mid = (low + high) / 2
            if list[mid].first <= address { low = mid + 1 } else { high = mid }
        }
        return low > 0 && list[low - 1].contains(address)
    }

    public func union(_ other: AddressSet) -> AddressSet {
        var result = AddressSet()
        result.ipv4 = AddressSet.merge(ipv4, other.ipv4)
        result.ipv6 = AddressSet.merge(ipv6, other.ipv6)
        return result
    }

    public func subtracting(_ other: AddressSet) -> AddressSet {
        var result = AddressSet()
        result.ipv4 = AddressSet.subtract(ipv4, other.ipv4)
        result.ipv6 = AddressSet.subtract(ipv6, other.ipv6)
        return result
    }

    public func intersection(_ other: AddressSet) -> AddressSet {
        var result = AddressSet()
        result.ipv4 = AddressSet.intersect(ipv4, other.ipv4)
        result.ipv6 = AddressSet.intersect(ipv6, other.ipv6)
        return result
    }

    /// Whether any address is in both. Each range of the shorter list is looked up in the longer one by
    /// binary search, building nothing: the compiler asks this of every flow endpoint against the host's
    /// few addresses, and zones hold thousands of ranges.
    public func intersects(_ other: AddressSet) -> Bool {
        AddressSet.overlap(ipv4, other.ipv4) || AddressSet.overlap(ipv6, other.ipv6)
    }

    private static func overlap(_ left: [AddressRange], _ right: [AddressRange]) -> Bool {
        let (short, long) = left.count <= right.count ? (left, right) : (right, left)
        guard !short.isEmpty else { return false }
        return long.withUnsafeBufferPointer { long in
            short.contains { range in
                // The first range of `long` that does not end before `range` starts.
                var low = 0, high = long.count
                while low < high {
                    let middle = (low + high) / 2
                    if long[middle].last.value < range.first.value { low = middle + 1 } else { high = middle }
                }
                return low < long.count && long[low].first.value <= range.last.value
            }
        }
    }

    public var description: String {
        allRanges.isEmpty ? "(none)" : allRanges.map(\.description).joined(separator: ", ")
    }

    // MARK: - Range arithmetic over sorted lists

    /// Sorts and merges overlapping or adjacent ranges of one family.
    static func normalise(_ ranges: [AddressRange]) -> [AddressRange] {
        guard ranges.count > 1 else { return ranges }
        // One family: ordering by the numbers alone is the same order, without comparing families. By
        // first addresses alone: coalescing merges ranges that start together whatever their ends, so
        // ties need no order, and a list already in order (as lists often are) needs no sort at all.
        let isSorted = ranges.withUnsafeBufferPointer { list in (1..<list.count).allSatisfy {
            list[$0 - 1].first.value <= list[$0].first.value
        } }
        return coalesce(isSorted ? ranges : sortedByFirst(ranges))
    }

    /// The union of two normalised lists in one pass: both are sorted already, so no sort is needed.
    static func merge(_ lhs: [AddressRange], _ rhs: [AddressRange]) -> [AddressRange] {
        if lhs.isEmpty { return rhs }
        if rhs.isEmpty { return lhs }
        var i = 0, j = 0
        return coalesce(count: lhs.count + rhs.count) {
            if j == rhs.count || (i < lhs.count && (lhs[i].first.value, lhs[i].last.value)
                                  < (rhs[j].first.value, rhs[j].last.value)) {
                i += 1
                return lhs[i - 1]
            }
            j += 1
            return rhs[j - 1]
        }
    }

    /// Merges the overlapping or adjacent ranges of a sorted list of one family.
    private static func coalesce(_ sorted: [AddressRange]) -> [AddressRange] {
        var index = 0
        return coalesce(count: sorted.count) {
            index += 1
            return sorted[index - 1]
        }
    }

    /// Merges the overlapping or adjacent ranges that `next` hands out `count` of, lowest first.
    private static func coalesce(count: Int, _ next: () -> AddressRange) -> [AddressRange] {
        var merged: [AddressRange] = []
        merged.reserveCapacity(count)
        var current = next()
        for _ in 1..<count {
            let range = next()
            // Touching: starts at or before the address after the current one ends (none after the top).
            if current.last.value == current.family.maxValue || range.first.value <= current.last.value + 1 {
                if range.last.value > current.last.value {
                    current = AddressRange(first: current.first, last: range.last)
                }
            } else {
                merged.append(current)
                current = range
            }
        }
        merged.append(current)
        return merged
    }

    static func subtract(_ minuend: [AddressRange], _ subtrahend: [AddressRange]) -> [AddressRange] {
        var result: [AddressRange] = []
        var cut = 0
        for range in minuend {
            var start: IPAddress? = range.first
            while cut < subtrahend.count && subtrahend[cut].last < range.first { cut += 1 }
            var index = cut
            while let from = start, index < subtrahend.count, subtrahend[index].first <= range.last {
                let hole = subtrahend[index]
                if hole.first > from, let before = hole.first.predecessor {
                    result.append(AddressRange(first: from, last: min(before, range.last)))
                }
                start = hole.last >= range.last ? nil : max(from, hole.last.successor!)
                if hole.last > range.last { break }
                index += 1
            }
            if let from = start { result.append(AddressRange(first: from, last: range.last)) }
        }
        return result
    }

    static func intersect(_ lhs: [AddressRange], _ rhs: [AddressRange]) -> [AddressRange] {
        var result: [AddressRange] = []
        var i = 0, j = 0
        while i < lhs.count && j < rhs.count {
            let first = max(lhs[i].first, rhs[j].first)
            let last = min(lhs[i].last, rhs[j].last)
            if first <= last { result.append(AddressRange(first: first, last: last)) }
            if lhs[i].last < rhs[j].last { i += 1 } else { j += 1 }
        }
        return result
    }
}
