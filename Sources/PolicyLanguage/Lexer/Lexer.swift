/// Splits policy text into tokens, recording a diagnostic for anything it cannot read and carrying on.
///
/// Words are lexed greedily from letters, digits and `_ . : / - *`, so that addresses (`fd77::1`), prefixes,
/// ranges (`10.0.0.5-10.0.0.9`) and service literals (`tcp/8000-8999`) arrive whole; the only exception is
/// `->`, which always ends a word so that `web->ra` reads as three tokens.
public struct Lexer {
    private let characters: [Character]
    private let file: String
    private var index = 0
    private var line = 1
    private var column = 1
    public private(set) var diagnostics: [Diagnostic] = []

    public init(_ text: String, file: String) {
        // A byte-order mark is how some editors start a UTF-8 file; it is not part of the policy.
        characters = Array(text.hasPrefix("\u{FEFF}") ? text.dropFirst() : Substring(text))
        self.file = file
    }

    /// Lexes the whole text; the last token is always `.end`.
    public static func tokenize(_ text: String, file: String) -> (tokens: [Token], diagnostics: [Diagnostic]) {
        var lexer = Lexer(text, file: file)
        var tokens: [Token] = []
        while true {
            let token = lexer.next()
            tokens.append(token)
            if token.kind == .end { return (tokens, lexer.diagnostics) }
        }
    }

    /// The next token, skipping blanks and comments.
    public mutating func next() -> Token {
        while let c = peek() {
            let start = here
            switch c {
            case " ", "\t":
                advance()
            case "#":
                while let c = peek(), !c.isNewline { advance() }
            case _ where c.isNewline:
                advance()
                return Token(.newline, "\n", at: start, length: 1)
            case "\"":
                return string()
            case ",":
                advance()
                return Token(.comma, ",", at: start, length: 1)
            case "{", "}":
                advance()
                return Token(c == "{" ? .leftBrace : .rightBrace, String(c), at: start, length: 1)
            case "-" where peek(1) == ">":
                advance(2)
                return Token(.arrow, "->", at: start, length: 2)
            case _ where Lexer.isWordCharacter(c):
                return word()
            default:
                advance()
                diagnostics.append(Diagnostic(.unexpectedCharacter(c), at: start))
            }
        }
        return Token(.end, "", at: here, length: 1)
    }

    // MARK: - Tokens

    private mutating func word() -> Token {
        let start = here
        var text = ""
        while let c = peek(), Lexer.isWordCharacter(c), !(c == "-" && peek(1) == ">") {
            text.append(c)
            advance()
        }
        return Token(Lexer.classify(text), text, at: start, length: text.count)
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
            if c == "\"" { return Token(.string, value, at: start, length: length) }
            if c == "\\" {
                let escapeStart = here
                guard let escaped = peek(), !escaped.isNewline else { break }
                advance()
                length += 1
                if escaped == "\"" || escaped == "\\" {
                    value.append(escaped)
                } else {
                    diagnostics.append(Diagnostic(.unknownEscape(escaped), at: SourceLocation(
                        file: file, line: escapeStart.line, column: escapeStart.column - 1), length: 2))
                    value.append(escaped)
                }
            } else {
                value.append(c)
            }
        }
        diagnostics.append(Diagnostic(.unterminatedString(), at: start, length: length))
        return Token(.string, value, at: start, length: length)
    }

    /// Gives a word its kind by shape alone; whether an address or port is valid is the parser's business.
    static func classify(_ text: String) -> Token.Kind {
        guard let first = text.first else { return .word }
        if text.allSatisfy(\.isASCIIDigit) { return .number }
        let nameCharacters = text.allSatisfy { $0.isASCIILetter || $0.isASCIIDigit || "_-".contains($0) }
        if first.isASCIILetter || first == "_", nameCharacters { return .identifier }
        if let slash = text.firstIndex(of: "/"), slash > text.startIndex,
           text[..<slash].allSatisfy({ $0.isASCIILetter || $0.isASCIIDigit }), first.isASCIILetter {
            return .serviceLiteral
        }
        if text.contains(":") { return .address }
        if first.isASCIIDigit, text.allSatisfy({ $0.isASCIIDigit || "./-".contains($0) }) { return .address }
        if text.contains("."), first.isASCIILetter || first.isASCIIDigit || first == "*" { return .dottedName }
        return .word
    }

    static func isWordCharacter(_ c: Character) -> Bool {
        c.isASCIILetter || c.isASCIIDigit || "_.:/-*".contains(c)
    }

    // MARK: - Cursor

    private var here: SourceLocation { SourceLocation(file: file, line: line, column: column) }

    private func peek(_ offset: Int = 0) -> Character? {
        index + offset < characters.count ? characters[index + offset] : nil
    }

    private mutating func advance(_ count: Int = 1) {
        for _ in 0..<count where index < characters.count {
            if characters[index].isNewline {
                line += 1
                column = 1
            } else {
                column += 1
            }
            index += 1
        }
    }
}

extension Character {
    var isASCIILetter: Bool { isASCII && isLetter }
    var isASCIIDigit: Bool { isASCII && isNumber }
}
