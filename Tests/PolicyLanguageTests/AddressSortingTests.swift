@testable import NetworkAddresses
import Testing
import TestSupport

/// `AddressSet.normalise` sorts keys instead of ranges; it must give what sorting the ranges gave, on any input.
@Suite struct AddressSortingTests {
    /// Ranges of one family over a small space (many overlaps, touches and duplicates) or the whole family
    /// (ends at zero and at the top).
    func randomRanges(_ family: IPFamily, count: Int, using random: inout SeededGenerator) -> [AddressRange] {
        let small = Bool.random(using: &random)
        return (0..<count).map { _ in
            let top = small ? 200 : family.maxValue
            var ends = [UInt128.random(in: 0...top, using: &random), UInt128.random(in: 0...top, using: &random)]
            if small { ends[1] = min(top, ends[0] + UInt128.random(in: 0...3, using: &random)) }
            if Int.random(in: 0..<20, using: &random) == 0 { ends[Int.random(in: 0...1, using: &random)] = top }
            if Int.random(in: 0..<20, using: &random) == 0 { ends[0] = 0 }
            ends.sort()
            return AddressRange(first: IPAddress(family: family, value: ends[0]),
                                last: IPAddress(family: family, value: ends[1]))
        }
    }

    /// The same input in the orders that sorts treat differently.
    func orders(of ranges: [AddressRange]) -> [[AddressRange]] {
        let sorted = ranges.sorted()
        return [ranges, sorted, Array(sorted.reversed()), ranges + ranges, sorted + sorted.reversed()]
    }

    /// Normal form worked out the plain way: every range in order, each merged into the last when it overlaps
    /// or touches it.
    func reference(_ ranges: [AddressRange]) -> [AddressRange] {
        var merged: [AddressRange] = []
        for range in ranges.sorted() {
            if let last = merged.last, last.last.value == last.family.maxValue
                || range.first.value <= last.last.value + 1 {
                merged[merged.count - 1] = AddressRange(first: last.first, last: max(last.last, range.last))
            } else {
                merged.append(range)
            }
        }
        return merged
    }

    @Test(arguments: [IPFamily.ipv4, .ipv6])
    func sortingByFirstKeepsEveryRangeInOrder(_ family: IPFamily) {
        var random = SeededGenerator(seed: 7_340_001)
        for count in [2, 3, 20, 21, 64, 500] {
            for ranges in orders(of: randomRanges(family, count: count, using: &random)) {
                let sorted = AddressSet.sortedByFirst(ranges)
                #expect(sorted.sorted() == ranges.sorted(), "not a permutation of \(ranges)")
                #expect(zip(sorted, sorted.dropFirst()).allSatisfy { $0.first <= $1.first }, "out of order: \(sorted)")
            }
        }
    }

    @Test func equalFirstAddressesAreAllKept() {
        let v4 = (0..<50).map { AddressRange(first: IPAddress(family: .ipv4, value: 7),
                                             last: IPAddress(family: .ipv4, value: UInt128(7 + $0 % 5))) }
        #expect(AddressSet.sortedByFirst(v4).sorted() == v4.sorted())
        let v6 = v4.map { AddressRange(first: IPAddress(family: .ipv6, value: $0.first.value << 100),
                                       last: IPAddress(family: .ipv6, value: $0.last.value << 100)) }
        #expect(AddressSet.sortedByFirst(v6).sorted() == v6.sorted())
    }

    @Test func normaliseMatchesThePlainWay() {
        var random = SeededGenerator(seed: 7_340_002)
        for _ in 0..<300 {
            let count = Int.random(in: 0...80, using: &random)
            let v4 = randomRanges(.ipv4, count: count, using: &random)
            let v6 = randomRanges(.ipv6, count: count / 2, using: &random)
            for ranges in orders(of: v4 + v6) {
                let set = AddressSet(ranges.shuffled(using: &random))
                #expect(set.ipv4 == reference(v4) && set.ipv6 == reference(v6), "\(ranges)")
            }
        }
    }
}
