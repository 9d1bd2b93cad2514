import Foundation
import PolicyLanguage
import PolicyModel

/// Loads policy text and returns each diagnostic (and its related notes) as `line:col: severity: message`.
func diagnostics(of text: String, path: String = "test.zt") -> [String] {
    brief(PolicyLoader.load(text: text, path: path).1)
}

/// `line:col: severity: message` for each diagnostic, then `  fix-it: …` when it has one, then its related notes.
func brief(_ diagnostics: [Diagnostic]) -> [String] {
    diagnostics.flatMap { diagnostic in
        [diagnostic] + diagnostic.related
    }.flatMap { diagnostic -> [String] in
        let line = "\(diagnostic.location.line):\(diagnostic.location.column): \(diagnostic.severity.rawValue): "
            + diagnostic.message
        guard let fixIt = diagnostic.fixIt else { return [line] }
        let fix = fixIt.addsLine ? "add: \(fixIt.replacement.dropLast())"
            : "replace \(fixIt.length) with '\(fixIt.replacement)'"
        return [line, "  fix-it: \(fix)"]
    }
}

/// The repository's root, found from this file's path, for the policies and examples it ships.
let repositoryRoot: URL = {
    var url = URL(fileURLWithPath: #filePath)
    while url.path != "/" && !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
        url.deleteLastPathComponent()
    }
    return url
}()
