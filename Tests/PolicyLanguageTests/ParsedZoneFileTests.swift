import Foundation
import NetworkAddresses
import PolicyLanguage
@testable import PolicyModel
import Testing
import TestSupport

/// What apply keeps between runs is only ever a help: a file that is missing, unreadable, truncated,
/// damaged, of another format version or written by another build is not used.
@Suite struct ParsedZoneFileTests {
    static func sample() throws -> [ParsedZone] {
        var edits = PolicyEdits(rng: SeededGenerator(seed: 5))
        let loaded = try #require(IncrementalLoaderTests.load(edits.policy().joined(separator: "\n") + "\n",
                                                              from: nil))
        #expect(loaded.learned.count >= 8)
        return loaded.learned
    }

    @Test func roundTripsThroughItsFileForm() throws {
        for zone in try Self.sample() {
            #expect(ParsedZone(encoded: zone.encoded(identity: "a"), identity: "a") == zone)
        }
    }

    @Test func anotherIdentityOrVersionIsIgnored() throws {
        let encoded = try Self.sample()[0].encoded(identity: "ztpol 0.1.0 1:2:3:4")
        #expect(ParsedZone(encoded: encoded, identity: "ztpol 0.1.0 1:2:3:5") == nil)
        var otherVersion = encoded
        otherVersion[8] &+= 1
        #expect(ParsedZone(encoded: otherVersion, identity: "ztpol 0.1.0 1:2:3:4") == nil)
    }

    @Test func everyTruncationIsIgnored() throws {
        let encoded = try Self.sample()[0].encoded(identity: "a")
        for length in 0..<encoded.count {
            #expect(ParsedZone(encoded: Array(encoded.prefix(length)), identity: "a") == nil)
        }
        #expect(ParsedZone(encoded: encoded + [0], identity: "a") == nil)
    }

    @Test func everyDamagedByteIsNoticed() throws {
        let encoded = try Self.sample()[0].encoded(identity: "a")
        for index in encoded.indices {
            for flip: UInt8 in [0x01, 0x80, 0xFF] {
                var damaged = encoded
                damaged[index] ^= flip
                #expect(ParsedZone(encoded: damaged, identity: "a") == nil, "byte \(index) ^ \(flip)")
            }
        }
    }

    /// The checksum runs in four lanes over 32-byte blocks, then word by word, then over the last bytes:
    /// one changed byte anywhere, at every length that ends in each of those parts, changes it.
    @Test func checksumNoticesEveryChangedByte() {
        var random = SeededGenerator(seed: 11)
        for length in 0...100 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }
            let sum = bytes.withUnsafeBytes(ParsedZone.checksum)
            #expect((bytes + [0]).withUnsafeBytes(ParsedZone.checksum) != sum, "length \(length) + 1")
            for index in bytes.indices {
                for flip: UInt8 in [0x01, 0x80, 0xFF] {
                    var changed = bytes
                    changed[index] ^= flip
                    #expect(changed.withUnsafeBytes(ParsedZone.checksum) != sum, "length \(length), byte \(index)")
                }
            }
            // Bytes swapped between the first two lanes.
            if length >= 40 {
                var swapped = bytes
                swapped.swapAt(0, 8)
                swapped.swapAt(1, 9)
                #expect(swapped == bytes || swapped.withUnsafeBytes(ParsedZone.checksum) != sum, "length \(length)")
            }
        }
    }

    @Test func aFolderKeepsZonesAndIgnoresWhatItCannotUse() throws {
        let zones = try Self.sample()
        let folder = IncrementalLoaderTests.keptZones()
        folder.save(learned: zones, used: [])
        for zone in zones {
            let found = zone.text.withUnsafeBufferPointer { folder.zone(for: $0, key: zone.key) }
            #expect(found == zone.kept)
            // Another build's folder, or another text under the same key, finds nothing.
            let other = ParsedZoneFolder(path: folder.path, identity: "other build")
            #expect(zone.text.withUnsafeBufferPointer { other.zone(for: $0, key: zone.key) } == nil)
            #expect(Array(zone.text.dropLast()).withUnsafeBufferPointer { folder.zone(for: $0, key: zone.key) } == nil)
        }
        // Garbage, an empty file, a folder where a file should be (unreadable as a file, even to root), a file
        // others may write, and a symbolic link to a good file.
        let zone = zones[0]
        let file = folder.path + "/" + String(format: "%016llx", zone.key) + ".zone"
        let good = folder.path + "/good"
        try Data(zone.encoded(identity: "test")).write(to: URL(fileURLWithPath: good))
        for stand in ["garbage", "empty", "folder", "writable", "link"] {
            try FileManager.default.removeItem(atPath: file)
            switch stand {
            case "garbage": try Data("not a zone".utf8).write(to: URL(fileURLWithPath: file))
            case "empty": try Data().write(to: URL(fileURLWithPath: file))
            case "folder": try FileManager.default.createDirectory(atPath: file, withIntermediateDirectories: false)
            case "writable":
                try FileManager.default.copyItem(atPath: good, toPath: file)
                chmod(file, 0o666)
            default: try FileManager.default.createSymbolicLink(atPath: file, withDestinationPath: good)
            }
            #expect(zone.text.withUnsafeBufferPointer { folder.zone(for: $0, key: zone.key) } == nil, "\(stand)")
        }
        try FileManager.default.removeItem(atPath: file)
        try FileManager.default.copyItem(atPath: good, toPath: file)
        #expect(zone.text.withUnsafeBufferPointer { folder.zone(for: $0, key: zone.key) } == zone.kept)
    }

    /// A named pipe where a file should be is passed over at once: opening it to read must not wait for
    /// a writer that never comes (apply would hang before it changes anything).
    @Test func aNamedPipeIsPassedOverWithoutWaiting() throws {
        let zone = try Self.sample()[0]
        let folder = IncrementalLoaderTests.keptZones()
        let file = folder.path + "/" + String(format: "%016llx", zone.key) + ".zone"
        try FileManager.default.createDirectory(atPath: folder.path, withIntermediateDirectories: true)
        #expect(mkfifo(file, 0o600) == 0)
        let done = DispatchSemaphore(value: 0)
        let found = LockedBox<KeptZone?>(nil)
        let (path, identity) = (folder.path, folder.identity)
        Thread.detachNewThread {
            let folder = ParsedZoneFolder(path: path, identity: identity)
            found.value = zone.text.withUnsafeBufferPointer { folder.zone(for: $0, key: zone.key) }
            done.signal()
        }
        let finished = done.wait(timeout: .now() + 5) == .success
        if !finished {
            // Let the blocked reader go: a writer that opens and closes gives it end of file.
            let writer = open(file, O_WRONLY | O_NONBLOCK)
            if writer >= 0 { close(writer) }
            _ = done.wait(timeout: .now() + 5)
        }
        #expect(finished, "reading a named pipe waited for a writer")
        #expect(found.value == nil)
    }

    /// A kept file cut short by someone else while it is being read is still read as it was, or not at all:
    /// never a crash. Mapped, the truncation below raised SIGBUS on the next page read and killed apply.
    @Test func aFileTruncatedWhileReadIsReadWhole() throws {
        let template = try Self.sample()[0]
        let literals = (0..<4000).map { "10.\($0 / 256).\($0 % 256).0/24" }.joined(separator: ", ")
        let zone = ParsedZone(text: Array("zone big \(literals)\n".utf8)[...], name: "big", nameColumn: 6,
                              addresses: template.addresses)
        let folder = IncrementalLoaderTests.keptZones()
        folder.save(learned: [zone], used: [])
        let file = folder.file(zone.key)
        let encoded = zone.encoded(identity: folder.identity)
        #expect(encoded.count > 3 * 4096, "the file spans pages past the cut")
        let seen = ParsedZoneFolder.contents(file) { raw -> [UInt8]? in
            #expect(truncate(file, 100) == 0)
            return Array(raw)
        }
        #expect(seen == encoded)
        // What is left now is only the first 100 bytes: not used.
        #expect(zone.text.withUnsafeBufferPointer { folder.zone(for: $0, key: zone.key) } == nil)
    }

    /// A kept file far larger than its statement could need is passed over unread: a sparse file claims any
    /// size, and reading a whole one of 64 GiB took all the memory there was.
    @Test func aFileTooLargeForItsStatementIsNotRead() throws {
        let zone = try Self.sample()[0]
        let folder = IncrementalLoaderTests.keptZones()
        folder.save(learned: [zone], used: [])
        let file = folder.file(zone.key)
        let size = zone.encoded(identity: folder.identity).count
        #expect(size <= ParsedZone.largestEncoding(of: zone.text.count, identity: folder.identity))
        #expect(zone.text.withUnsafeBufferPointer { folder.zone(for: $0, key: zone.key) } == zone.kept)
        try #require(truncate(file, 64 << 30) == 0)
        let clock = ContinuousClock()
        let started = clock.now
        #expect(zone.text.withUnsafeBufferPointer { folder.zone(for: $0, key: zone.key) } == nil)
        #expect(started.duration(to: clock.now) < .seconds(1))
    }

    /// A temporary file a killed process left under this process's id does not stop the write; and a
    /// write leaves no temporary file behind.
    @Test func aLeftoverTemporaryFileIsReplaced() throws {
        let folder = IncrementalLoaderTests.keptZones()
        try FileManager.default.createDirectory(atPath: folder.path, withIntermediateDirectories: true)
        let path = folder.path + "/record"
        let leftover = "\(path).\(getpid()).tmp"
        #expect(FileManager.default.createFile(atPath: leftover, contents: Data("torn".utf8)))
        CacheFile.write(Array("whole\n".utf8), to: path)
        #expect(FileManager.default.contents(atPath: path) == Data("whole\n".utf8))
        #expect(!FileManager.default.fileExists(atPath: leftover))
        CacheFile.write(Array("again\n".utf8), to: path)
        #expect(FileManager.default.contents(atPath: path) == Data("again\n".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["record"])
    }

    /// Beyond its minimum and twice what the last saving load used, the folder drops the least recently
    /// used files, never the ones that load used or learned.
    @Test func theLeastRecentlyUsedGo() throws {
        let template = try Self.sample()[0]
        let zones = (0..<70).map { index in
            ParsedZone(text: Array("zone n\(index) 10.0.0.\(index)\n".utf8)[...], name: "n\(index)", nameColumn: 6,
                       addresses: template.addresses)
        }
        let folder = IncrementalLoaderTests.keptZones()
        folder.save(learned: zones, used: [])
        let files = {
            try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".zone") }
        }
        #expect(try files().count == 70)
        // Distinct times in the past, in order: file times may be as coarse as a clock tick.
        for (index, zone) in zones.enumerated() {
            let path = folder.path + "/" + String(format: "%016llx", zone.key) + ".zone"
            let time = timespec(tv_sec: time(nil) - 1000 + index, tv_nsec: 0)
            #expect(utimensat(AT_FDCWD, path, [time, time], 0) == 0)
        }
        let new = ParsedZone(text: Array("zone new 10.0.0.1\n".utf8)[...], name: "new", nameColumn: 6,
                             addresses: template.addresses)
        folder.save(learned: [new], used: [zones[0].key, zones[1].key])
        #expect(try files().count == 64)
        for zone in [new, zones[0], zones[1], zones[69]] {
            #expect(zone.text.withUnsafeBufferPointer { folder.zone(for: $0, key: zone.key) } == zone.kept)
        }
        #expect(zones[2].text.withUnsafeBufferPointer { folder.zone(for: $0, key: zones[2].key) } == nil)
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
        #expect(AddressSet(normalisedIPv4: [], ipv6: [range("fd::", "fd::1"), range("10.0.0.2", "10.0.0.3")]) == nil)
        #expect(AddressSet(normalisedIPv4: [], ipv6: [range("fd::", "fd::5"), range("fd::6", "fd::7")]) == nil)
        #expect(AddressSet(normalisedIPv4: [], ipv6: [range("fd::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"),
                                                      range("ff::", "ff::1")]) == nil)
        #expect(AddressSet(normalisedIPv4: [range("10.0.0.0", "10.0.0.0")],
                           ipv6: [range("fd::", "fd::5"), range("fd::7", "fd::7")]) != nil)
    }

    /// A range whose ends are reversed is refused even in a file whose checksum holds (one written wrongly).
    @Test func aReversedRangeInAFileIsRefused() {
        let zone = ParsedZone(text: Array("zone z 10.0.0.1-10.0.0.9\n".utf8)[...], name: "z", nameColumn: 6,
                              addresses: AddressSet([AddressRange(first: IPAddress("10.0.0.1")!,
                                                                  last: IPAddress("10.0.0.9")!)]))
        var encoded = zone.encoded(identity: "a")
        #expect(ParsedZone(encoded: encoded, identity: "a") == zone)
        // The one IPv4 range is the last 8 bytes before the checksum: swap its two ends and sign it again.
        let ends = encoded.count - 16
        let (first, last) = (Array(encoded[ends..<ends + 4]), Array(encoded[ends + 4..<ends + 8]))
        encoded.replaceSubrange(ends..<ends + 8, with: last + first)
        let body = encoded.count - 8
        let sum = encoded[..<body].withUnsafeBytes(ParsedZone.checksum)
        encoded.replaceSubrange(body..., with: withUnsafeBytes(of: sum.littleEndian, Array.init))
        #expect(ParsedZone(encoded: encoded, identity: "a") == nil)
    }
}

/// A value handed between threads in a test.
final class LockedBox<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
