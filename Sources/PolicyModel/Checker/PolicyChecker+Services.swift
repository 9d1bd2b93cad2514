import NetworkAddresses
import PolicyLanguage

extension PolicyChecker {
    /// The service as the model holds it, for the first declaration of each name.
    mutating func checkService(_ declaration: ServiceDeclaration) -> Service? {
        guard serviceDeclarations[declaration.name.text] == declaration,
              let items = resolveService(declaration.name.text) else { return nil }
        return Service(name: declaration.name.text, items: items, location: declaration.name.location)
    }

    /// The normalised items of a declared service, following services it names; nil after an error.
    mutating func resolveService(_ name: String) -> [ServiceItem]? {
        if let done = serviceResolution.result(name) { return done }
        guard let declaration = serviceDeclarations[name] else { return nil }
        serviceResolution.begin(name)
        var complete = !declaration.hadErrors
        var items: [ServiceItem] = []
        for reference in declaration.items {
            if case .name(let nested) = reference, declared[nested.text]?.kind == .service,
               let chain = serviceResolution.tooDeep() {
                reportTooDeep(chain, kind: .service, at: nested)
                complete = false
            } else if case .name(let nested) = reference, let cycle = serviceResolution.cycle(to: nested.text),
               declared[nested.text]?.kind == .service {
                reportCycle(cycle, kind: .service, at: nested, isNew: serviceResolution.isNewCycle(cycle))
                complete = false
            } else if let resolved = serviceItems(reference) {
                items += resolved
            } else {
                complete = false
            }
        }
        let result = complete ? ServiceItem.normalised(items) : nil
        serviceResolution.finish(name, with: result)
        return result
    }

    /// The items a service reference stands for: a literal's own, or a named service's; nil after an error.
    mutating func serviceItems(_ reference: ServiceReferenceSyntax) -> [ServiceItem]? {
        switch reference {
        case .literal(let literal):
            return [PolicyChecker.item(literal.spec)]
        case .name(let name):
            guard lookUp(name, as: .service) else { return nil }
            return resolveService(name.text)
        }
    }

    static func item(_ spec: ServiceLiteralSyntax.Spec) -> ServiceItem {
        switch spec {
        case .ports(let proto, let range): .ports(proto == .udp ? .udp : .tcp, [range])
        case .icmp(.icmpv6, let type): .icmpv6(type.map { [$0] } ?? [])
        case .icmp(_, let type): .icmp(type.map { [$0] } ?? [])
        }
    }
}
