/// An inclusive range of TCP/UDP ports, 1 through 65535.
public struct PortRange: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let first: UInt16
    public let last: UInt16

    public init(_ first: UInt16, _ last: UInt16) {
        precondition(first <= last, "reversed port range")
        self.first = first
        self.last = last
    }

    public init(_ port: UInt16) { self.init(port, port) }

    public var description: String { first == last ? "\(first)" : "\(first)-\(last)" }

    public static func < (lhs: PortRange, rhs: PortRange) -> Bool { (lhs.first, lhs.last) < (rhs.first, rhs.last) }

    /// Sorts and merges overlapping or adjacent ranges.
    public static func normalise(_ ranges: [PortRange]) -> [PortRange] {
        var merged: [PortRange] = []
        for range in ranges.sorted() {
            if let previous = merged.last, UInt32(range.first) <= UInt32(previous.last) + 1 {
                merged[merged.count - 1] = PortRange(previous.first, max(previous.last, range.last))
            } else {
                merged.append(range)
            }
        }
        return merged
    }
}
