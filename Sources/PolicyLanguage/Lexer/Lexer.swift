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
        if utf8.withUnsafeBufferPointer(Lexer.isASCIIWithoutCarriageReturn) {
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
            // Asked before the append, so that the token moves into the array instead of being copied.
            let isEnd = token.kind == .end
            tokens.append(token)
            if isEnd { return (tokens, lexer.diagnostics) }
        }
    }

    /// True when every byte is ASCII and none is a carriage return: the text the byte scanner can read.
    /// Eight bytes at a time, as this looks at every byte of the policy.
    static func isASCIIWithoutCarriageReturn(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let raw = UnsafeRawPointer(base)
        let ones: UInt64 = 0x0101_0101_0101_0101, highBits: UInt64 = 0x8080_8080_8080_8080
        let carriageReturns = ones &* UInt64(UInt8(ascii: "\r"))
        var index = 0
        while index + 8 <= bytes.count {
            let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            // With no high bit set, `x - ones & ~x & highBits` is non-zero exactly when some byte of x is zero.
            let crCleared = word ^ carriageReturns
            if word & highBits != 0 || (crCleared &- ones) & ~crCleared & highBits != 0 { return false }
            index += 8
        }
        while index < bytes.count {
            if bytes[index] >= 0x80 || bytes[index] == UInt8(ascii: "\r") { return false }
            index += 1
        }
        return true
    }

    /// The next token, skipping blanks and comments.
    public mutating func next() -> Token {
        bytes != nil ? bytes!.next() : characters!.next()
    }

    /// Letters, digits and `_ . : / - *`, all ASCII.
    static func isWordCharacter(_ ascii: UInt8) -> Bool { WordShape.Traits.of(ascii).contains(.wordCharacter) }
}

extension Character {
    var isASCIILetter: Bool { isASCII && isLetter }
    var isASCIIDigit: Bool { isASCII && isNumber }
}
