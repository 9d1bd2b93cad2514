/// An inclusive range of addresses of one family: a single address, a prefix or a `first-last` range.
public struct AddressRange: Sendable, Hashable, Comparable, CustomStringConvertible {
    // Both ends as 64-bit halves beside one family: 40 bytes a range, where two `IPAddress` values took
    // 64 (a UInt128 is aligned to 16 bytes). A large policy holds hundreds of thousands of ranges, and on
    // a virtual machine every fresh page of memory costs microseconds.
    @usableFromInline let firstLow: UInt64, firstHigh: UInt64
    @usableFromInline let lastLow: UInt64, lastHigh: UInt64
    public let family: IPFamily

    // Inlinable, like `IPAddress.init(family:value:)`: the parser and a warm load, in other modules, build
    // ranges by the hundred thousand, and a call each cost more than the checks.
    @inlinable public init(first: IPAddress, last: IPAddress) {
        precondition(first.family == last.family && first.value <= last.value, "malformed address range")
        firstLow = UInt64(truncatingIfNeeded: first.value)
        firstHigh = UInt64(truncatingIfNeeded: first.value >> 64)
        lastLow = UInt64(truncatingIfNeeded: last.value)
        lastHigh = UInt64(truncatingIfNeeded: last.value >> 64)
        family = first.family
    }

    public init(_ address: IPAddress) { self.init(first: address, last: address) }

    @inlinable public var first: IPAddress {
        IPAddress(checkedFamily: family, value: UInt128(firstHigh) << 64 | UInt128(firstLow))
    }

    @inlinable public var last: IPAddress {
        IPAddress(checkedFamily: family, value: UInt128(lastHigh) << 64 | UInt128(lastLow))
    }

    /// The range covering the whole family (`0.0.0.0/0` or `::/0`).
    public static func everything(_ family: IPFamily) -> AddressRange {
        AddressRange(first: IPAddress(family: family, value: 0),
                     last: IPAddress(family: family, value: family.maxValue))
    }

    public func contains(_ address: IPAddress) -> Bool {
        address.family == family && first.value <= address.value && address.value <= last.value
    }

    /// The fewest CIDR prefixes that cover exactly this range, in address order.
    public var prefixes: [Prefix] {
        var result: [Prefix] = []
        var start = first.value
        let end = last.value
        let width = family.bitWidth
        while true {
            // The largest aligned block that starts at `start` and does not pass `end`.
            var hostBits = start == 0 ? width : min(width, start.trailingZeroBitCount)
            while hostBits > 0 {
                let blockLast = start + (hostBits == 128 ? UInt128.max : (UInt128(1) << UInt128(hostBits)) - 1)
                if blockLast <= end && blockLast >= start { break }
                hostBits -= 1
            }
            result.append(Prefix(network: IPAddress(family: family, value: start), length: width - hostBits))
            let blockSize: UInt128 = hostBits == 128 ? 0 : UInt128(1) << UInt128(hostBits)
            // `blockSize - 1` first: the top block of IPv6 (8000::/1) ends at UInt128.max, so start + size overflows.
            let blockLast = hostBits == 128 ? UInt128.max : start + (blockSize - 1)
            if blockLast >= end { break }
            start = blockLast + 1
        }
        return result
    }

    /// `10.0.0.1`, `10.0.0.0/24` when the range is one prefix, else `10.0.0.5-10.0.0.9`.
    public var description: String {
        if first == last { return first.description }
        let cover = prefixes
        if cover.count == 1 { return cover[0].description }
        return "\(first)-\(last)"
    }

    public static func < (lhs: AddressRange, rhs: AddressRange) -> Bool {
        (lhs.first, lhs.last) < (rhs.first, rhs.last)
    }
}

/// A CIDR prefix such as `10.77.0.0/24` or `fd77::/64`.
public struct Prefix: Sendable, Hashable, CustomStringConvertible {
    public let network: IPAddress
    public let length: Int

    public init(network: IPAddress, length: Int) {
        self.network = network
        self.length = length
    }

    /// Mask of the host bits for this prefix length.
    static func hostMask(family: IPFamily, length: Int) -> UInt128 {
        let hostBits = family.bitWidth - length
        return hostBits == 0 ? 0 : (hostBits == 128 ? UInt128.max : (UInt128(1) << UInt128(hostBits)) - 1)
    }

    /// True when `address/length` has bits set below the prefix length (`10.0.0.1/24`).
    public static func hasHostBits(_ address: IPAddress, length: Int) -> Bool {
        address.value & hostMask(family: address.family, length: length) != 0
    }

    /// The prefix that `address/length` would be with its host bits cleared.
    public static func masked(_ address: IPAddress, length: Int) -> Prefix {
        let mask = hostMask(family: address.family, length: length)
        return Prefix(network: IPAddress(family: address.family, value: address.value & ~mask), length: length)
    }

    public var range: AddressRange {
        let mask = Prefix.hostMask(family: network.family, length: length)
        return AddressRange(first: network, last: IPAddress(family: network.family, value: network.value | mask))
    }

    public var description: String { "\(network)/\(length)" }
}
