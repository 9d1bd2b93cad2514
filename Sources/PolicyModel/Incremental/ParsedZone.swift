#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NetworkAddresses

/// A large `zone` statement already read: its exact text and the addresses it resolves to, so that the
/// same statement later costs a comparison of bytes instead of parsing and normalising thousands of
/// prefixes. Found by `key`, a checksum of the text, and confirmed by comparing every byte: no digest
/// has to be trusted.
public struct ParsedZone: Sendable, Equatable {
    /// The statement as written: whole lines, from the line of `zone` to its line end (a slice of the
    /// file it was loaded from, or of the policy it was read in).
    public var text: ArraySlice<UInt8>
    public var name: String
    /// The name's column on the statement's first line.
    public var nameColumn: Int
    public var addresses: AddressSet

    public init(text: ArraySlice<UInt8>, name: String, nameColumn: Int, addresses: AddressSet) {
        self.text = text
        self.name = name
        self.nameColumn = nameColumn
        self.addresses = addresses
    }

    public var key: UInt64 { text.withUnsafeBytes(ParsedZone.checksum) }

    /// Whether this is the statement `text`, byte for byte.
    public func matches(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        self.text.count == text.count && self.text.withUnsafeBufferPointer { kept in
            text.isEmpty || memcmp(kept.baseAddress!, text.baseAddress!, text.count) == 0
        }
    }

    /// A 64-bit checksum over 8-byte words: each step is a bijection of the running value, so any one
    /// changed word changes the result. It names files and guards against damage, not against someone
    /// who can write /run.
    ///
    /// The words of each 32-byte block go to four running values, folded into one at the end: four
    /// independent chains run side by side, where one chain waited on a multiply for every word (a warm
    /// load checks about 5 MB, the policy's text and its kept files).
    public static func checksum(_ raw: UnsafeRawBufferPointer) -> UInt64 {
        let seed: UInt64 = 0x243F_6A88_85A3_08D3 ^ UInt64(raw.count)
        guard let base = raw.baseAddress else { return mix(seed, 0) }
        let wordCount = raw.count / 8
        var lanes = (seed, seed ^ 0x1111_1111_1111_1111, seed ^ 0x2222_2222_2222_2222, seed ^ 0x3333_3333_3333_3333)
        var word = 0
        while wordCount - word >= 4 {
            let block = base + 8 &* word
            lanes.0 = mix(lanes.0, block.loadUnaligned(as: UInt64.self))
            lanes.1 = mix(lanes.1, block.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
            lanes.2 = mix(lanes.2, block.loadUnaligned(fromByteOffset: 16, as: UInt64.self))
            lanes.3 = mix(lanes.3, block.loadUnaligned(fromByteOffset: 24, as: UInt64.self))
            word &+= 4
        }
        var hash = mix(mix(mix(lanes.0, lanes.1), lanes.2), lanes.3)
        while word < wordCount {
            hash = mix(hash, base.loadUnaligned(fromByteOffset: 8 &* word, as: UInt64.self))
            word &+= 1
        }
        var tail: UInt64 = 0
        for offset in 8 * wordCount..<raw.count { tail |= UInt64(raw[offset]) << UInt64(8 * (offset - 8 * wordCount)) }
        return mix(hash, tail)
    }

    private static func mix(_ hash: UInt64, _ word: UInt64) -> UInt64 {
        let mixed = (hash ^ word) &* 0x9E37_79B9_7F4A_7C15
        return (mixed << 29) | (mixed >> 35)
    }
}

/// What a load takes from a kept zone: the statement's text is the one it was matched against, so it is
/// not built again.
public struct KeptZone: Sendable, Equatable {
    public var name: String
    public var nameColumn: Int
    public var addresses: AddressSet
}

extension ParsedZone {
    public var kept: KeptZone { KeptZone(name: name, nameColumn: nameColumn, addresses: addresses) }
}
