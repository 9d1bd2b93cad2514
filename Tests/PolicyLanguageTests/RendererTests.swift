import Foundation
import PolicyLanguage
import PolicyModel
import Testing

@Suite struct RendererTests {
    @Test func rendersHeadlineSourceCaretAndReplacementFixIt() {
        let text = "zone ra 10.0.0.1/24\n"
        let (_, diagnostics) = PolicyLoader.load(text: text, path: "p.zt")
        let output = DiagnosticRenderer(sources: ["p.zt": text]).render(diagnostics)
        #expect(output == """
            p.zt:1:9: error: host bits set in '10.0.0.1/24'; did you mean '10.0.0.0/24'?
            zone ra 10.0.0.1/24
                    ^~~~~~~~~~~
            fix-it: replace '10.0.0.1/24' with '10.0.0.0/24'

            """)
    }

    @Test func rendersRelatedNotesWithTheirOwnCaret() {
        let text = "zone web 10.0.0.1\nzone web 10.0.0.2\n"
        let (_, diagnostics) = PolicyLoader.load(text: text, path: "p.zt")
        #expect(DiagnosticRenderer(sources: ["p.zt": text]).render(diagnostics) == """
            p.zt:2:6: error: duplicate name 'web': a zone of that name already exists
            zone web 10.0.0.2
                 ^~~
            p.zt:1:6: note: 'web' is first declared here
            zone web 10.0.0.1
                 ^~~

            """)
    }

    @Test func rendersAMissingFlowAsAnAddFixIt() {
        let text = """
            zone ra 10.77.0.1
            zone web 10.77.0.2
            service https tcp/443
            ra -> web https
            acme web {
              directory "https://10.77.0.1/dir"
              trust "/nonexistent/root.pem"
              domain web.test
            }

            """
        let (_, diagnostics) = PolicyLoader.load(text: text, path: "p.zt")
        let errors = diagnostics.filter { $0.severity == .error }
        #expect(DiagnosticRenderer(sources: ["p.zt": text]).render(errors) == """
            p.zt:5:1: error: the flows do not let 'web' reach the acme directory 10.77.0.1 on tcp/443
            acme web {
            ^~~~
            fix-it: add: web -> ra https

            """)
    }

    @Test func keepsTabsSoTheCaretLinesUp() {
        let text = "zone\tweb\t10.0.0.1/8\n"
        let (_, diagnostics) = PolicyLoader.load(text: text, path: "p.zt")
        let lines = DiagnosticRenderer(sources: ["p.zt": text]).render(diagnostics).split(separator: "\n")
        #expect(lines[0] == "p.zt:1:10: error: host bits set in '10.0.0.1/8'; did you mean '10.0.0.0/8'?")
        #expect(lines[2] == "    \t   \t^~~~~~~~~~")
    }

    @Test func withoutTheSourceOnlyTheHeadlineAndFixItAreShown() {
        let diagnostic = Diagnostic(.hostBitsSet("10.0.0.1/24", masked: "10.0.0.0/24"),
                                    at: SourceLocation(file: "/nonexistent/p.zt", line: 3, column: 9), length: 11,
                                    fixIt: Diagnostic.FixIt(replacement: "10.0.0.0/24", length: 11))
        #expect(DiagnosticRenderer().render(diagnostic) == """
            /nonexistent/p.zt:3:9: error: host bits set in '10.0.0.1/24'; did you mean '10.0.0.0/24'?
            fix-it: replace with '10.0.0.0/24'

            """)
    }

    @Test func caretStopsAtTheEndOfTheLine() {
        let text = "web -> db\n"
        let (_, diagnostics) = PolicyLoader.load(text: text, path: "p.zt")
        #expect(DiagnosticRenderer(sources: ["p.zt": text]).render(diagnostics) == """
            p.zt:1:10: error: expected a service after the destinations, found end of line
            web -> db
                     ^

            """)
    }

    @Test func summaryCountsErrorsAndWarnings() {
        let (_, diagnostics) = PolicyLoader.load(text: "zone a 10.0.0.1/8\ntrust a {\n root \"x.pem\"\n}\n",
                                                 path: "/nonexistent/p.zt")
        #expect(DiagnosticRenderer.summary(of: diagnostics) == "1 error, 1 warning")
        #expect(DiagnosticRenderer.summary(of: []) == "")
    }

    /// A file larger than any policy is reported as such without being read again for its first line:
    /// the renderer read all of it (256 MiB for one line, a minute and 2 GB for a file of 1 GiB).
    @Test func aFileTooLargeToReadIsNotReadForItsLines() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ztpol-large-\(UUID().uuidString).zt").path
        #expect(FileManager.default.createFile(atPath: path, contents: Data("# first line\n".utf8)))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(truncate(path, off_t(PolicyLoader.maximumBytes + 1)) == 0)
        #expect(DiagnosticRenderer.largestFileShown == PolicyLoader.maximumBytes)
        let (_, diagnostics) = PolicyLoader.load(path: path)
        let started = ContinuousClock.now
        let output = DiagnosticRenderer().render(diagnostics)
        #expect(output == "\(path):1:1: error: cannot read policy file '\(path)': it is larger than 256 MiB, "
                    + "more than any policy needs\n")
        #expect(ContinuousClock.now - started < .seconds(1))

        // A small file is shown as before.
        #expect(truncate(path, off_t(14)) == 0)
        let small = Diagnostic(.cannotRead(path, reason: "x"), at: SourceLocation(file: path, line: 1, column: 3))
        #expect(DiagnosticRenderer().render(small).contains("# first line\n  ^"))
    }
}
