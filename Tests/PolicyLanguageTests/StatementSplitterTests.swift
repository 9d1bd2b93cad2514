@testable import PolicyLanguage
import Testing
import TestSupport

/// The byte-level cut of a policy into statements: large zone statements alone in their pieces, at the
/// lines they start on, and nothing taken for a zone statement that is not one.
@Suite struct StatementSplitterTests {
    static func pieces(_ text: String, minimum: Int = 20) -> [(lines: String, line: Int, isZone: Bool)]? {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { StatementSplitter.split($0, minimumZoneBytes: minimum) }?.map {
            (String(decoding: bytes[$0.bytes], as: UTF8.self), $0.firstLine, $0.isZone)
        }
    }

    @Test func largeZonesGetPiecesOfTheirOwn() throws {
        let text = """
            # head
            zone a  10.0.0.0/24, 10.0.1.0/24,   # a comment, with "quotes" {
                    10.0.2.0/24
            zone b 10.9.9.9
            acme a {
              directory "https://x/#,"  # "{"
            zone c 10.1.0.0/24, 10.1.1.0/24
            }
            zone d  10.2.0.0/24, 10.2.1.0/24 ->
              zone e 10.3.0.0/24, 10.3.1.0/24
            \tzone\tf  10.4.0.0/24,

              10.4.1.0/24
            zone-g -> a tcp/1
            """
        let pieces = try #require(Self.pieces(text))
        #expect(pieces.map(\.lines).joined() == text)
        #expect(pieces.filter(\.isZone).map(\.line) == [2, 9, 11])
        #expect(pieces.filter(\.isZone).map { $0.lines.prefix(7) } == ["zone a ", "zone d ", "\tzone\tf"])
        #expect(pieces.filter { !$0.isZone }.map(\.line) == [1, 4, 14])
    }

    @Test func smallZonesStayWithTheirNeighbours() throws {
        let pieces = try #require(Self.pieces("zone a 10.0.0.1\nzone b 10.0.0.2\n", minimum: 100))
        #expect(pieces.count == 1 && !pieces[0].isZone)
    }

    @Test func onlyPlainASCIIWithNewlinesIsCut() {
        #expect(Self.pieces("zone a 10.0.0.1\r\n") == nil)
        #expect(Self.pieces("# é\nzone a 10.0.0.1\n") == nil)
        #expect(Self.pieces("zone a 10.0.0.1\u{0C}\n") == nil)
        #expect(Self.pieces("")?.isEmpty == true)
    }

    /// The word-at-a-time check against its definition: every byte value at every place in a word and in
    /// the tail, among plain bytes.
    @Test func thePlainTextCheckFindsEveryOtherByteWherever() {
        for length in [8, 13, 24] {
            for place in 0..<length {
                for value in 0...255 {
                    var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: length)
                    bytes[place] = UInt8(value)
                    let expected = value < 0x80 && !(0x0B...0x0D).contains(value)
                    #expect(bytes.withUnsafeBufferPointer(StatementSplitter.isPlain) == expected,
                            "byte \(value) at \(place) of \(length)")
                }
            }
        }
    }

    /// The word-at-a-time check against a byte-by-byte oracle: buffers of every length from 0 to 40, at
    /// every alignment, with every byte value at every place, and random buffers with several odd bytes.
    @Test func thePlainTextCheckAgreesWithItsOracleOnEveryLengthAndAlignment() {
        let oracle = { (bytes: ArraySlice<UInt8>) in bytes.allSatisfy { $0 < 0x80 && !(0x0B...0x0D).contains($0) } }
        let check = { (storage: [UInt8], range: Range<Int>) in
            storage.withUnsafeBufferPointer { StatementSplitter.isPlain(UnsafeBufferPointer(rebasing: $0[range])) }
        }
        var random = SeededGenerator(seed: 5)
        var (checked, mismatches) = (0, [String]())
        for length in 0...40 {
            for offset in 0..<8 {
                let range = offset..<(offset + length)
                // Every value at every place, among plain bytes that are not all the same.
                var storage = (0..<(offset + length + 8)).map { _ in UInt8.random(in: 0x0E...0x7F, using: &random) }
                for place in range {
                    let kept = storage[place]
                    for value in 0...255 {
                        storage[place] = UInt8(value)
                        if check(storage, range) != oracle(storage[range]) {
                            mismatches.append("byte \(value) at \(place - offset) of \(length), offset \(offset)")
                        }
                        checked += 1
                    }
                    storage[place] = kept
                }
                // Random bytes of every kind, few or many of them odd; and odd bytes just outside the range.
                for _ in 0..<40 {
                    var storage = (0..<(offset + length + 8)).map { _ in
                        Int.random(in: 0..<6, using: &random) == 0 ? UInt8.random(in: 0...255, using: &random)
                            : UInt8.random(in: 0x0E...0x7F, using: &random)
                    }
                    if offset > 0 { storage[offset - 1] = 0x0D }
                    storage[offset + length] = 0x80
                    if check(storage, range) != oracle(storage[range]) { mismatches.append("\(Array(storage[range]))") }
                    checked += 1
                }
            }
        }
        #expect(mismatches.count == 0, "\(mismatches.prefix(10))")
        #expect(checked > 800_000, "\(checked) checked")
    }
}
