import PolicyLanguage

extension PolicyChecker {
    /// Zones and services share one namespace, so that `web` in a flow can never mean two things.
    mutating func declareNames() {
        for declaration in syntax.declarations {
            switch declaration {
            case .zone(let zone):
                if declare(zone.name, as: .zone) { zoneDeclarations[zone.name.text] = zone }
            case .service(let service):
                if declare(service.name, as: .service) { serviceDeclarations[service.name.text] = service }
            default:
                continue
            }
        }
    }

    private mutating func declare(_ name: NameSyntax, as kind: Kind) -> Bool {
        guard let first = declared[name.text] else {
            declared[name.text] = (kind, name.location)
            return true
        }
        let note = Diagnostic(.firstDeclaredHere(name.text), at: first.location, length: name.length)
        report(.duplicateName(name.text, kind: first.kind.rawValue), at: name.location, length: name.length,
               related: [note])
        return false
    }

    /// True when `name` is declared as a `kind`; otherwise reports it, suggesting the nearest name of that kind.
    mutating func lookUp(_ name: NameSyntax, as kind: Kind) -> Bool {
        if let found = declared[name.text] {
            if found.kind == kind { return true }
            report(.wrongKind(name.text, is: found.kind.rawValue, expected: kind.rawValue), at: name.location,
                   length: name.length)
            return false
        }
        let candidates = declared.filter { $0.value.kind == kind }.sorted { $0.value.location < $1.value.location }
        let suggestion = Suggestions.nearest(to: name.text, in: candidates.map(\.key))
        report(.unknownName(name.text, kind: kind.rawValue, suggestion: suggestion, known: candidates.map(\.key)),
               at: name.location,
               length: name.length, fixIt: suggestion.map { Diagnostic.FixIt(replacement: $0, length: name.length) })
        return false
    }

    /// Reports a cycle met while following `reference`, once per cycle.
    /// Reports (once) that `reference` would nest names deeper than `Resolution.maximumDepth`.
    mutating func reportTooDeep(_ chain: [String], kind: Kind, at reference: NameSyntax) {
        guard let first = chain.first else { return }
        report(.nestingTooDeep(kind: kind.rawValue, first: first, last: reference.text, limit: chain.count),
               at: reference.location, length: reference.length)
    }

    mutating func reportCycle(_ path: [String], kind: Kind, at reference: NameSyntax, isNew: Bool) {
        guard isNew else { return }
        report(.nameCycle(kind: kind.rawValue, path: path), at: reference.location, length: reference.length)
    }
}
