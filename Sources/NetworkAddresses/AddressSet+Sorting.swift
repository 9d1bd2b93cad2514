/// Sorting a zone's ranges for `AddressSet.normalise`, which only needs them ordered by first address.
///
/// A range is 40 bytes, and a merge sort moves each element about log₂ n times: sorting the ranges
/// themselves was a tenth of a cold load. Here small keys are sorted instead and each range is built or
/// moved once, in its final place.
extension AddressSet {
    /// `ranges` (one family, at least two) ordered by first address; ranges that start together in any order.
    static func sortedByFirst(_ ranges: [AddressRange]) -> [AddressRange] {
        ranges[0].family == .ipv4 ? sortedIPv4(ranges) : sortedIPv6(ranges)
    }

    /// Both ends of an IPv4 range fit one 64-bit key, first address high: sorting the keys sorts the ranges
    /// (by first, then last), and the ranges are built back from them.
    private static func sortedIPv4(_ ranges: [AddressRange]) -> [AddressRange] {
        var keys = ranges.map { $0.firstLow << 32 | $0.lastLow }
        keys.sort()
        return keys.map { key in
            AddressRange(first: IPAddress(checkedFamily: .ipv4, value: UInt128(key >> 32)),
                         last: IPAddress(checkedFamily: .ipv4, value: UInt128(key & 0xFFFF_FFFF)))
        }
    }

    /// An IPv6 range's ends take 256 bits, too many for one key: the positions are sorted by the first
    /// addresses (4 bytes moved instead of 40), then the ranges are gathered in that order.
    private static func sortedIPv6(_ ranges: [AddressRange]) -> [AddressRange] {
        precondition(ranges.count <= Int(UInt32.max), "AddressSet: too many ranges to sort")
        let firsts = ranges.map(\.first.value)
        var order = (0..<UInt32(ranges.count)).map { $0 }
        firsts.withUnsafeBufferPointer { firsts in
            order.sort { firsts[Int($0)] < firsts[Int($1)] }
        }
        return ranges.withUnsafeBufferPointer { ranges in order.map { ranges[Int($0)] } }
    }
}
