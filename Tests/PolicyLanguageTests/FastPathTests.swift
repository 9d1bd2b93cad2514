import NetworkAddresses
@testable import PolicyLanguage
import Testing
import TestSupport

/// The parser's fast paths must mean exactly what the general paths they stand in for mean: the same syntax
/// and the same diagnostics, at the same places, for valid and broken text alike.
@Suite struct FastPathTests {
    /// Parses `text` once with the fast paths and once without.
    func bothWays(_ text: String) -> (fast: (PolicySyntax, [Diagnostic]), general: (PolicySyntax, [Diagnostic])) {
        let (tokens, _) = Lexer.tokenize(text, file: "f.zt")
        var fast = Parser(tokens: tokens, file: "f.zt")
        var general = Parser(tokens: tokens, file: "f.zt")
        general.usesFastPaths = false
        return ((fast.parsePolicy(), fast.diagnostics), (general.parsePolicy(), general.diagnostics))
    }

    @Test func randomAddressLiteralsMeanTheSameEitherWay() {
        var random = SeededGenerator(seed: 20_240_611)
        var text = ""
        for zone in 0..<300 {
            text += "zone z\(zone) "
            for item in 0..<Int.random(in: 1...12, using: &random) {
                if item > 0 {
                    text += [",", ", ", " ,", ",\n  ", ", # a comment\n\t", " "].randomElement(using: &random)!
                }
                text += AddressLiteralGenerator.literal(using: &random)
            }
            if Int.random(in: 0..<5, using: &random) == 0 {
                text += " except " + AddressLiteralGenerator.literal(using: &random)
            }
            text += ["\n", "  # done\n", "\n\n"].randomElement(using: &random)!
        }
        let (fast, general) = bothWays(text)
        #expect(fast.0 == general.0)
        #expect(fast.1 == general.1)
        // Both kinds of literal must have been there, or the comparison proves little.
        #expect(general.1.count > 100)
        let zones = general.0.declarations.compactMap { if case .zone(let zone) = $0 { zone } else { nil } }
        #expect(zones.map(\.items.count).reduce(0, +) > 500)
    }

    /// The fast path reads exactly the literals the general path accepts, with the same range: it is a fast
    /// path for the common case, not only for the easy one, and it declines all the rest.
    @Test func theFastPathReadsEveryValidLiteral() {
        var random = SeededGenerator(seed: 7)
        var accepted = 0
        for _ in 0..<5_000 {
            let literal = AddressLiteralGenerator.literal(using: &random)
            let token = Lexer.tokenize(literal, file: "f.zt").tokens[0]
            guard token.kind == .address else { continue }
            var general = Parser(tokens: [token, Token(.end, "", at: token.location, length: 1)], file: "f.zt")
            general.usesFastPaths = false
            let expected = general.parseAddressLiteral(token)?.range
            let fast = literal.utf8.withContiguousStorageIfAvailable(ValidAddressLiteral.range(of:)) ?? nil
            #expect(fast == expected, "\(literal)")
            if expected != nil { accepted += 1 }
        }
        #expect(accepted > 1_000)
    }

    @Test(arguments: [
        "10.0.0.0/24", "10.0.0.1/24", "10.0.0.0/33", "10.0.0.0/", "10.0.0.0/024", "10.0.0.0/0024", "010.0.0.0/8",
        "10.0.0.9-10.0.0.5", "10.0.0.1-fd77::1", "fd77::/64", "fd77::1/64", "fd77::/129", "::ffff:1.2.3.4",
        "::ffff:0:0/96", "::ffff:1.2.3.0-::ffff:1.2.3.9", "1.2.3.4-", "1.2.3.4/8/8", "fd77::1-fd77::2-fd77::3",
        "1.2.3.4-1.2.3.5/32", "0.0.0.0/0", "::/0", "::/128", "1:2:3:4:5:6:1.2.3.4/128", "FD77::ABCD",
    ])
    func edgeLiteralsMeanTheSameEitherWay(_ literal: String) {
        let (fast, general) = bothWays("zone z \(literal), 10.9.9.9\n")
        #expect(fast.0 == general.0)
        #expect(fast.1 == general.1)
    }
}

/// The lexer's one-pass word shape and eight-bytes-at-a-time text check against the plain rules they replace.
@Suite struct LexerFastPathTests {
    /// The word rules as first written, one pass per rule: the specification `WordShape` must keep.
    func kindByRules(_ word: [UInt8]) -> Token.Kind {
        let isDigit = { (byte: UInt8) in byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        let isLetter = { (byte: UInt8) in (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z") }
        let isAlphanumeric = { (byte: UInt8) in isDigit(byte) || isLetter(byte) }
        guard let first = word.first else { return .word }
        if word.allSatisfy(isDigit) { return .number }
        let isName = word.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }
        if isLetter(first) || first == UInt8(ascii: "_"), isName { return .identifier }
        if let slash = word.firstIndex(of: UInt8(ascii: "/")), slash > 0, word[..<slash].allSatisfy(isAlphanumeric),
           isLetter(first) {
            return .serviceLiteral
        }
        if word.contains(UInt8(ascii: ":")) { return .address }
        let isAddress = { (byte: UInt8) in
            isDigit(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "-")
        }
        if isDigit(first), word.allSatisfy(isAddress) { return .address }
        if word.contains(UInt8(ascii: ".")), isAlphanumeric(first) || first == UInt8(ascii: "*") { return .dottedName }
        return .word
    }

    @Test func randomWordsHaveTheKindTheRulesGive() {
        var random = SeededGenerator(seed: 99)
        let alphabet = Array("09afzAFZ_.:/-*".utf8)
        var kinds: Set<String> = []
        for _ in 0..<20_000 {
            let word = (0..<Int.random(in: 0...7, using: &random)).map { _ in alphabet.randomElement(using: &random)! }
            let kind = WordShape.kind(ofWord: word)
            #expect(kind == kindByRules(word), "\(String(decoding: word, as: UTF8.self))")
            kinds.insert("\(kind)")
        }
        #expect(kinds.count == 6)
        for _ in 0..<2_000 {
            let word = Array(AddressLiteralGenerator.literal(using: &random).utf8)
            #expect(WordShape.kind(ofWord: word) == kindByRules(word))
        }
    }

    /// A byte that is not ASCII, or a carriage return, anywhere in the text sends it down the character path.
    @Test func theTextCheckFindsEveryByteItMust() {
        for length in 0..<40 {
            let plain = Array(repeating: UInt8(ascii: "a"), count: length)
            #expect(plain.withUnsafeBufferPointer(Lexer.isASCIIWithoutCarriageReturn))
            for at in 0..<length {
                for odd: UInt8 in [0x0D, 0x80, 0xC3, 0xFF, 0x8D] {
                    var text = plain
                    text[at] = odd
                    #expect(!text.withUnsafeBufferPointer(Lexer.isASCIIWithoutCarriageReturn), "\(odd) at \(at)")
                }
                for fine: UInt8 in [0x0A, 0x0C, 0x0E, 0x7F, 0x1D, 0x00] {
                    var text = plain
                    text[at] = fine
                    #expect(text.withUnsafeBufferPointer(Lexer.isASCIIWithoutCarriageReturn), "\(fine) at \(at)")
                }
            }
        }
        // Columns show which path read the text: characters, not bytes, after an "é" at any offset.
        for at in 0..<20 {
            let text = String(repeating: "a", count: at) + "é b"
            #expect(Lexer.tokenize(text, file: "f").tokens.first { $0.text == "b" }?.location.column == at + 3)
        }
    }
}

/// Address literals as people write them, and as they get them wrong.
enum AddressLiteralGenerator {
    static func literal(using random: inout SeededGenerator) -> String {
        switch Int.random(in: 0..<10, using: &random) {
        case 0, 1, 2: prefix(using: &random)
        case 3: range(using: &random)
        case 4: mangled(prefix(using: &random), using: &random)
        default: Bool.random(using: &random) ? ipv4(using: &random) : ipv6(using: &random)
        }
    }

    static func ipv4(using random: inout SeededGenerator) -> String {
        let octets = (0..<4).map { _ in UInt32.random(in: 0...255, using: &random) }
        return IPAddress(family: .ipv4, value: UInt128(octets.reduce(0) { $0 << 8 | $1 })).description
    }

    /// Canonical text, or the same address spelt out in full, in capitals, or with an IPv4 tail.
    static func ipv6(using random: inout SeededGenerator) -> String {
        var value = UInt128(random.next()) << 64 | UInt128(random.next())
        // Runs of zero groups, so that `::` appears at the start, the middle and the end.
        let zeros = Int.random(in: 0...8, using: &random), at = Int.random(in: 0...(8 - zeros), using: &random)
        for group in at..<(at + zeros) { value &= ~(UInt128(0xffff) << UInt128(16 * group)) }
        if Int.random(in: 0..<8, using: &random) == 0 { value = 0xffff_0000_0000 | value & 0xffff_ffff }
        let address = IPAddress(family: .ipv6, value: value)
        switch Int.random(in: 0..<6, using: &random) {
        case 0:
            return (0..<8).map { String(UInt16(truncatingIfNeeded: value >> UInt128(16 * (7 - $0))), radix: 16) }
                .joined(separator: ":")
        case 1:
            return address.description.uppercased()
        case 2:
            let head = (0..<6).map { String(UInt16(truncatingIfNeeded: value >> UInt128(16 * (7 - $0))), radix: 16) }
            let tail = IPAddress(family: .ipv4, value: value & 0xffff_ffff).description
            return head.joined(separator: ":") + ":" + tail
        default:
            return address.description
        }
    }

    /// A network with its host bits cleared most of the time; lengths past the family's width now and then.
    static func prefix(using random: inout SeededGenerator) -> String {
        let isV4 = Bool.random(using: &random)
        let text = isV4 ? ipv4(using: &random) : ipv6(using: &random)
        let width = isV4 ? 32 : 128
        let length = Int.random(in: 0...(width + 2), using: &random)
        guard let address = IPAddress(text), length <= width, Int.random(in: 0..<4, using: &random) > 0 else {
            return "\(text)/\(length)"
        }
        let masked = Prefix.masked(address, length: length).network
        return "\(Bool.random(using: &random) ? masked.description : text)/\(length)"
    }

    static func range(using random: inout SeededGenerator) -> String {
        let isV4 = Bool.random(using: &random)
        let first = isV4 ? ipv4(using: &random) : ipv6(using: &random)
        let sameFamily = Int.random(in: 0..<8, using: &random) > 0
        let last = isV4 == sameFamily ? ipv4(using: &random) : ipv6(using: &random)
        return "\(first)-\(last)"
    }

    /// One character changed, dropped or added, from the characters an address word may hold.
    static func mangled(_ text: String, using random: inout SeededGenerator) -> String {
        var characters = Array(text)
        let at = Int.random(in: 0..<characters.count, using: &random)
        let other = Array("0123456789abcdefxX.:/-_*0").randomElement(using: &random)!
        switch Int.random(in: 0..<3, using: &random) {
        case 0: characters[at] = other
        case 1: characters.remove(at: at)
        default: characters.insert(other, at: at)
        }
        return String(characters)
    }
}
