import PolicyLanguage
import Testing

@Suite struct LexerTests {
    func kinds(_ text: String) -> [String] {
        Lexer.tokenize(text, file: "t").tokens.map { token in
            switch token.kind {
            case .newline: "⏎"
            case .end: "$"
            default: "\(token.kind):\(token.text)"
            }
        }
    }

    @Test func wordsArriveWholeByShape() {
        #expect(kinds("zone ra 10.77.0.1, fd77::1 10.0.0.0/24 10.0.0.5-10.0.0.9 fd77::/64 fd77::1-fd77::9") == [
            "identifier:zone", "identifier:ra", "address:10.77.0.1", "comma:,", "address:fd77::1",
            "address:10.0.0.0/24", "address:10.0.0.5-10.0.0.9", "address:fd77::/64", "address:fd77::1-fd77::9", "$",
        ])
        #expect(kinds("tcp/443 udp/8000-8999 icmp/echo-request icmpv6 web.test 443 ::ffff:1.2.3.4") == [
            "serviceLiteral:tcp/443", "serviceLiteral:udp/8000-8999", "serviceLiteral:icmp/echo-request",
            "identifier:icmpv6", "dottedName:web.test", "number:443", "address:::ffff:1.2.3.4", "$",
        ])
    }

    @Test func arrowAlwaysEndsAWord() {
        #expect(kinds("web->ra https") == ["identifier:web", "arrow:->", "identifier:ra", "identifier:https", "$"])
        #expect(kinds("10.0.0.1->fd77::1") == ["address:10.0.0.1", "arrow:->", "address:fd77::1", "$"])
        #expect(kinds("web-tier -> db") == ["identifier:web-tier", "arrow:->", "identifier:db", "$"])
    }

    @Test func commentsStringsAndLineEnds() {
        #expect(kinds("a # x -> y \"z\n\"q \\\" \\\\ # not a comment\" {}\r\n") == [
            "identifier:a", "⏎", "string:q \" \\ # not a comment", "leftBrace:{", "rightBrace:}", "⏎", "$",
        ])
    }

    @Test func locationsCountCharactersAndLines() {
        let tokens = Lexer.tokenize("zone é\n  web \"ü\" x", file: "f").tokens
        #expect(tokens.map { "\($0.location.line):\($0.location.column)+\($0.length)" } == [
            "1:1+4", "1:7+1", "2:3+3", "2:7+3", "2:11+1", "2:12+1",
        ])
        #expect(Lexer.tokenize("é", file: "f").diagnostics.map(\.message) == ["unexpected character 'é'"])
    }

    @Test func aByteOrderMarkIsNotPartOfThePolicy() {
        let (tokens, diagnostics) = Lexer.tokenize("\u{FEFF}zone a 10.0.0.1", file: "f")
        #expect(diagnostics.isEmpty && tokens[0].text == "zone" && tokens[0].location.column == 1)
    }

    @Test func badInputIsReportedAndSkipped() {
        let (tokens, diagnostics) = Lexer.tokenize("a ; b \"open\n c", file: "f")
        #expect(tokens.map(\.text) == ["a", "b", "open", "\n", "c", ""])
        #expect(diagnostics.map { "\($0.location.line):\($0.location.column) \($0.id)" } == [
            "1:3 unexpected-character", "1:7 unterminated-string",
        ])
    }
}
