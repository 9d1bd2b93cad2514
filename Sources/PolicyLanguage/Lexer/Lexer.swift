/// Splits policy text into tokens, recording a diagnostic for anything it cannot read and carrying on.
///
/// Words are lexed greedily from letters, digits and `_ . : / - *`, so that addresses (`fd77::1`), prefixes,
/// ranges (`10.0.0.5-10.0.0.9`) and service literals (`tcp/8000-8999`) arrive whole; the only exception is
/// `->`, which always ends a word so that `web->ra` reads as three tokens.
///
/// Columns count characters. Plain ASCII text with `\n` line ends (nearly every policy) is read byte by
/// byte, where a byte is a character; any other text by grapheme clusters. One `SourceScanner` reads
/// both, but splitting 100k addresses into grapheme clusters cost more than the rest of the run.
public struct Lexer {
    private var bytes: SourceScanner<UInt8>?
    private var characters: SourceScanner<Character>?

    /// - Parameter firstLine: the line `text` starts on, when it is whole lines cut from a longer file.
    public init(_ text: String, file: String, firstLine: Int = 1) {
        // A byte-order mark is how some editors start a UTF-8 file; it is not part of the policy.
        let text = text.hasPrefix("\u{FEFF}") ? text.dropFirst() : Substring(text)
        // "\r\n" is one character but two bytes, so carriage returns take the character path too.
        let utf8 = text.utf8.withContiguousStorageIfAvailable { Array($0) } ?? Array(text.utf8)
        if utf8.allSatisfy({ $0 < 0x80 && $0 != UInt8(ascii: "\r") }) {
            bytes = SourceScanner(utf8, file: file, line: firstLine)
        } else {
            characters = SourceScanner(Array(text), file: file, line: firstLine)
        }
    }

    public var diagnostics: [Diagnostic] { bytes?.diagnostics ?? characters?.diagnostics ?? [] }

    /// Lexes the whole text; the last token is always `.end`.
    public static func tokenize(_ text: String, file: String, firstLine: Int = 1)
        -> (tokens: [Token], diagnostics: [Diagnostic]) {
        var lexer = Lexer(text, file: file, firstLine: firstLine)
        var tokens: [Token] = []
        // About one token per four bytes in an address list: growing by doubling copied each token twice.
        tokens.reserveCapacity(text.utf8.count / 4 + 16)
        while true {
            let token = lexer.next()
            tokens.append(token)
            if token.kind == .end { return (tokens, lexer.diagnostics) }
        }
    }

    /// The next token, skipping blanks and comments.
    public mutating func next() -> Token {
        bytes != nil ? bytes!.next() : characters!.next()
    }

    /// Gives a word its kind by shape alone; whether an address or port is valid is the parser's business.
    /// A word holds only the ASCII word characters, so its bytes are its characters.
    static func classify(_ bytes: some Collection<UInt8>) -> Token.Kind {
        guard let first = bytes.first else { return .word }
        if bytes.allSatisfy(isDigit) { return .number }
        let nameCharacters = bytes.allSatisfy {
            isAlphanumeric($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-")
        }
        if isLetter(first) || first == UInt8(ascii: "_"), nameCharacters { return .identifier }
        if let slash = bytes.firstIndex(of: UInt8(ascii: "/")), slash > bytes.startIndex,
           bytes[..<slash].allSatisfy(isAlphanumeric), isLetter(first) {
            return .serviceLiteral
        }
        if bytes.contains(UInt8(ascii: ":")) { return .address }
        let isAddressCharacter = { (byte: UInt8) in
            isDigit(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "-")
        }
        if isDigit(first), bytes.allSatisfy(isAddressCharacter) { return .address }
        if bytes.contains(UInt8(ascii: ".")), isAlphanumeric(first) || first == UInt8(ascii: "*") { return .dottedName }
        return .word
    }

    /// Letters, digits and `_ . : / - *`, all ASCII.
    static func isWordCharacter(_ ascii: UInt8) -> Bool {
        switch ascii {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: ":"),
             UInt8(ascii: "/"), UInt8(ascii: "-"), UInt8(ascii: "*"):
            true
        default:
            false
        }
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool { isDigit(byte) || isLetter(byte) }
}

extension Character {
    var isASCIILetter: Bool { isASCII && isLetter }
    var isASCIIDigit: Bool { isASCII && isNumber }
}
