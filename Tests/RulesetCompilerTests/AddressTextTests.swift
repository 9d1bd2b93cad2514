#if canImport(Glibc)
import Glibc
#endif
import NetworkAddresses
import Nftables
import XCTest

/// Addresses are read and written by hand for speed; the C library's `inet_pton` and `inet_ntop` are
/// the references (nft lists addresses with `inet_ntop`), compared over every zero-group pattern and
/// over random text.
final class AddressTextTests: XCTestCase {
    private func ntop(_ address: IPAddress) -> String {
        let family = address.family == .ipv4 ? AF_INET : AF_INET6
        var buffer = [CChar](repeating: 0, count: 64)
        let bytes = address.bytes
        XCTAssertNotNil(inet_ntop(family, bytes, &buffer, socklen_t(buffer.count)))
        return String(cString: buffer)
    }

    private func pton(_ text: String) -> IPAddress? {
        var bytes = [UInt8](repeating: 0, count: 16)
        if inet_pton(AF_INET6, text, &bytes) == 1 { return IPAddress(bytes: bytes) }
        if inet_pton(AF_INET, text, &bytes) == 1 { return IPAddress(bytes: bytes.prefix(4)) }
        return nil
    }

    private func ipv6(_ words: [UInt16]) -> IPAddress {
        IPAddress(family: .ipv6, value: words.reduce(UInt128(0)) { $0 << 16 | UInt128($1) })
    }

    func testIPv6IsWrittenAsInetNtopWritesIt() {
        let renderer = NftRenderer()
        var generator = SystemRandomNumberGenerator()
        // Every choice of zero groups, with several values for the others, and the v4-mapped forms.
        for mask in 0..<256 {
            for filler: UInt16 in [1, 0xffff, 0xabc, 0x10, 0xf00] {
                var words = (0..<8).map { mask & (1 << $0) != 0 ? 0 : filler }
                XCTAssertEqual(renderer.elementText(AddressRange(ipv6(words))), ntop(ipv6(words)), "\(words)")
                words[5] = 0xffff
                XCTAssertEqual(renderer.elementText(AddressRange(ipv6(words))), ntop(ipv6(words)), "\(words)")
                words = words.map { $0 == 0 ? 0 : UInt16.random(in: 1...0xffff, using: &generator) }
                XCTAssertEqual(renderer.elementText(AddressRange(ipv6(words))), ntop(ipv6(words)), "\(words)")
            }
        }
        for value: UInt32 in [0, 1, 0x0a00_0001, 0xffff_ffff, 0xc0a8_6401] {
            let address = IPAddress(family: .ipv4, value: UInt128(value))
            XCTAssertEqual(renderer.elementText(AddressRange(address)), ntop(address))
        }
    }

    func testTextIsReadAsInetPtonReadsIt() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("0123456789abcdefF:.")
        var samples = ["::", "::1", "1::", "::ffff:1.2.3.4", "::1.2.3.4", "1:2:3:4:5:6:1.2.3.4", "1::2:3:4:5:6:7:8",
                       "1:2:3:4:5:6:7::", ":1::2", "1::2:", "01.2.3.4", "1.2.3.04", "256.1.1.1", "1.2.3", "1.2.3.4.5",
                       "0.0.0.0", "12345::", "::ffff:01.2.3.4", "1:2:3:4:5:6:7:8:9", "", ".", ":", ":::"]
        for _ in 0..<50_000 {
            let length = Int.random(in: 1...18, using: &generator)
            samples.append(String((0..<length).map { _ in alphabet.randomElement(using: &generator)! }))
        }
        // Valid text with one character changed, dropped or added: the edges of the grammar.
        for _ in 0..<30_000 {
            let zeros = Int.random(in: 0...255, using: &generator)
            let words = (0..<8).map { zeros & (1 << $0) != 0 ? 0 : UInt16.random(in: 0...0xffff, using: &generator) }
            let valid = Bool.random(using: &generator)
                ? ntop(ipv6(words)) : ntop(IPAddress(family: .ipv4, value: UInt128(UInt32.random(in: 0...UInt32.max))))
            var characters = Array(valid)
            let at = Int.random(in: 0..<characters.count, using: &generator)
            switch Int.random(in: 0..<3, using: &generator) {
            case 0: characters[at] = alphabet.randomElement(using: &generator)!
            case 1: characters.remove(at: at)
            default: characters.insert(alphabet.randomElement(using: &generator)!, at: at)
            }
            samples += [valid, String(characters)]
        }
        for text in samples {
            XCTAssertEqual(IPAddress(text), pton(text), "'\(text)'")
        }
    }
}
