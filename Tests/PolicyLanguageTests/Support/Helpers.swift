import Foundation
import PolicyLanguage
import PolicyModel

/// Loads policy text and returns each diagnostic (and its related notes) as `line:col: severity: message`.
func diagnostics(of text: String, path: String = "test.zt") -> [String] {
    brief(PolicyLoader.load(text: text, path: path).1)
}

/// `line:col: severity: message` for each diagnostic, each followed by its related notes.
func brief(_ diagnostics: [Diagnostic]) -> [String] {
    diagnostics.flatMap { diagnostic in
        [diagnostic] + diagnostic.related
    }.map { "\($0.location.line):\($0.location.column): \($0.severity.rawValue): \($0.message)" }
}

/// The repository's root, found from this file's path, for the policies and examples it ships.
let repositoryRoot: URL = {
    var url = URL(fileURLWithPath: #filePath)
    while url.path != "/" && !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
        url.deleteLastPathComponent()
    }
    return url
}()
