/// What the scanner needs of one character of the text: a byte of ASCII text, or a grapheme cluster.
protocol SourceUnit {
    /// The character's ASCII code; nil when it is not ASCII.
    var ascii: UInt8? { get }
    var isNewline: Bool { get }
    var character: Character { get }
    /// The text of a run of units.
    static func text(_ units: ArraySlice<Self>) -> String
}

extension UInt8: SourceUnit {
    var ascii: UInt8? { self }
    /// As `Character.isNewline` for ASCII: line feed, vertical tab, form feed, carriage return.
    var isNewline: Bool { self >= 0x0A && self <= 0x0D }
    var character: Character { Character(Unicode.Scalar(self)) }
    static func text(_ units: ArraySlice<UInt8>) -> String { String(decoding: units, as: UTF8.self) }
}

extension Character: SourceUnit {
    /// "\r\n" counts as "\n" here, which is what it is to the lexer: a line end.
    var ascii: UInt8? { asciiValue }
    var character: Character { self }
    static func text(_ units: ArraySlice<Character>) -> String { String(units) }
}

/// The lexer's cursor: walks the text one character at a time, keeping line and column.
struct SourceScanner<Unit: SourceUnit> {
    private let units: [Unit]
    private let file: String
    private var index = 0
    private var line = 1
    private var column = 1
    private(set) var diagnostics: [Diagnostic] = []

    /// - Parameter line: the line the text starts on (a statement lexed on its own keeps its place in the file).
    init(_ units: [Unit], file: String, line: Int = 1) {
        self.units = units
        self.file = file
        self.line = line
    }

    /// Whether another diagnostic is kept: up to one more than `Diagnostic.reportLimit`, so that the load
    /// knows to say there were more (the text is scanned in order, so these are the first ones). Asked before
    /// one is made: naming a character (`unexpectedCharacter`) costs more than scanning it.
    private var keepsDiagnostics: Bool { diagnostics.count <= Diagnostic.reportLimit }

    /// The next token, skipping blanks and comments.
    mutating func next() -> Token {
        while let c = peek() {
            let start = here
            switch c.ascii {
            case UInt8(ascii: " "), UInt8(ascii: "\t"):
                advance()
            case UInt8(ascii: "#"):
                while let c = peek(), !c.isNewline { advance() }
            case _ where c.isNewline:
                advance()
                return Token(.newline, "\n", at: start, length: 1)
            case UInt8(ascii: "\""):
                return string()
            case UInt8(ascii: ","):
                advance()
                return Token(.comma, ",", at: start, length: 1)
            case UInt8(ascii: "{"):
                advance()
                return Token(.leftBrace, "{", at: start, length: 1)
            case UInt8(ascii: "}"):
                advance()
                return Token(.rightBrace, "}", at: start, length: 1)
            case UInt8(ascii: "-") where peek(1)?.ascii == UInt8(ascii: ">"):
                advance(2)
                return Token(.arrow, "->", at: start, length: 2)
            case let ascii? where Lexer.isWordCharacter(ascii):
                return word()
            default:
                advance()
                if keepsDiagnostics { diagnostics.append(Diagnostic(.unexpectedCharacter(c.character), at: start)) }
            }
        }
        return Token(.end, "", at: here, length: 1)
    }

    // MARK: - Tokens

    private mutating func word() -> Token {
        let start = here
        let first = index
        // Word characters are ASCII, one unit each, so the word's kind is learnt from the same bytes as it is read.
        var shape = WordShape()
        var end = index
        while end < units.count, let ascii = units[end].ascii {
            let traits = WordShape.Traits.of(ascii)
            guard traits.contains(.wordCharacter),
                  !(ascii == UInt8(ascii: "-") && end + 1 < units.count && units[end + 1].ascii == UInt8(ascii: ">"))
            else { break }
            shape.append(ascii, traits)
            end += 1
        }
        index = end
        // No word character is a line end.
        column += end - first
        return Token(shape.kind, Unit.text(units[first..<end]), at: start, length: end - first)
    }

    /// A double-quoted string on one line; `\"` and `\\` are the only escapes.
    private mutating func string() -> Token {
        let start = here
        advance()
        var value = ""
        var length = 1
        while let c = peek(), !c.isNewline {
            advance()
            length += 1
            if c.ascii == UInt8(ascii: "\"") { return Token(.string, value, at: start, length: length) }
            if c.ascii == UInt8(ascii: "\\") {
                let escapeStart = here
                guard let escaped = peek(), !escaped.isNewline else { break }
                advance()
                length += 1
                if escaped.ascii != UInt8(ascii: "\"") && escaped.ascii != UInt8(ascii: "\\"), keepsDiagnostics {
                    diagnostics.append(Diagnostic(.unknownEscape(escaped.character), at: SourceLocation(
                        file: file, line: escapeStart.line, column: escapeStart.column - 1), length: 2))
                }
                value.append(escaped.character)
            } else {
                value.append(c.character)
            }
        }
        if keepsDiagnostics { diagnostics.append(Diagnostic(.unterminatedString(), at: start, length: length)) }
        return Token(.string, value, at: start, length: length)
    }

    // MARK: - Cursor

    private var here: SourceLocation { SourceLocation(file: file, line: line, column: column) }

    private func peek(_ offset: Int = 0) -> Unit? {
        index + offset < units.count ? units[index + offset] : nil
    }

    private mutating func advance(_ count: Int = 1) {
        for _ in 0..<count where index < units.count {
            if units[index].isNewline {
                line += 1
                column = 1
            } else {
                column += 1
            }
            index += 1
        }
    }
}
