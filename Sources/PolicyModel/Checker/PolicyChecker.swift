import NetworkAddresses
import PolicyLanguage

/// Checks a syntax tree and builds the `Policy` from it: names resolved, zones and services flattened,
/// flows and expectations checked, `acme` and `trust` settings read, files looked at, and — once everything
/// else is free of errors — the expectations evaluated and each `acme` block's traffic proven.
///
/// It runs on a tree with syntax errors too, so that one run reports everything; what the parser could not
/// read is marked `hadErrors` and the checker keeps quiet about its consequences.
struct PolicyChecker {
    enum Kind: String {
        case zone, service
    }

    let syntax: PolicySyntax
    let path: String
    var diagnostics: [Diagnostic] = []
    /// Every declared zone and service name, first declaration only.
    var declared: [String: (kind: Kind, location: SourceLocation)] = [:]
    var zoneDeclarations: [String: ZoneDeclaration] = [:]
    var serviceDeclarations: [String: ServiceDeclaration] = [:]
    var zoneResolution = Resolution<AddressSet>()
    var serviceResolution = Resolution<[ServiceItem]>()
    /// Zones whose addresses are already known, by the location of their name: statements of literals
    /// that an earlier run resolved (see `IncrementalLoader`); their declarations come without items.
    var presolvedZones: [SourceLocation: AddressSet] = [:]

    init(syntax: PolicySyntax, path: String) {
        self.syntax = syntax
        self.path = path
    }

    /// Checks everything; the policy is nil when any error was found (`hadSyntaxErrors` counts too).
    mutating func check(hadSyntaxErrors: Bool) -> Policy? {
        declareNames()
        var policy = Policy(path: path)
        for declaration in syntax.declarations {
            switch declaration {
            case .zone(let zone): if let checked = checkZone(zone) { policy.zones.append(checked) }
            case .service(let service): if let checked = checkService(service) { policy.services.append(checked) }
            case .flow(let flow): if let checked = checkFlow(flow) { policy.flows.append(checked) }
            case .expect(let expect): if let checked = checkExpectation(expect) { policy.expectations.append(checked) }
            case .acme(let block):
                if let checked = checkAcme(block, seen: policy.acme) { policy.acme.append(checked) }
            case .trust(let block):
                if let checked = checkTrust(block, seen: policy.trust) { policy.trust.append(checked) }
            }
        }
        // Evaluating against a policy with errors would only add noise: a broken flow makes expectations fail.
        if !hadSyntaxErrors && !diagnostics.contains(where: { $0.severity == .error }) {
            for expectation in policy.expectations { diagnostics += evaluate(expectation, flows: policy.flows) }
            for block in policy.acme { diagnostics += policy.acmeProof(for: block) }
        }
        let failed = hadSyntaxErrors || diagnostics.contains { $0.severity == .error }
        return failed ? nil : policy
    }

    mutating func report(_ message: DiagnosticMessage, at location: SourceLocation, length: Int,
                         fixIt: Diagnostic.FixIt? = nil, related: [Diagnostic] = []) {
        diagnostics.append(Diagnostic(message, at: location, length: length, fixIt: fixIt, related: related))
    }
}
