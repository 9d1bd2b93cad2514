import NetworkAddresses
@testable import Netlink
import TestSupport
import XCTest

/// An address set's elements are written straight from its ranges (`addAddressIntervals`): the batch must
/// be the one the general element path writes for the same ranges, byte for byte, message for message.
final class AddressIntervalMessagesTests: XCTestCase {
    /// Every byte of the batch `body` builds, sequence numbers included.
    private func batchBytes(_ body: (BatchBuilder) throws -> Void) throws -> [UInt8] {
        var number: UInt32 = 100
        let builder = try BatchBuilder(family: .inet, tableName: "t", generation: 7) {
            number += 1
            return number
        }
        try body(builder)
        try builder.finish()
        return builder.pages.pages.flatMap { page in
            Array(UnsafeRawBufferPointer(start: page.iov_base, count: page.iov_len))
        }
    }

    private func assertSameBatch(_ ranges: [AddressRange], family: IPFamily, leadingZero: Bool, delete: Bool,
                                 file: StaticString = #filePath, line: UInt = #line) throws {
        let general = try batchBytes { builder in
            try builder.addElements(SetElement.intervals(ranges, family: family, leadingZero: leadingZero),
                                    keyWidth: family.bitWidth / 8, to: "s", setID: 3, delete: delete)
        }
        let direct = try batchBytes { builder in
            try builder.addAddressIntervals(ranges, family: family, leadingZero: leadingZero, to: "s", setID: 3,
                                            delete: delete)
        }
        XCTAssertEqual(direct.count, general.count, "\(ranges.count) ranges of \(family)", file: file, line: line)
        XCTAssertTrue(direct == general, "\(ranges.count) ranges of \(family) differ", file: file, line: line)
    }

    /// Sorted, disjoint, non-adjacent ranges of `family`, from single addresses to wide ones.
    private func randomRanges(_ count: Int, family: IPFamily, using random: inout SeededGenerator) -> [AddressRange] {
        let top = family.maxValue
        var starts = Set<UInt128>()
        while starts.count < count * 2 {
            let value = family == .ipv4 ? UInt128(UInt32.random(in: 0...UInt32.max, using: &random))
                : UInt128(random.next()) << 64 | UInt128(random.next())
            starts.insert(value)
        }
        let cuts = starts.sorted()
        return stride(from: 0, to: cuts.count - 1, by: 2).compactMap { index in
            // Every other pair of cuts, one short of the next pair so that no two ranges touch.
            let last = Bool.random(using: &random) ? cuts[index] : min(cuts[index + 1], top)
            guard index + 2 >= cuts.count || last + 1 < cuts[index + 2] else { return nil }
            return AddressRange(first: IPAddress(family: family, value: cuts[index]),
                                last: IPAddress(family: family, value: last))
        }
    }

    func testTheDirectPathWritesTheGeneralPathsBatch() throws {
        var random = SeededGenerator(seed: 42)
        for family in [IPFamily.ipv4, .ipv6] {
            let top = family.maxValue
            let address = { (value: UInt128) in IPAddress(family: family, value: value) }
            let edges: [[AddressRange]] = [
                [],
                [AddressRange(first: address(0), last: address(top))],            // everything: one open start
                [AddressRange(first: address(0), last: address(9))],              // from zero: no leading end
                [AddressRange(first: address(5), last: address(top))],            // to the top: no end element
                [AddressRange(address(0)), AddressRange(address(2)), AddressRange(address(top))],
                [AddressRange(address(0))],                                        // only the first address
                [AddressRange(address(top))],                                      // only the last
                [AddressRange(address(top - 1))],                                  // its end element is the top
                [AddressRange(first: address(1), last: address(top - 1))],         // all but both ends
                [AddressRange(address(0)), AddressRange(first: address(2), last: address(top))],
                [AddressRange(address(12_345))],                                   // one address in the middle
            ]
            // 3,000 ranges need more than one 64 KiB list, so message boundaries are compared too.
            let sets = edges + [1, 2, 17, 3_000].map { randomRanges($0, family: family, using: &random) }
            for ranges in sets {
                for (leadingZero, delete) in [(true, false), (false, false), (false, true), (true, true)] {
                    try assertSameBatch(ranges, family: family, leadingZero: leadingZero, delete: delete)
                }
            }
        }
    }
}
