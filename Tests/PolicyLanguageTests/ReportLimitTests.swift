import PolicyLanguage
import PolicyModel
import Testing

/// Text that is no policy at all gives a diagnostic per byte; what is kept and shown of them is bounded.
@Suite struct ReportLimitTests {
    @Test func aLoadReportsTheFirstDiagnosticsInSourceOrderAndSaysThereWereMore() {
        // 300 lines, each an unexpected character, then a line the parser refuses: 301 errors in all.
        let text = String(repeating: "@\n", count: 300) + "-> x\n"
        let (_, diagnostics) = PolicyLoader.load(text: text, path: "p.zt")
        #expect(diagnostics.count == Diagnostic.reportLimit + 1)
        #expect(diagnostics.prefix(Diagnostic.reportLimit).allSatisfy { $0.id == "unexpected-character" })
        #expect(diagnostics.prefix(Diagnostic.reportLimit).map(\.location.line) == Array(1...Diagnostic.reportLimit))
        let last = diagnostics[Diagnostic.reportLimit]
        #expect(last.id == Diagnostic.tooManyErrorsID && last.severity == .error)
        #expect(last.location.line == Diagnostic.reportLimit + 1)
        #expect(DiagnosticRenderer.summary(of: diagnostics) == "more than 100 errors")
    }

    @Test func atTheLimitNothingIsCut() {
        let text = String(repeating: "@\n", count: Diagnostic.reportLimit)
        let (_, diagnostics) = PolicyLoader.load(text: text, path: "p.zt")
        #expect(diagnostics.count == Diagnostic.reportLimit)
        #expect(!diagnostics.contains { $0.id == Diagnostic.tooManyErrorsID })
        #expect(DiagnosticRenderer.summary(of: diagnostics) == "100 errors")
    }

    @Test func theLexerKeepsNoMoreThanItCanReportOfAMegabyteOfZeros() {
        let text = "zone a 10.0.0.1\n" + String(repeating: "\0", count: 1 << 20)
        let (_, diagnostics) = Lexer.tokenize(text, file: "p.zt")
        #expect(diagnostics.count == Diagnostic.reportLimit + 1)
        // Escapes and unterminated strings are counted against the same limit.
        let escapes = "zone a \"" + String(repeating: "\\q", count: 10_000) + "\n"
        #expect(Lexer.tokenize(escapes, file: "p.zt").diagnostics.count == Diagnostic.reportLimit + 1)
    }

    @Test func theParserKeepsNoMoreThanItCanReport() {
        let text = String(repeating: "-> x\n", count: 5_000)
        let (_, diagnostics) = Parser.parse(text, file: "p.zt")
        #expect(diagnostics.count == Diagnostic.reportLimit + 1)
    }

    @Test func aLongLineIsShownAroundTheColumn() {
        // One line of 10,000 characters with the error at column 5,001.
        let text = "zone a " + String(repeating: "1", count: 4_994) + "@" + String(repeating: "2", count: 5_000) + "\n"
        let (_, diagnostics) = PolicyLoader.load(text: text, path: "p.zt")
        let unexpected = try! #require(diagnostics.first { $0.id == "unexpected-character" })
        #expect(unexpected.location.column == 5_002)
        let lines = DiagnosticRenderer(sources: ["p.zt": text]).render([unexpected]).split(separator: "\n")
        let excerpt = lines[1], caret = lines[2]
        #expect(excerpt.count <= 122 && excerpt.hasPrefix("…") && excerpt.hasSuffix("…"))
        // The caret stands under the '@'.
        let caretOffset = caret.count - 1
        #expect(caret.last == "^")
        #expect(excerpt[excerpt.index(excerpt.startIndex, offsetBy: caretOffset)] == "@")
    }

    @Test func aLineAtTheWidthIsShownWhole() {
        let text = "zone a @" + String(repeating: "1", count: 112) + "\n"  // 120 characters
        let (_, diagnostics) = PolicyLoader.load(text: text, path: "p.zt")
        let rendered = DiagnosticRenderer(sources: ["p.zt": text]).render(Array(diagnostics.prefix(1)))
        #expect(rendered.split(separator: "\n")[1] == text.dropLast())
    }
}
