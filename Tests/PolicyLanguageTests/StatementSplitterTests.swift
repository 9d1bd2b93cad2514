@testable import PolicyLanguage
import Testing

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
}
