/// The kind of a word by its shape alone, learnt one byte at a time while the word is read; whether an
/// address or port is valid is the parser's business.
///
/// The rules, first match wins: digits only is a number; a letter or `_` followed by letters, digits, `_`
/// and `-` is an identifier; letters and digits from a letter up to a `/` (not first) is a service literal;
/// a `:` anywhere, or a digit followed by digits, `.`, `/` and `-`, is an address; a `.` in a word that
/// starts with a letter, digit or `*` is a dotted name; anything else is a word.
///
/// Each rule was once a pass of its own over the word; words are most of a policy, so the shape now keeps
/// what the rules ask of every byte (`all`), of some byte (`any`), and of the bytes before the first `/`.
struct WordShape {
    private var first: UInt8?
    private var all = Traits.every
    private var any = Traits()
    private var sawSlash = false
    private var isAlphanumericBeforeSlash = false

    /// The kind of a whole word at once.
    static func kind(ofWord bytes: some Sequence<UInt8>) -> Token.Kind {
        var shape = WordShape()
        for byte in bytes { shape.append(byte, Traits.of(byte)) }
        return shape.kind
    }

    /// Adds the word's next byte, whose traits the caller has looked up already.
    mutating func append(_ byte: UInt8, _ traits: Traits) {
        if first == nil { first = byte }
        if byte == UInt8(ascii: "/") && !sawSlash {
            sawSlash = true
            isAlphanumericBeforeSlash = all.contains(.alphanumeric)
        }
        all.formIntersection(traits)
        any.formUnion(traits)
    }

    var kind: Token.Kind {
        guard let first else { return .word }
        let head = Traits.of(first)
        if all.contains(.digit) { return .number }
        if head.contains(.letter) || first == UInt8(ascii: "_"), all.contains(.nameCharacter) { return .identifier }
        if head.contains(.letter), sawSlash, isAlphanumericBeforeSlash {
            return .serviceLiteral
        }
        if any.contains(.colon) { return .address }
        if head.contains(.digit), all.contains(.addressCharacter) { return .address }
        if any.contains(.dot), head.contains(.alphanumeric) || first == UInt8(ascii: "*") { return .dottedName }
        return .word
    }

    /// What the lexer and the shape rules need to know of one byte.
    struct Traits: OptionSet {
        let rawValue: UInt8

        /// Letters, digits and `_ . : / - *`: what a word is made of.
        static let wordCharacter = Self(rawValue: 1 << 0)
        static let digit = Self(rawValue: 1 << 1)
        static let letter = Self(rawValue: 1 << 2)
        static let alphanumeric = Self(rawValue: 1 << 3)
        /// Letters, digits, `_` and `-`: what an identifier is made of.
        static let nameCharacter = Self(rawValue: 1 << 4)
        /// Digits, `.`, `/` and `-`: what an IPv4 address, prefix or range is made of.
        static let addressCharacter = Self(rawValue: 1 << 5)
        static let colon = Self(rawValue: 1 << 6)
        static let dot = Self(rawValue: 1 << 7)
        static let every = Self(rawValue: 0xFF)

        init(rawValue: UInt8) { self.rawValue = rawValue }

        /// A switch of constants, which the compiler turns into a table: this is asked of every byte of a word.
        @inline(__always)
        static func of(_ byte: UInt8) -> Traits {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                [.wordCharacter, .digit, .alphanumeric, .nameCharacter, .addressCharacter]
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"):
                [.wordCharacter, .letter, .alphanumeric, .nameCharacter]
            case UInt8(ascii: "_"): [.wordCharacter, .nameCharacter]
            case UInt8(ascii: "-"): [.wordCharacter, .nameCharacter, .addressCharacter]
            case UInt8(ascii: "."): [.wordCharacter, .addressCharacter, .dot]
            case UInt8(ascii: "/"): [.wordCharacter, .addressCharacter]
            case UInt8(ascii: ":"): [.wordCharacter, .colon]
            case UInt8(ascii: "*"): .wordCharacter
            default: []
            }
        }
    }
}
