import Foundation
import NetworkAddresses
import PolicyLanguage
import PolicyModel
import Testing

/// What apply keeps between runs is only ever a help: a file that is missing, unreadable, truncated,
/// damaged, of another format version or written by another build loads as nothing kept.
@Suite struct ParsedZonesFileTests {
    static func sample() throws -> ParsedZones {
        var edits = PolicyEdits(rng: SplitMix64(state: 5))
        let text = edits.policy().joined(separator: "\n") + "\n"
        let loaded = try #require(IncrementalLoader.load(Array(text.utf8), path: IncrementalLoaderTests.policyPath,
                                                         zones: ParsedZones(), minimumZoneBytes: 64))
        #expect(loaded.zones.entries.count >= 8)
        return loaded.zones
    }

    @Test func roundTripsThroughItsFileForm() throws {
        let zones = try Self.sample()
        #expect(ParsedZones(encoded: zones.encoded(identity: "a"), identity: "a") == zones)
    }

    @Test func anotherIdentityOrVersionIsIgnored() throws {
        let encoded = try Self.sample().encoded(identity: "ztpol 0.1.0 1:2:3:4")
        #expect(ParsedZones(encoded: encoded, identity: "ztpol 0.1.0 1:2:3:5") == nil)
        var otherVersion = encoded
        otherVersion[8] &+= 1
        #expect(ParsedZones(encoded: otherVersion, identity: "ztpol 0.1.0 1:2:3:4") == nil)
    }

    @Test func everyTruncationIsIgnored() throws {
        let encoded = try Self.sample().encoded(identity: "a")
        for length in stride(from: 0, to: encoded.count, by: max(1, encoded.count / 500)) {
            #expect(ParsedZones(encoded: Array(encoded.prefix(length)), identity: "a") == nil)
        }
        #expect(ParsedZones(encoded: encoded + [0], identity: "a") == nil)
    }

    @Test func everyDamagedByteIsNoticed() throws {
        let encoded = try Self.sample().encoded(identity: "a")
        for index in stride(from: 0, to: encoded.count, by: max(1, encoded.count / 500)) {
            for flip: UInt8 in [0x01, 0x80, 0xFF] {
                var damaged = encoded
                damaged[index] ^= flip
                #expect(ParsedZones(encoded: damaged, identity: "a") == nil, "byte \(index) ^ \(flip)")
            }
        }
    }

    @Test func aFileThatCannotBeReadLoadsAsNothing() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ztpol-zones-\(UUID().uuidString)")
        // A folder where the file should be: unreadable as a file, even to root.
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("p.zones"),
                                                withIntermediateDirectories: true)
        #expect(ParsedZonesFile(path: folder.appendingPathComponent("p.zones").path, identity: "a").load()
                == ParsedZones())
        #expect(ParsedZonesFile(path: folder.appendingPathComponent("none").path, identity: "a").load()
                == ParsedZones())
        let garbage = folder.appendingPathComponent("garbage.zones")
        try Data("not a cache".utf8).write(to: garbage)
        #expect(ParsedZonesFile(path: garbage.path, identity: "a").load() == ParsedZones())
        let file = ParsedZonesFile(path: folder.appendingPathComponent("sub/p.zones").path, identity: "a")
        let zones = try Self.sample()
        file.save(zones)
        #expect(file.load() == zones)
        #expect(ParsedZonesFile(path: file.path, identity: "b").load() == ParsedZones())
    }

    @Test func setsMustBeInNormalForm() {
        let range = { (first: String, last: String) in AddressRange(first: IPAddress(first)!, last: IPAddress(last)!) }
        #expect(AddressSet(normalisedIPv4: [range("10.0.0.0", "10.0.0.9"), range("10.0.0.11", "10.0.0.20")],
                           ipv6: [range("fd::", "fd::1")]) != nil)
        #expect(AddressSet(normalisedIPv4: [range("10.0.0.0", "10.0.0.9"), range("10.0.0.10", "10.0.0.20")],
                           ipv6: []) == nil)
        #expect(AddressSet(normalisedIPv4: [range("10.0.0.5", "10.0.0.9"), range("10.0.0.0", "10.0.0.1")],
                           ipv6: []) == nil)
        #expect(AddressSet(normalisedIPv4: [range("fd::", "fd::1")], ipv6: []) == nil)
        #expect(AddressSet(normalisedIPv4: [range("0.0.0.0", "255.255.255.255"), range("10.0.0.0", "10.0.0.1")],
                           ipv6: []) == nil)
    }
}
