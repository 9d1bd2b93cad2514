import Foundation

/// Turns diagnostics into the text a person reads in a terminal or CI log:
///
///     policies/webserver.zt:3:9: error: host bits set in '10.0.0.1/24'; did you mean '10.0.0.0/24'?
///     zone ra 10.0.0.1/24
///             ^~~~~~~~~~~
///     fix-it: replace '10.0.0.1/24' with '10.0.0.0/24'
///
/// The headline is the `file:line:col` form editors jump to; the source excerpt is left out when the
/// file's text is not available.
public struct DiagnosticRenderer: Sendable {
    private let sources: [String: [Substring]]
    private let readsFiles: Bool

    /// - Parameters:
    ///   - sources: policy texts by file name, as the diagnostics' locations name them.
    ///   - readsFiles: whether to read a file from disk when `sources` does not have it.
    public init(sources: [String: String] = [:], readsFiles: Bool = true) {
        self.sources = sources.mapValues(DiagnosticRenderer.lines)
        self.readsFiles = readsFiles
    }

    /// Renders every diagnostic, each followed by its related notes, separated by nothing: each ends in a newline.
    public func render(_ diagnostics: [Diagnostic]) -> String {
        var cache = sources
        return diagnostics.map { render($0, cache: &cache) }.joined()
    }

    /// Renders one diagnostic and its related notes.
    public func render(_ diagnostic: Diagnostic) -> String {
        var cache = sources
        return render(diagnostic, cache: &cache)
    }

    /// `2 errors, 1 warning` — the closing line of a command's report; empty when there is nothing to say.
    public static func summary(of diagnostics: [Diagnostic]) -> String {
        // Past the report limit the last diagnostic only says there were more: the count is a lower bound.
        let cut = diagnostics.contains { $0.id == Diagnostic.tooManyErrorsID }
        func count(_ severity: Diagnostic.Severity, _ word: String) -> String? {
            let n = diagnostics.filter { $0.severity == severity && $0.id != Diagnostic.tooManyErrorsID }.count
            guard n > 0 else { return nil }
            return severity == .error && cut ? "more than \(n) \(word)s" : "\(n) \(word)\(n == 1 ? "" : "s")"
        }
        return [count(.error, "error"), count(.warning, "warning")].compactMap { $0 }.joined(separator: ", ")
    }

    private func render(_ diagnostic: Diagnostic, cache: inout [String: [Substring]]) -> String {
        var out = diagnostic.headline + "\n"
        let line = sourceLine(diagnostic.location, cache: &cache)
        if let line {
            let (excerpt, column) = DiagnosticRenderer.excerpt(of: line, around: diagnostic.location.column)
            out += excerpt + "\n" + caretLine(under: excerpt, column: column, length: diagnostic.length) + "\n"
        }
        if let fixIt = diagnostic.fixIt {
            out += "fix-it: " + describe(fixIt, at: diagnostic.location.column, in: line) + "\n"
        }
        for note in diagnostic.notes { out += "note: \(note)\n" }
        for related in diagnostic.related { out += render(related, cache: &cache) }
        return out
    }

    private func describe(_ fixIt: Diagnostic.FixIt, at column: Int, in line: Substring?) -> String {
        if fixIt.addsLine { return "add: " + fixIt.replacement.dropLast() }
        if fixIt.length == 0 { return "insert '\(fixIt.replacement)'" }
        guard let line, column >= 1,
              let start = line.index(line.startIndex, offsetBy: column - 1, limitedBy: line.endIndex),
              let end = line.index(start, offsetBy: fixIt.length, limitedBy: line.endIndex) else {
            return "replace with '\(fixIt.replacement)'"
        }
        return "replace '\(line[start..<end])' with '\(fixIt.replacement)'"
    }

    /// The widest source excerpt shown, in characters. A longer line (a generated list on one line, or a
    /// file that is no text at all) is shown around the column, cut with `…` where it goes on: a hundred
    /// diagnostics each quoting a 20 MB line printed 2 GB.
    static let excerptWidth = 120

    /// `line`, or the part of it around `column` when it is longer than `excerptWidth`, with the column
    /// where `column` is in what is shown. Only the characters up to the window's end are looked at.
    static func excerpt(of line: Substring, around column: Int) -> (text: Substring, column: Int) {
        guard let widest = line.index(line.startIndex, offsetBy: excerptWidth, limitedBy: line.endIndex),
              widest < line.endIndex else { return (line, column) }
        // A third of the width before the column, the rest after it.
        let skipped = max(0, column - 1 - excerptWidth / 3)
        let start = line.index(line.startIndex, offsetBy: skipped, limitedBy: line.endIndex) ?? line.endIndex
        let end = line.index(start, offsetBy: excerptWidth, limitedBy: line.endIndex) ?? line.endIndex
        let text = (skipped > 0 ? "…" : "") + line[start..<end] + (end < line.endIndex ? "…" : "")
        return (Substring(text), column - skipped + (skipped > 0 ? 1 : 0))
    }

    /// Spaces up to the column (tabs kept, so the caret lines up however wide a tab is shown), then `^~~~`.
    private func caretLine(under line: Substring, column: Int, length: Int) -> String {
        let lead = line.prefix(max(0, column - 1)).map { $0 == "\t" ? "\t" : " " }.joined()
        let room = max(1, line.count - (column - 1))
        return lead + "^" + String(repeating: "~", count: max(0, min(length, room) - 1))
    }

    /// The largest file read for its lines: the largest policy read at all. A larger one is reported as too
    /// large to read, and reading it here all the same took a minute and 2 GB for 1 GiB.
    public static let largestFileShown = PolicySyntax.maximumBytes

    /// Whether `path` is a regular file (after symbolic links) small enough to read for its lines: a named
    /// pipe or a device gives its text once, to the loader, and `/dev/zero` never ends.
    private static func isShown(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFREG && status.st_size <= largestFileShown
    }

    private func sourceLine(_ location: SourceLocation, cache: inout [String: [Substring]]) -> Substring? {
        if cache[location.file] == nil, readsFiles, DiagnosticRenderer.isShown(location.file),
           let data = FileManager.default.contents(atPath: location.file),
           let text = String(data: data, encoding: .utf8) {
            cache[location.file] = DiagnosticRenderer.lines(text)
        }
        guard let lines = cache[location.file], location.line >= 1, location.line <= lines.count else { return nil }
        return lines[location.line - 1]
    }

    private static func lines(_ text: String) -> [Substring] {
        text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
    }
}
