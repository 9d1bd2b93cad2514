import NetworkAddresses
import Parallel

extension Table {
    /// A 64-bit digest of the canonical table, the same in every process and on every machine (unlike
    /// `hashValue`): equal tables have equal fingerprints, and a change of any rule, chain, set or
    /// element changes it but for a 2⁻⁶⁴ chance. ztpol stores it with the table it applies, to
    /// recognise later, without reading 100k elements back, that the kernel already holds a table.
    public var fingerprint: UInt64 { fingerprint(elements: sets.map(\.elementsFingerprint)) }

    /// The fingerprint from the sets' `elementsFingerprint`s, in set order, for a caller that has them
    /// already: at 100k elements each pass over them counts.
    public func fingerprint(elements: [UInt64]) -> UInt64 {
        Table.fingerprint(shape: shapeFingerprint, elements: elements)
    }

    /// The fingerprint from a table's `shapeFingerprint` and its sets' `elementsFingerprint`s: the shape
    /// is rendered and digested once per run, not once per question.
    public static func fingerprint(shape: UInt64, elements: [UInt64]) -> UInt64 {
        var digest = Digest()
        digest.add(word: shape)
        for value in elements { digest.add(word: value) }
        return digest.value
    }

    /// The digest of everything but the sets' elements: two tables with the same shape differ in
    /// elements only, and can be brought together element by element.
    public var shapeFingerprint: UInt64 {
        var digest = Digest()
        canonical.addShape(to: &digest)
        return digest.value
    }

    /// The shape of the table with every rule's comment taken out: two tables with the same commentless
    /// shape differ in rule comments and elements only (see `TableDiff.Action.comments`).
    public var commentlessShapeFingerprint: UInt64 {
        var copy = self
        for chain in copy.chains.indices {
            for rule in copy.chains[chain].rules.indices { copy.chains[chain].rules[rule].comment = nil }
        }
        return copy.shapeFingerprint
    }

    /// Everything but the elements as nft statements, in `NftRenderer.statements` order (a thousand lines for
    /// a large policy). Rendering them is most of the work, so the chains' rules are rendered on every core.
    private func addShape(to digest: inout Digest) {
        var shape = self
        shape.sets = sets.map { NamedSet(name: $0.name, family: $0.family, elements: [], comment: $0.comment) }
        let renderer = NftRenderer(counters: .bare)
        let rules = ParallelMap.map(shape.chains.indices) { renderer.ruleStatements(of: shape.chains[$0], in: shape) }
        for var line in renderer.headStatements(shape) + rules.joined() + unrecognised {
            line.withUTF8 { digest.add($0) }
        }
    }
}

extension NamedSet {
    /// The digest of the set's elements alone, to tell which sets of two same-shaped tables differ.
    public var elementsFingerprint: UInt64 {
        var digest = Digest()
        addElements(to: &digest)
        return digest.value
    }

    private func addElements(to digest: inout Digest) {
        digest.add(word: UInt64(elements.count))
        for element in elements {
            digest.add(element.first.value)
            digest.add(element.last.value)
        }
    }
}

/// FNV-1a over 64-bit words, each word first spread by splitmix64's finaliser so that structured
/// input (addresses that differ in a few low bits) still changes every bit of the result.
private struct Digest {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func add(_ number: UInt128) {
        add(word: UInt64(truncatingIfNeeded: number >> 64))
        add(word: UInt64(truncatingIfNeeded: number))
    }

    /// The length, then the bytes eight to a word: the length keeps `ab`,`c` apart from `a`,`bc`.
    mutating func add(_ bytes: UnsafeBufferPointer<UInt8>) {
        add(word: UInt64(bytes.count))
        let raw = UnsafeRawBufferPointer(bytes)
        var offset = 0
        while offset + 8 <= raw.count {
            add(word: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
            offset += 8
        }
        var tail: UInt64 = 0
        for index in offset..<raw.count { tail |= UInt64(raw[index]) << UInt64(8 * (index - offset)) }
        if offset < raw.count { add(word: tail) }
    }

    mutating func add(word: UInt64) {
        var z = word &+ 0x9e37_79b9_7f4a_7c15
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        value = (value ^ (z ^ (z >> 31))) &* 0x0000_0100_0000_01b3
    }
}
