#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NetworkAddresses
import Prefault

/// The file form of a `ParsedZone`: flat little-endian numbers that load a zone of thousands of ranges
/// in well under a millisecond (JSON took a hundred times that). It starts with a magic, a format
/// version and the identity of the program that wrote it (another build may parse differently), and
/// ends with a checksum of all before it. Anything that does not fit (foreign, truncated, damaged,
/// malformed) makes the file unusable, and the statement is parsed again.
///
///     "ztpolzc\0"  u32 version  u32 n, identity[n]
///     u32 text, u32 name, u32 column, u32 v4, u32 v6,
///     text bytes, name bytes, v4 × (u32 first, u32 last), v6 × (u128 first, u128 last)
///     u64 checksum
extension ParsedZone {
    static let magic = Array("ztpolzc\0".utf8)
    /// 3: the checksum runs in four lanes; files of version 2 are simply parsed anew.
    static let formatVersion = 3

    public func encoded(identity: String) -> [UInt8] {
        let identity = Array(identity.utf8)
        let name = Array(self.name.utf8)
        let size = ParsedZone.magic.count + 8 + identity.count + 20 + text.count + name.count
            + addresses.ipv4.count * 8 + addresses.ipv6.count * 32 + 8
        // Written in place into a buffer of the final size: appending number by number was ten times slower.
        return [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            var out = ByteWriter(buffer.baseAddress!)
            out.bytes(ParsedZone.magic)
            for number in [ParsedZone.formatVersion, identity.count] { out.u32(number) }
            out.bytes(identity)
            for number in [text.count, name.count, nameColumn, addresses.ipv4.count, addresses.ipv6.count] {
                out.u32(number)
            }
            out.bytes(text)
            out.bytes(name)
            for range in addresses.ipv4 {
                out.u32(Int(range.first.value))
                out.u32(Int(range.last.value))
            }
            for range in addresses.ipv6 {
                out.u128(range.first.value)
                out.u128(range.last.value)
            }
            out.u64(ParsedZone.checksum(UnsafeRawBufferPointer(start: buffer.baseAddress!, count: out.offset)))
            precondition(out.offset == size, "ParsedZone: encoded size miscounted")
            count = size
        }
    }

    /// The largest file a statement of `textCount` bytes can have. Its name is part of its text, and it
    /// resolves to at most one range per two bytes of text (a literal and a separator each, an exclusion
    /// splitting at most one range in two), 32 bytes each.
    static func largestEncoding(of textCount: Int, identity: String) -> Int {
        magic.count + 8 + identity.utf8.count + 20 + 2 * textCount + (textCount / 2 + 1) * 32 + 8
    }

    /// Nil unless `data` is a whole, undamaged file of this format written by `identity`.
    public init?(encoded data: [UInt8], identity: String) {
        guard let (entry, text) = data.withUnsafeBytes({ raw in
            ParsedZone.decode(raw, identity: identity).map { ($0, $0.text) }
        }) else { return nil }
        // The text stays in `data`, uncopied.
        self.init(text: data[text], name: entry.name, nameColumn: entry.nameColumn, addresses: entry.addresses)
    }

    /// The zone a file holds, when the file is whole, undamaged, of this format, written by `identity`, and
    /// kept for exactly the statement `text`. Read in place: only the addresses and the name are built.
    static func kept(in raw: UnsafeRawBufferPointer, identity: String,
                     matching text: UnsafeBufferPointer<UInt8>) -> KeptZone? {
        guard let entry = decode(raw, identity: identity), entry.text.count == text.count,
              text.isEmpty || memcmp(raw.baseAddress! + entry.text.lowerBound, text.baseAddress!, text.count) == 0
        else { return nil }
        return KeptZone(name: entry.name, nameColumn: entry.nameColumn, addresses: entry.addresses)
    }

    /// The parts of a file, its text as a range of byte offsets.
    private static func decode(_ raw: UnsafeRawBufferPointer, identity: String)
        -> (text: Range<Int>, name: String, nameColumn: Int, addresses: AddressSet)? {
        guard raw.count >= ParsedZone.magic.count + 8 else { return nil }
        var trailer = ByteReader(raw, at: raw.count - 8)
        let body = UnsafeRawBufferPointer(rebasing: raw[..<(raw.count - 8)])
        guard ParsedZone.checksum(body) == trailer.u64() else { return nil }
        var input = ByteReader(body, at: 0)
        guard input.bytes(ParsedZone.magic.count).elementsEqual(ParsedZone.magic),
              input.u32() == ParsedZone.formatVersion,
              let length = input.u32(), input.bytes(length).elementsEqual(identity.utf8),
              let textCount = input.u32(), let nameCount = input.u32(), let column = input.u32(),
              let v4Count = input.u32(), let v6Count = input.u32(), textCount > 0,
              let text = input.skip(textCount), case let name = input.bytes(nameCount), name.count == nameCount,
              let v4 = input.ranges(v4Count, family: .ipv4), let v6 = input.ranges(v6Count, family: .ipv6),
              input.isAtEnd, let addresses = AddressSet(normalisedIPv4: v4, ipv6: v6) else { return nil }
        return (text, String(decoding: name, as: UTF8.self), column, addresses)
    }
}

/// Writes little-endian numbers and bytes into memory sized for them beforehand.
private struct ByteWriter {
    let base: UnsafeMutableRawPointer
    var offset = 0

    init(_ base: UnsafeMutablePointer<UInt8>) { self.base = UnsafeMutableRawPointer(base) }

    mutating func u32(_ value: Int) { store(UInt32(value).littleEndian) }
    mutating func u64(_ value: UInt64) { store(value.littleEndian) }
    mutating func u128(_ value: UInt128) {
        u64(UInt64(truncatingIfNeeded: value))
        u64(UInt64(truncatingIfNeeded: value >> 64))
    }

    mutating func bytes(_ bytes: some Collection<UInt8>) {
        let count = bytes.withContiguousStorageIfAvailable { source in
            if let start = source.baseAddress { (base + offset).copyMemory(from: start, byteCount: source.count) }
            return source.count
        }
        precondition(count != nil, "ByteWriter: bytes not contiguous")
        offset += count!
    }

    private mutating func store<T>(_ value: T) {
        base.storeBytes(of: value, toByteOffset: offset, as: T.self)
        offset += MemoryLayout<T>.size
    }
}

/// Reads what `ByteWriter` wrote; every read is bounds-checked and gives nil (or nothing) past the end.
private struct ByteReader {
    let data: UnsafeRawBufferPointer
    var offset: Int

    init(_ data: UnsafeRawBufferPointer, at offset: Int) {
        self.data = data
        self.offset = offset
    }

    var isAtEnd: Bool { offset == data.count }

    /// The offsets of the next `count` bytes, which are passed over.
    mutating func skip(_ count: Int) -> Range<Int>? {
        guard count >= 0, data.count - offset >= count else { return nil }
        defer { offset += count }
        return offset..<offset + count
    }

    /// The next `count` bytes; fewer (and then nothing more) past the end.
    mutating func bytes(_ count: Int) -> UnsafeRawBufferPointer {
        guard let range = skip(count) else {
            offset = data.count
            return UnsafeRawBufferPointer(rebasing: data[offset...])
        }
        return UnsafeRawBufferPointer(rebasing: data[range])
    }

    mutating func u32() -> Int? {
        guard let range = skip(4) else { return nil }
        return Int(UInt32(littleEndian: data.loadUnaligned(fromByteOffset: range.lowerBound, as: UInt32.self)))
    }

    mutating func u64() -> UInt64? {
        guard let range = skip(8) else { return nil }
        return UInt64(littleEndian: data.loadUnaligned(fromByteOffset: range.lowerBound, as: UInt64.self))
    }

    /// `count` ranges of `family`, read in one pass over the raw bytes.
    mutating func ranges(_ count: Int, family: IPFamily) -> [AddressRange]? {
        let width = family == .ipv4 ? 4 : 16
        guard count <= data.count - offset, let range = skip(count * 2 * width) else { return nil }
        let bytes = UnsafeRawBufferPointer(rebasing: data[range])
        // Written straight into the list's memory: tens of thousands of ranges a warm load.
        let result = [AddressRange](unsafeUninitializedCapacity: count) { ranges, built in
            Prefault.forWriting(UnsafeMutableRawBufferPointer(start: ranges.baseAddress,
                                                              count: count * MemoryLayout<AddressRange>.stride))
            for index in 0..<count {
                let at = index * 2 * width
                let first = ByteReader.number(bytes, at: at, width: width)
                let last = ByteReader.number(bytes, at: at + width, width: width)
                guard first <= last else { return }
                (ranges.baseAddress! + index).initialize(to: AddressRange(
                    first: IPAddress(family: family, value: first), last: IPAddress(family: family, value: last)))
                built = index + 1
            }
        }
        return result.count == count ? result : nil
    }

    private static func number(_ bytes: UnsafeRawBufferPointer, at offset: Int, width: Int) -> UInt128 {
        if width == 4 {
            return UInt128(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
        }
        let low = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
        let high = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self))
        return UInt128(high) << 64 | UInt128(low)
    }
}
