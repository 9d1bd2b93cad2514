extension Parser {
    /// `service NAME ITEMS`
    mutating func parseService() -> ServiceDeclaration? {
        advance()
        guard let name = parseName("a service name") else {
            skipLine()
            return nil
        }
        if current.kind == .newline || current.kind == .end {
            report(.expected("a port or service after 'service \(name.text)'", found: current), at: current)
            finishStatement()
            return ServiceDeclaration(name: name, items: [], hadErrors: true)
        }
        var hadErrors = false
        guard let items = parseServiceList(hadErrors: &hadErrors) else {
            skipLine()
            return ServiceDeclaration(name: name, items: [], hadErrors: true)
        }
        finishStatement()
        return ServiceDeclaration(name: name, items: items, hadErrors: hadErrors)
    }

    /// A comma-separated list of services; nil when the line cannot be read further.
    mutating func parseServiceList(hadErrors: inout Bool) -> [ServiceReferenceSyntax]? {
        parseList(hadErrors: &hadErrors) { $0.parseServiceReference(fatal: &$1) }
    }
}
