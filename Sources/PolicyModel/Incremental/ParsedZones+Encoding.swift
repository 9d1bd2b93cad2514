import NetworkAddresses

/// The file form of `ParsedZones`: flat little-endian numbers that load 100k ranges in a millisecond or
/// two (JSON took a hundred times that). It starts with a magic, a format version and the identity of
/// the program that wrote it (another build may parse differently), and ends with a checksum of all
/// before it. Anything that does not fit (foreign, truncated, damaged, malformed) makes the whole file
/// unusable, and the load reads the policy from scratch.
///
///     "ztpolzc\0"  u32 version  u32 n, identity[n]  u32 entries
///     per entry:   u32 text, u32 name, u32 column, u32 unused, u32 v4, u32 v6,
///                  text bytes, name bytes, v4 × (u32 first, u32 last), v6 × (u128 first, u128 last)
///     u64 checksum
extension ParsedZones {
    static let magic = Array("ztpolzc\0".utf8)
    static let formatVersion: UInt32 = 1

    public func encoded(identity: String) -> [UInt8] {
        var out = ByteWriter()
        out.bytes += ParsedZones.magic
        out.u32(ParsedZones.formatVersion)
        out.data(Array(identity.utf8))
        out.u32(entries.count)
        for entry in entries {
            let name = Array(entry.name.utf8)
            for number in [entry.text.count, name.count, entry.nameColumn, entry.unused,
                           entry.addresses.ipv4.count, entry.addresses.ipv6.count] {
                out.u32(number)
            }
            out.bytes += entry.text
            out.bytes += name
            for range in entry.addresses.ipv4 {
                out.u32(Int(range.first.value))
                out.u32(Int(range.last.value))
            }
            for range in entry.addresses.ipv6 {
                out.u128(range.first.value)
                out.u128(range.last.value)
            }
        }
        out.u64(ParsedZones.checksum(out.bytes[...]))
        return out.bytes
    }

    /// Nil unless `data` is a whole, undamaged file of this format written by `identity`.
    public init?(encoded data: [UInt8], identity: String) {
        var trailer = ByteReader(data, at: max(0, data.count - 8))
        guard data.count >= ParsedZones.magic.count + 8, ParsedZones.checksum(data.dropLast(8)) == trailer.u64() else {
            return nil
        }
        var input = ByteReader(data.dropLast(8), at: 0)
        guard input.take(ParsedZones.magic.count) == ParsedZones.magic[...],
              input.u32() == Int(ParsedZones.formatVersion),
              let length = input.u32(), input.take(length) == Array(identity.utf8)[...],
              let count = input.u32() else { return nil }
        self.init()
        for _ in 0..<count {
            guard let entry = input.entry() else { return nil }
            add(entry)
        }
        guard input.isAtEnd else { return nil }
    }

    /// A 64-bit checksum over 8-byte words: each step is a bijection of the running value, so any one
    /// damaged word changes the result; it guards against damage, not against someone who can write /run.
    static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        bytes.withUnsafeBytes { raw in
            var hash: UInt64 = 0x243F_6A88_85A3_08D3 ^ UInt64(raw.count)
            var index = 0
            while index + 8 <= raw.count {
                hash = ParsedZones.mix(hash, raw.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                index += 8
            }
            var tail: UInt64 = 0
            for offset in index..<raw.count { tail |= UInt64(raw[offset]) << UInt64(8 * (offset - index)) }
            return ParsedZones.mix(hash, tail)
        }
    }

    private static func mix(_ hash: UInt64, _ word: UInt64) -> UInt64 {
        let mixed = (hash ^ word) &* 0x9E37_79B9_7F4A_7C15
        return (mixed << 29) | (mixed >> 35)
    }
}

private struct ByteWriter {
    var bytes: [UInt8] = []

    mutating func u32(_ value: Int) { u32(UInt32(value)) }
    mutating func u32(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { bytes += $0 } }
    mutating func u64(_ value: UInt64) { withUnsafeBytes(of: value.littleEndian) { bytes += $0 } }
    mutating func u128(_ value: UInt128) {
        u64(UInt64(truncatingIfNeeded: value))
        u64(UInt64(truncatingIfNeeded: value >> 64))
    }
    mutating func data(_ data: [UInt8]) {
        u32(data.count)
        bytes += data
    }
}

/// Reads what `ByteWriter` wrote; every read is bounds-checked and gives nil past the end.
private struct ByteReader {
    let data: ArraySlice<UInt8>
    var offset: Int

    init(_ data: some Collection<UInt8>, at offset: Int) {
        self.data = ArraySlice(data)
        self.offset = self.data.startIndex + offset
    }

    var isAtEnd: Bool { offset == data.endIndex }

    mutating func take(_ count: Int) -> ArraySlice<UInt8>? {
        guard count >= 0, data.endIndex - offset >= count else { return nil }
        defer { offset += count }
        return data[offset..<offset + count]
    }

    mutating func u32() -> Int? {
        guard let raw = take(4) else { return nil }
        return Int(raw.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(as: UInt32.self)) })
    }

    mutating func u64() -> UInt64? {
        guard let raw = take(8) else { return nil }
        return raw.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
    }

    mutating func entry() -> ParsedZones.Entry? {
        guard let textCount = u32(), let nameCount = u32(), let column = u32(), let unused = u32(),
              let v4Count = u32(), let v6Count = u32(), textCount > 0,
              let text = take(textCount), let name = take(nameCount),
              let v4 = ranges(v4Count, family: .ipv4), let v6 = ranges(v6Count, family: .ipv6),
              let addresses = AddressSet(normalisedIPv4: v4, ipv6: v6) else { return nil }
        return ParsedZones.Entry(text: Array(text), name: String(decoding: name, as: UTF8.self), nameColumn: column,
                                 addresses: addresses, unused: unused)
    }

    /// `count` ranges of `family`, read in one pass over the raw bytes.
    private mutating func ranges(_ count: Int, family: IPFamily) -> [AddressRange]? {
        let width = family == .ipv4 ? 4 : 16
        guard count <= data.endIndex - offset, let raw = take(count * 2 * width) else { return nil }
        return raw.withUnsafeBytes { bytes -> [AddressRange]? in
            var result: [AddressRange] = []
            result.reserveCapacity(count)
            for index in 0..<count {
                let at = index * 2 * width
                let first = ByteReader.number(bytes, at: at, width: width)
                let last = ByteReader.number(bytes, at: at + width, width: width)
                guard first <= last else { return nil }
                result.append(AddressRange(first: IPAddress(family: family, value: first),
                                           last: IPAddress(family: family, value: last)))
            }
            return result
        }
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
