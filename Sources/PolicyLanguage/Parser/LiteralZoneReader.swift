#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NetworkAddresses

/// A `zone` statement of address literals alone, read straight from its bytes: what a large address list
/// means, without a token, a string or a source location for each of its 100,000 literals.
public struct LiteralZoneStatement: Sendable, Equatable {
    public var name: String
    /// The name's column on the statement's first line.
    public var nameColumn: Int
    public var items: [AddressRange]
    public var exclusions: [AddressRange]
}

/// The fast path for the statement that makes up most of a large policy: `zone NAME LITERAL, ... [except
/// LITERAL, ...]`, one statement, alone in its text.
///
/// It answers only for text that the lexer and parser read with no diagnostic, into one zone of literals
/// with the same ranges, and that ends between statements; nil for anything else, which the caller then
/// parses the usual way to learn what it means or what is wrong. So every rule here is the lexer's or the
/// parser's, step for step, and any doubt is a nil: words are cut where the lexer cuts them, the name is
/// judged by `WordShape`, literals by `ValidAddressLiteral`, and a byte the reader does not expect ends the
/// attempt.
/// The tests hold it to the parser's answers on random and broken statements.
public enum LiteralZoneReader {
    public static func read(_ text: UnsafeBufferPointer<UInt8>) -> LiteralZoneStatement? {
        var cursor = Cursor(text)
        guard case .word(let keyword)? = cursor.next(), cursor.equals(keyword, "zone"),
              case .word(let nameBytes)? = cursor.next(),
              WordShape.kind(ofWord: UnsafeBufferPointer(rebasing: text[nameBytes])) == .identifier
        else { return nil }
        let name = String(decoding: UnsafeBufferPointer(rebasing: text[nameBytes]), as: UTF8.self)
        guard !PolicySyntax.reservedWords.contains(name) else { return nil }
        // A literal takes about 16 bytes with its comma and blank: a capacity hint, to spare the regrowth.
        var items: [AddressRange] = []
        items.reserveCapacity(text.count / 16 + 1)
        guard case let (after, endsStatement)? = cursor.list(into: &items), !items.isEmpty else { return nil }
        var exclusions: [AddressRange] = []
        var last = after
        if !endsStatement {
            // The list stopped at `except`; another `except` after the exclusions is an error.
            guard case let (afterExclusions, ends)? = cursor.list(into: &exclusions), ends, !exclusions.isEmpty
            else { return nil }
            last = afterExclusions
        }
        // The statement ends with a line end or the text; only blank lines and comments may follow it.
        guard last == .newline || last == .end else { return nil }
        while true {
            guard let token = cursor.next(), token == .newline || token == .end else { return nil }
            if token == .end { break }
        }
        return LiteralZoneStatement(name: name, nameColumn: nameBytes.lowerBound - cursor.lineStart(of: nameBytes) + 1,
                                    items: items, exclusions: exclusions)
    }

    /// A token as the lexer would cut it, as far as a literal zone statement needs them.
    enum Piece: Equatable {
        case word(Range<Int>)
        case comma
        case newline
        case end
    }

    struct Cursor {
        let text: UnsafeBufferPointer<UInt8>
        var index = 0

        init(_ text: UnsafeBufferPointer<UInt8>) { self.text = text }

        /// The next token, skipping blanks and comments; nil for a byte no literal zone statement holds, where
        /// the caller gives up.
        mutating func next() -> Piece? {
            while index < text.count {
                let byte = text[index]
                switch byte {
                case UInt8(ascii: " "), UInt8(ascii: "\t"):
                    index += 1
                case UInt8(ascii: "#"):
                    // To the line end, which the lexer then reads as a token of its own. Only ASCII: outside
                    // it the lexer reads characters, and U+0085, U+2028 and U+2029 end a comment's line too,
                    // while a combining mark makes one character of the `#` before it, which is then no comment.
                    while index < text.count && text[index] != UInt8(ascii: "\n") {
                        guard text[index] < 0x80, !isOtherLineEnd(text[index]) else { return nil }
                        index += 1
                    }
                case UInt8(ascii: "\n"):
                    index += 1
                    return .newline
                case UInt8(ascii: ","):
                    index += 1
                    return .comma
                default:
                    guard WordShape.Traits.of(byte).contains(.wordCharacter) else { return nil }
                    return word()
                }
            }
            return .end
        }

        /// A run of word characters, which must be followed by a blank, a comma, a comment, a line end or the
        /// end. The lexer also ends a word before `->`, but `>` is no word character: a `-` before it ends
        /// the run, and the `>` that follows is refused here.
        private mutating func word() -> Piece? {
            let start = index
            while index < text.count && WordShape.Traits.of(text[index]).contains(.wordCharacter) { index += 1 }
            if index < text.count {
                switch text[index] {
                case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: ","), UInt8(ascii: "#"), UInt8(ascii: "\n"):
                    break
                default:
                    return nil
                }
            }
            return .word(start..<index)
        }

        /// Vertical tab, form feed and carriage return also end a line for the lexer: never in a plain text.
        private func isOtherLineEnd(_ byte: UInt8) -> Bool { byte >= 0x0B && byte <= 0x0D }

        func equals(_ word: Range<Int>, _ expected: StaticString) -> Bool {
            word.count == expected.utf8CodeUnitCount
                && memcmp(text.baseAddress! + word.lowerBound, expected.utf8Start, word.count) == 0
        }

        /// The offset of the line `word` is on.
        func lineStart(of word: Range<Int>) -> Int {
            var start = word.lowerBound
            while start > 0 && text[start - 1] != UInt8(ascii: "\n") { start -= 1 }
            return start
        }

        /// The parser's list of zone items, for literals alone: items apart, a comma, optional line ends,
        /// the next item. Gives the token that ended the list (a line end or the end of the text) and false
        /// when the list stopped at `except` instead; nil for anything the parser would report or that is
        /// not a literal.
        mutating func list(into ranges: inout [AddressRange]) -> (last: Piece, endsStatement: Bool)? {
            guard var token = next() else { return nil }
            while true {
                switch token {
                case .newline, .end:
                    return (token, true)
                case .word(let bytes) where equals(bytes, "except"):
                    return (token, false)
                case .word(let bytes):
                    // The lexer would call the word an address: every literal `ValidAddressLiteral` takes has
                    // that shape (an IPv4 one starts with a digit and holds only digits, `.`, `/` and `-`; an
                    // IPv6 one has a `:` before any `/`), which the tests hold it to.
                    guard let range = ValidAddressLiteral.range(of: UnsafeBufferPointer(rebasing: text[bytes]))
                    else { return nil }
                    ranges.append(range)
                case .comma:
                    return nil
                }
                guard let separator = next() else { return nil }
                switch separator {
                case .newline, .end:
                    return (separator, true)
                case .word(let bytes):
                    // Two items side by side are a missing comma to the parser.
                    return equals(bytes, "except") ? (separator, false) : nil
                case .comma:
                    break
                }
                repeat {
                    guard let following = next() else { return nil }
                    token = following
                } while token == .newline
                // A comma and then the end of the text: the statement would go on in the file.
                if token == .end { return nil }
            }
        }
    }
}
