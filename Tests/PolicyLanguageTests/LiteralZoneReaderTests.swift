import NetworkAddresses
@testable import PolicyLanguage
import Testing
import TestSupport

/// The literal zone reader stands in for the lexer and parser on large address lists: whatever it reads
/// must be exactly what the parser reads without a diagnostic, and it must read the common statement.
@Suite struct LiteralZoneReaderTests {
    /// What the parser makes of `text` when it is one clean, closed zone statement of literals alone;
    /// nil for anything else.
    static func parsed(_ text: String) -> LiteralZoneStatement? {
        let parsed = Parser.parseLines(text, file: "f.zt", firstLine: 1)
        guard parsed.diagnostics.isEmpty, parsed.isClosed, parsed.syntax.declarations.count == 1,
              case .zone(let zone) = parsed.syntax.declarations[0], !zone.hadErrors else { return nil }
        func ranges(_ items: [ZoneDeclaration.Item]) -> [AddressRange]? {
            let literals = items.compactMap { item -> AddressRange? in
                if case .address(let literal) = item { literal.range } else { nil }
            }
            return literals.count == items.count ? literals : nil
        }
        guard let items = ranges(zone.items), let exclusions = ranges(zone.exclusions), !items.isEmpty else {
            return nil
        }
        return LiteralZoneStatement(name: zone.name.text, nameColumn: zone.name.location.column, items: items,
                                    exclusions: exclusions)
    }

    static func read(_ text: String) -> LiteralZoneStatement? {
        Array(text.utf8).withUnsafeBufferPointer(LiteralZoneReader.read)
    }

    /// Random statements, clean and broken at random places: the reader gives the parser's answer or nil,
    /// and nil only seldom for a clean one.
    @Test(arguments: [1, 2, 3])
    func readsWhatTheParserReadsOrNothing(_ seed: UInt64) {
        var random = SeededGenerator(seed: seed)
        var (clean, read, declinedClean) = (0, 0, 0)
        for _ in 0..<3_000 {
            let text = Self.statement(using: &random)
            let expected = Self.parsed(text)
            let fast = Self.read(text)
            if let fast {
                #expect(fast == expected, "\(text.debugDescription)")
                read += 1
            }
            if expected != nil {
                clean += 1
                if fast == nil { declinedClean += 1 }
            }
        }
        // Both kinds must be common, or the comparison proves little; and the fast path must be the usual one.
        #expect(clean > 600 && clean < 2_400, "\(clean) clean, \(read) read")
        #expect(read > clean * 3 / 4, "\(read) read of \(clean) clean")
        #expect(declinedClean < clean / 4, "\(declinedClean) clean statements declined")
    }

    @Test func readsALargeListWithCommentsAndBlankLines() throws {
        let text = "  zone\tcloud_1 10.0.0.0/8, fd77::/16,   # the first two\n\n\t# a line of its own\n"
            + "  192.0.2.1-192.0.2.9 ,198.51.100.7 except 10.9.0.0/16,\n 10.8.0.1   # done\n# trailing\n\n"
        let statement = try #require(Self.read(text))
        #expect(statement == Self.parsed(text))
        #expect(statement.name == "cloud_1" && statement.nameColumn == 8)
        #expect(statement.items.count == 4 && statement.exclusions.count == 2)
    }

    /// The reader must decline each: most are errors to the parser, the rest text it leaves to the parser
    /// (a statement of other kinds, or one after a comment).
    @Test(arguments: [
        "zone a 10.0.0.1,\n",                     // the list goes on past the text
        "zone a 10.0.0.1,",
        "zone a 10.0.0.1 10.0.0.2\n",             // a missing comma
        "zone a 10.0.0.1, , 10.0.0.2\n",
        "zone a 10.0.0.1, web\n",                 // a zone name: not literals alone
        "zone a 10.0.0.1->b\n",                   // an arrow ends the word
        "zone a 10.0.0.1 -> b tcp/443\n",
        "zone zone 10.0.0.1\n",                   // a reserved word for a name
        "zone except 10.0.0.1\n",
        "zone a.b 10.0.0.1\n",                    // not an identifier
        "zone 1a 10.0.0.1\n",
        "zone a\n",                               // nothing in it
        "zone a except 10.0.0.1\n",
        "zone a 10.0.0.1 except\n",               // nothing after except
        "zone a 10.0.0.1 except 10.0.0.2 except 10.0.0.3\n",
        "zone a 10.0.0.1\nzone b 10.0.0.2\n",     // a second statement
        "zone a 10.0.0.1\nweb -> ra tcp/443\n",
        "zone a 10.0.0.1/24\n",                   // host bits
        "zone a 10.0.0.01\n",                     // a leading zero
        "zone a ::ffff:10.0.0.1\n",               // IPv4-mapped
        "zone a 10.0.0.9-10.0.0.1\n",             // reversed
        "zone a 10.0.0.1 \"text\"\n",
        "zone a { 10.0.0.1 }\n",
        "zone a 10.0.0.1\r\n",                    // a carriage return is a line end to the lexer
        "zone a 10.0.0.1 # x\r\n",
        "zone a 10.0.0.1\u{0B}\n",
        "zone a 10.0.0.1 é\n",
        "zone a 10.0.0.1\u{0}\n",
        "zone-a 10.0.0.1\n",                      // a flow's name, not the keyword
        "zonea 10.0.0.1\n",
        "# before\nzone a 10.0.0.1\n",            // the statement must come first
        "zone a 10.0.0.1 10\n",
        "zone a 443\n",
        "zone a tcp/443\n",
        "zone a *.example\n",
    ])
    func declines(_ text: String) {
        #expect(Self.read(text) == nil, "\(text.debugDescription)")
    }

    /// Clean statements of literals, in the shapes a list takes: the reader reads each as the parser does.
    @Test(arguments: [
        "zone a 10.0.0.1",
        "zone a 10.0.0.1\n",
        "zone a 10.0.0.1,\n\n  10.0.0.2\n",
        "zone a 10.0.0.1,  # more below\n 10.0.0.2\n",
        "zone a 10.0.0.0/8 except 10.1.0.0/16\n",
        "zone a 10.0.0.0/8,\n except 10.1.0.0/16\n",
        "zone a fd77::1, fd77::/64, fd77::5-fd77::9\n",
        "zone _x-y 0.0.0.0/0, ::/0\n",
    ])
    func readsLikeTheParser(_ text: String) throws {
        let expected = try #require(Self.parsed(text), "\(text.debugDescription)")
        #expect(Self.read(text) == expected)
    }

    // MARK: - Random statements

    static func statement(using random: inout SeededGenerator) -> String {
        // Mostly names that may be declared, with some that may not.
        let names = ["web", "cloud_1", "a-b", "_x", "Z9", "web", "db", "zone", "except", "1a", "a.b"]
        var text = ["", " ", "\t"].randomElement(using: &random)! + "zone "
        text += names.randomElement(using: &random)!
        text += [" ", "  ", "\t"].randomElement(using: &random)!
        text += list(using: &random)
        if Int.random(in: 0..<4, using: &random) == 0 {
            text += [" except ", ",\n except ", " except\n"].randomElement(using: &random)! + list(using: &random)
        }
        text += ["\n", "", "  # done\n", "\n\n# after\n", "\n\n"].randomElement(using: &random)!
        // About half are broken somewhere, by a byte or a word the reader and the parser must both see.
        guard Bool.random(using: &random) else { return text }
        let breaks = [",", " ", "->", "\n", "web", "except", "#", "\"", "{", "\r", "/", "-", "10.0.0.1", "\u{0B}",
                      "zone b 10.0.0.1\n", "é"]
        var characters = Array(text)
        let at = Int.random(in: 0...characters.count, using: &random)
        characters.insert(contentsOf: breaks.randomElement(using: &random)!, at: at)
        return String(characters)
    }

    static func list(using random: inout SeededGenerator) -> String {
        var text = ""
        for number in 0..<Int.random(in: 1...6, using: &random) {
            if number > 0 {
                text += [",", ", ", " ,", ",\n  ", ", # a comment\n\t", ",\n\n"].randomElement(using: &random)!
            }
            text += item(using: &random)
        }
        return text
    }

    static func maskedPrefix(_ address: String, length: Int) -> String {
        "\(Prefix.masked(IPAddress(address)!, length: length).network)/\(length)"
    }

    /// Mostly literals that are valid, as in a real list; now and then any literal, valid or not.
    static func item(using random: inout SeededGenerator) -> String {
        switch Int.random(in: 0..<8, using: &random) {
        case 0, 1: AddressLiteralGenerator.literal(using: &random)
        case 2, 3: AddressLiteralGenerator.ipv4(using: &random)
        case 4: AddressLiteralGenerator.ipv6(using: &random)
        default:
            // A network with its host bits cleared.
            maskedPrefix(AddressLiteralGenerator.ipv4(using: &random), length: Int.random(in: 0...32, using: &random))
        }
    }

    /// The reader takes a word for an address literal when `ValidAddressLiteral` reads it, without asking the
    /// lexer's `WordShape`: that holds only while every literal it reads has the address shape.
    @Test func everyLiteralTheFastPathReadsHasTheAddressShape() {
        var random = SeededGenerator(seed: 11)
        var read = 0
        for _ in 0..<20_000 {
            var literal = AddressLiteralGenerator.literal(using: &random)
            if Bool.random(using: &random) { literal = AddressLiteralGenerator.mangled(literal, using: &random) }
            let bytes = Array(literal.utf8)
            guard bytes.withUnsafeBufferPointer(ValidAddressLiteral.range(of:)) != nil else { continue }
            read += 1
            #expect(WordShape.kind(ofWord: bytes) == .address, "\(literal)")
        }
        #expect(read > 5_000)
    }
}
