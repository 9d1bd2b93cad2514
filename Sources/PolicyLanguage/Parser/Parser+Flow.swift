extension Parser {
    /// `SOURCES -> DESTINATIONS SERVICES`: every statement that does not start with a keyword.
    mutating func parseFlow() -> FlowDeclaration? {
        let start = current
        var hadErrors = false
        guard let sources = parseEndpoints(hadErrors: &hadErrors) else {
            skipLine()
            return nil
        }
        guard current.kind == .arrow else {
            reportMissingArrow(start: start, sourceCount: sources.count)
            skipLine()
            return nil
        }
        advance()
        skipNewlines()
        guard let destinations = parseEndpoints(hadErrors: &hadErrors) else {
            skipLine()
            return nil
        }
        guard current.kind != .newline && current.kind != .end else {
            report(.expected("a service after the destinations", found: current), at: current)
            finishStatement()
            return nil
        }
        guard let services = parseServiceList(hadErrors: &hadErrors) else {
            skipLine()
            return nil
        }
        finishStatement()
        return FlowDeclaration(sources: sources, destinations: destinations, services: services,
                               location: start.location, hadErrors: hadErrors)
    }

    /// A comma-separated list of zones, address literals and `any`; nil when the line cannot be read further.
    mutating func parseEndpoints(hadErrors: inout Bool) -> [EndpointSyntax]? {
        parseList(hadErrors: &hadErrors) { $0.parseEndpoint(fatal: &$1) }
    }

    /// One zone name, address literal or `any`.
    mutating func parseEndpoint(fatal: inout Bool) -> EndpointSyntax? {
        let token = current
        switch token.kind {
        case .identifier where token.text == "any":
            advance()
            return .any(token.location)
        case .identifier where PolicySyntax.reservedWords.contains(token.text):
            report(.expected("a zone, an address or 'any'", found: token), at: token)
            fatal = true
            return nil
        case .identifier:
            advance()
            return .name(NameSyntax(token.text, at: token.location))
        case .address:
            advance()
            return parseAddressLiteral(token).map { .address($0) }
        default:
            report(.expected("a zone, an address or 'any'", found: token), at: token)
            fatal = true
            return nil
        }
    }

    /// A line that is neither a known statement nor a flow: most often a misspelt keyword (`zome web ...`).
    private mutating func reportMissingArrow(start: Token, sourceCount: Int) {
        if sourceCount == 1, start.kind == .identifier, current.kind != .comma,
           let keyword = Suggestions.nearest(to: start.text, in: PolicySyntax.statementKeywords) {
            report(.unknownStatement(start.text, suggestion: keyword), at: start,
                   fixIt: Diagnostic.FixIt(replacement: keyword, length: start.length))
        } else {
            report(.expected("'->' after the sources", found: current), at: current)
        }
    }
}
