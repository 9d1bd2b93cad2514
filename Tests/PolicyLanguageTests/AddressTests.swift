import NetworkAddresses
import Testing

@Suite struct AddressTests {
    func address(_ text: String) -> IPAddress { IPAddress(text)! }

    @Test(arguments: [
        ("::", "::"), ("::1", "::1"), ("1::", "1::"), ("fd77::1", "fd77::1"),
        ("2001:db8:0:0:0:0:2:1", "2001:db8::2:1"), ("2001:0db8::0001", "2001:db8::1"),
        ("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"), ("2001:0:0:1:0:0:0:1", "2001:0:0:1::1"),
        ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"), ("FD77::ABCD", "fd77::abcd"),
        ("::ffff:1.2.3.4", "::ffff:1.2.3.4"), ("::ffff:0102:0304", "::ffff:1.2.3.4"), ("::1.2.3.4", "::102:304"),
        ("1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:102:304"), ("0:0:0:0:0:0:0:0", "::"),
    ])
    func ipv6TextRoundTrips(_ input: String, _ canonical: String) {
        #expect(IPAddress(input)?.description == canonical)
        #expect(IPAddress(canonical) == IPAddress(input))
    }

    @Test(arguments: [
        "010.0.0.1", "1.2.3.04", "256.0.0.1", "1.2.3", "1.2.3.4.5", "1..2.3", "", " 1.2.3.4", "+1.2.3.4",
        "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7::8", ":::", "1:::2", "::1::2", "12345::", ":1::", "1::2:", "g::1",
        "::ffff:1.2.3.04", "1:2:3:4:5:6:7:1.2.3.4", "::1.2.3", "fe80::1%eth0",
        "1.2.3.4é", "é1.2.3.4", "fd77::1é", "１.2.3.4", "fd77::é:1", "::ffff:1.2.3.4\u{301}", "1.2.3.٤",
    ])
    func malformedTextIsRefused(_ text: String) {
        #expect(IPAddress(text) == nil)
    }

    /// A range keeps both ends whole, of either family, in 40 bytes (see `AddressRange`).
    @Test func rangesKeepTheirEndsIn40Bytes() {
        #expect(MemoryLayout<AddressRange>.stride == 40)
        let top = AddressRange(first: address("8000::1"), last: address("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"))
        #expect(top.first.value == UInt128(1) << 127 | 1 && top.last.value == UInt128.max && top.family == .ipv6)
        let v4 = AddressRange(first: address("0.0.0.0"), last: address("255.255.255.255"))
        #expect(v4.first.value == 0 && v4.last.value == UInt128(UInt32.max) && v4.family == .ipv4)
        #expect(v4 != AddressRange(first: IPAddress(family: .ipv6, value: 0), last: IPAddress(family: .ipv6,
                                                                                              value: 0xffff_ffff)))
    }

    /// No byte outside ASCII is part of an address, wherever it stands, valid UTF-8 or not.
    @Test func bytesOutsideASCIIAreRefusedAnywhere() {
        for text in ["10.20.30.40", "fd77::1", "1:2:3:4:5:6:7:8", "::ffff:1.2.3.4", "::"] {
            let bytes = Array(text.utf8)
            #expect(bytes.withUnsafeBufferPointer { IPAddress(utf8: $0) } == IPAddress(text))
            for at in 0...bytes.count {
                for odd: UInt8 in [0x80, 0xB0, 0xBA, 0xC3, 0xFF] {
                    var changed = bytes
                    changed.insert(odd, at: at)
                    #expect(changed.withUnsafeBufferPointer { IPAddress(utf8: $0) } == nil, "\(odd) at \(at), \(text)")
                    if at < bytes.count {
                        changed = bytes
                        changed[at] = odd
                        #expect(changed.withUnsafeBufferPointer { IPAddress(utf8: $0) } == nil)
                    }
                }
            }
        }
    }

    @Test func prefixesAtTheEdges() {
        let all4 = Prefix(network: address("0.0.0.0"), length: 0).range
        #expect(all4 == .everything(.ipv4))
        #expect(all4.prefixes.map(\.description) == ["0.0.0.0/0"])
        let all6 = Prefix(network: address("::"), length: 0).range
        #expect(all6.prefixes.map(\.description) == ["::/0"])
        let host = Prefix(network: address("fd77::1"), length: 128).range
        #expect(host.first == host.last && host.description == "fd77::1")
        #expect(Prefix.hasHostBits(address("10.0.0.1"), length: 32) == false)
        #expect(Prefix.hasHostBits(address("10.0.0.1"), length: 0))
        #expect(Prefix.masked(address("10.0.0.1"), length: 0).description == "0.0.0.0/0")
        #expect(Prefix.masked(address("fd77::1:2"), length: 112).description == "fd77::1:0/112")
        #expect(Prefix.hasHostBits(address("::"), length: 128) == false)
    }

    @Test func rangesBecomeTheFewestPrefixes() {
        let range = AddressRange(first: address("10.0.0.5"), last: address("10.0.0.9"))
        #expect(range.prefixes.map(\.description) == ["10.0.0.5/32", "10.0.0.6/31", "10.0.0.8/31"])
        #expect(range.description == "10.0.0.5-10.0.0.9")
        let top = AddressRange(first: address("255.255.255.254"), last: address("255.255.255.255"))
        #expect(top.prefixes.map(\.description) == ["255.255.255.254/31"])
        let v6 = AddressRange(first: address("::1"), last: address("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"))
        #expect(v6.prefixes.count == 128)
        #expect(v6.prefixes.first?.description == "::1/128")
        #expect(v6.prefixes.last?.description == "8000::/1")
    }

    @Test func unionMergesTouchingRangesPerFamily() {
        let set = AddressSet([
            AddressRange(address("10.0.0.1")), AddressRange(address("10.0.0.2")), AddressRange(address("fd77::1")),
            AddressRange(first: address("10.0.0.3"), last: address("10.0.0.7")),
        ])
        #expect(set.description == "10.0.0.1-10.0.0.7, fd77::1")
        #expect(set.families == [.ipv4, .ipv6])
        #expect(set.contains(address("10.0.0.4")) && !set.contains(address("10.0.0.8")))
        #expect(!set.contains(address("::ffff:10.0.0.4")))
    }

    @Test func subtractionSplitsAndTrimsRanges() {
        let lan = AddressSet([Prefix(network: address("10.0.0.0"), length: 24).range])
        let holes = AddressSet([
            AddressRange(address("10.0.0.0")), AddressRange(first: address("10.0.0.10"), last: address("10.0.0.19")),
            Prefix(network: address("10.0.0.128"), length: 25).range, AddressRange(address("fd77::1")),
        ])
        #expect(lan.subtracting(holes).description == "10.0.0.1-10.0.0.9, 10.0.0.20-10.0.0.127")
        #expect(lan.subtracting(lan).isEmpty)
        #expect(AddressSet.everything.subtracting(lan).ranges(.ipv4).count == 2)
        #expect(AddressSet.everything.subtracting(lan).coversAll(.ipv6))
    }

    @Test func intersectionKeepsOnlyCommonAddresses() {
        let a = AddressSet([AddressRange(first: address("10.0.0.1"), last: address("10.0.0.10")),
                            AddressRange(first: address("10.0.0.20"), last: address("10.0.0.30"))])
        let b = AddressSet([AddressRange(first: address("10.0.0.5"), last: address("10.0.0.25")),
                            AddressRange(address("fd77::1"))])
        #expect(a.intersection(b).description == "10.0.0.5-10.0.0.10, 10.0.0.20-10.0.0.25")
        #expect(!a.intersects(AddressSet([AddressRange(address("10.0.0.15"))])))
        #expect(AddressSet.everything.intersection(b) == b)
    }

    /// `intersects` searches one list for the other's ranges without building the intersection; it must say what the
    /// intersection says, on edges that touch, overlap by one address, or miss by one.
    @Test func intersectsAgreesWithTheIntersection() {
        var random = SystemRandomNumberGenerator()
        func randomSet() -> AddressSet {
            AddressSet((0..<Int.random(in: 0...4, using: &random)).map { _ in
                let first = UInt128.random(in: 0..<64, using: &random)
                let family: IPFamily = Bool.random(using: &random) ? .ipv4 : .ipv6
                return AddressRange(first: IPAddress(family: family, value: first),
                                    last: IPAddress(family: family, value: first + UInt128.random(in: 0..<6)))
            })
        }
        for _ in 0..<5000 {
            let (a, b) = (randomSet(), randomSet())
            #expect(a.intersects(b) == !a.intersection(b).isEmpty, "\(a) and \(b)")
        }
    }

    @Test func portRangesNormalise() {
        let merged = PortRange.normalise([PortRange(443), PortRange(80, 90), PortRange(91, 100), PortRange(85, 86),
                                          PortRange(65535), PortRange(1, 1)])
        #expect(merged.map(\.description) == ["1", "80-100", "443", "65535"])
    }
}
