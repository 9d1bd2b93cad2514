import CNetfilter
@testable import Netlink
import XCTest

/// Plain set elements are written byte by byte rather than through libmnl: the bytes must be exactly the
/// ones libmnl's attribute calls write (as ztpol wrote them before, and as nft does), except that padding
/// is always zero: libmnl leaves whatever the buffer held there.
final class PlainElementEncodingTests: XCTestCase {
    /// The element as written with libmnl's calls, attribute by attribute.
    private func libmnlBytes(_ element: SetElement, keyWidth: Int) -> [UInt8] {
        message(fill: 0) { message in
            let entry = mnl_attr_nest_start(message, UInt16(NFTA_LIST_ELEM.rawValue))
            if element.endsInterval {
                mnl_attr_put_u32(message, UInt16(NFTA_SET_ELEM_FLAGS.rawValue),
                                 UInt32(NFT_SET_ELEM_INTERVAL_END.rawValue).bigEndian)
            }
            let key = mnl_attr_nest_start(message, UInt16(NFTA_SET_ELEM_KEY.rawValue))
            withUnsafeBytes(of: element.key.bigEndian) { bytes in
                mnl_attr_put(message, UInt16(NFTA_DATA_VALUE.rawValue), keyWidth, bytes.baseAddress! + (16 - keyWidth))
            }
            mnl_attr_nest_end(message, key)
            if element.opensInterval {
                let userData = BatchBuilder.openIntervalUserData
                mnl_attr_put(message, UInt16(NFTA_SET_ELEM_USERDATA.rawValue), userData.count, userData)
            }
            mnl_attr_nest_end(message, entry)
        }
    }

    /// A message header followed by what `body` writes, as bytes, in a buffer that held `fill`. ztpol's
    /// writes go to a buffer full of 0xAA, so that padding left unwritten would show.
    private func message(fill: UInt8 = 0xAA, _ body: (UnsafeMutablePointer<nlmsghdr>) -> Void) -> [UInt8] {
        var buffer = [UInt8](repeating: fill, count: 512)
        return buffer.withUnsafeMutableBytes { raw in
            let message = mnl_nlmsg_put_header(raw.baseAddress)!
            body(message)
            return Array(raw.prefix(Int(message.pointee.nlmsg_len)))
        }
    }

    func testBytesAreLibmnls() {
        let keys: [UInt128] = [0, 1, 58, 0xff, 443, 0xffff, 0x01_0203, 0x0a00_0001, 0xffff_ffff, 0x2001_0db8 << 96,
                               UInt128.max]
        for keyWidth in [1, 2, 3, 4, 8, 16] {  // protocols and ICMP types, ports, IPv4 and IPv6 addresses, others
            for key in keys where key >> (keyWidth * 8) == 0 || keyWidth == 16 {
                for (ends, opens) in [(false, false), (true, false), (false, true)] {
                    let element = SetElement(key: key, endsInterval: ends, opensInterval: opens)
                    let ours = message { BatchBuilder.writePlainElement(element, keyWidth: keyWidth, into: $0) }
                    XCTAssertEqual(ours, libmnlBytes(element, keyWidth: keyWidth), "\(element), width \(keyWidth)")
                }
            }
        }
    }

    /// Several elements one after another in one message, as a set's list holds them.
    func testElementsFollowOneAnother() {
        let elements = [SetElement(key: 5), SetElement(key: 9, endsInterval: true),
                        SetElement(key: 12, opensInterval: true)]
        let ours = message { message in
            for element in elements { BatchBuilder.writePlainElement(element, keyWidth: 4, into: message) }
        }
        let header = MemoryLayout<nlmsghdr>.size
        let theirs = elements.map { Array(libmnlBytes($0, keyWidth: 4).dropFirst(header)) }
        XCTAssertEqual(Array(ours.dropFirst(header)), theirs.flatMap { $0 })
    }
}
