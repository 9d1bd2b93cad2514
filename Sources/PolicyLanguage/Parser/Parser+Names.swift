extension Parser {
    /// The name a `zone`, `service`, `acme` or `trust` statement declares or refers to; reserved words refused.
    /// - Parameter what: what the name names, for messages (`a zone name`).
    mutating func parseName(_ what: String) -> NameSyntax? {
        guard current.kind == .identifier else {
            report(.expected(what, found: current), at: current)
            return nil
        }
        let token = advance()
        if PolicySyntax.reservedWords.contains(token.text) {
            report(.reservedWord(token.text), at: token)
            return nil
        }
        return NameSyntax(token.text, at: token.location)
    }

    /// A comma-separated list; items that fail are reported by `parseItem` and left out (`hadErrors`).
    /// Returns nil when `parseItem` says the rest of the line cannot be read (its second argument).
    mutating func parseList<Item>(hadErrors: inout Bool, _ parseItem: (inout Parser, inout Bool) -> Item?)
        -> [Item]? {
        var items: [Item] = []
        repeat {
            var fatal = false
            if let item = parseItem(&self, &fatal) { items.append(item) } else { hadErrors = true }
            if fatal { return nil }
        } while parseListSeparator()
        return items
    }

    /// `, ` between list items, skipping a line end after it; false when the list ends here.
    mutating func parseListSeparator() -> Bool {
        guard current.kind == .comma else { return false }
        advance()
        skipNewlines()
        return true
    }

    /// Reports two list items side by side with a fix-it that puts the comma right after the first.
    mutating func reportMissingComma() {
        let previous = tokens[position - 1]
        let end = location(in: previous, offset: previous.length)
        report(.missingComma(after: previous, before: current), at: end, length: 1,
               fixIt: Diagnostic.FixIt(replacement: ",", length: 0))
    }
}
