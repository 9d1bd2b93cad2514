extension Parser {
    /// `expect SOURCE -> DESTINATION SERVICE allow|deny`: one of each, so that a failure names one case.
    mutating func parseExpect() -> ExpectDeclaration? {
        let keyword = advance()
        var hadErrors = false
        var fatal = false
        let source = parseEndpoint(fatal: &fatal)
        guard !fatal, refuseList("source") else { return abandonStatement() }
        guard current.kind == .arrow else {
            report(.expected("'->' after the source", found: current), at: current)
            return abandonStatement()
        }
        advance()
        skipNewlines()
        let destination = parseEndpoint(fatal: &fatal)
        guard !fatal, refuseList("destination") else { return abandonStatement() }
        guard current.kind != .newline && current.kind != .end else {
            report(.expected("a service after the destination", found: current), at: current)
            return abandonStatement()
        }
        let service = parseServiceReference(fatal: &fatal)
        guard !fatal, refuseList("service") else { return abandonStatement() }
        hadErrors = source == nil || destination == nil || service == nil
        let verdictToken = current
        guard let verdict = ExpectDeclaration.Verdict(rawValue: verdictToken.text),
              verdictToken.kind == .identifier else {
            let suggestion = verdictToken.kind == .identifier
                ? Suggestions.nearest(to: verdictToken.text, in: ["allow", "deny"]) : nil
            report(.expected("'allow' or 'deny'", found: verdictToken), at: verdictToken,
                   fixIt: suggestion.map { Diagnostic.FixIt(replacement: $0, length: verdictToken.length) })
            return abandonStatement()
        }
        advance()
        finishStatement()
        guard !hadErrors, let source, let destination, let service else { return nil }
        return ExpectDeclaration(at: keyword.location, source: source, destination: destination, service: service,
                                 verdict: verdict)
    }

    /// An expectation names one case; a list is refused so that a failure always points at one pair.
    private mutating func refuseList(_ what: String) -> Bool {
        guard current.kind == .comma else { return true }
        report(.expectationList(what), at: current)
        return false
    }

    private mutating func abandonStatement() -> ExpectDeclaration? {
        skipLine()
        return nil
    }
}
