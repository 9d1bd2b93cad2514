import NetworkAddresses
import PolicyLanguage

extension PolicyChecker {
    /// The zone as the model holds it, for the first declaration of each name.
    mutating func checkZone(_ declaration: ZoneDeclaration) -> Zone? {
        guard zoneDeclarations[declaration.name.text] == declaration,
              let addresses = resolveZone(declaration.name.text) else { return nil }
        return Zone(name: declaration.name.text, addresses: addresses, location: declaration.name.location)
    }

    /// The addresses of a declared zone: its items' union less its exclusions. Nil when that cannot be known
    /// (an error was reported here or in a zone it includes) or is empty (reported).
    mutating func resolveZone(_ name: String) -> AddressSet? {
        if let done = zoneResolution.result(name) { return done }
        guard let declaration = zoneDeclarations[name] else { return nil }
        zoneResolution.begin(name)
        if let known = presolvedZones[declaration.name.location] {
            zoneResolution.finish(name, with: known)
            return known
        }
        var complete = !declaration.hadErrors
        let included = addresses(of: declaration.items, complete: &complete)
        let excluded = addresses(of: declaration.exclusions, complete: &complete)
        var result: AddressSet?
        if complete {
            let remaining = included.subtracting(excluded)
            if remaining.isEmpty {
                report(.emptyZone(name, afterExceptions: !declaration.items.isEmpty), at: declaration.name.location,
                       length: declaration.name.length)
            } else {
                result = remaining
            }
        }
        zoneResolution.finish(name, with: result)
        return result
    }

    private mutating func addresses(of items: [ZoneDeclaration.Item], complete: inout Bool) -> AddressSet {
        var ranges: [AddressRange] = []
        // One range a literal, the usual item: a zone of thousands grown by doubling was copied over and over.
        ranges.reserveCapacity(items.count)
        for item in items {
            switch item {
            case .address(let literal):
                ranges.append(literal.range)
            case .name(let reference):
                guard lookUp(reference, as: .zone) else {
                    complete = false
                    continue
                }
                if let chain = zoneResolution.tooDeep() {
                    reportTooDeep(chain, kind: .zone, at: reference)
                    complete = false
                } else if let cycle = zoneResolution.cycle(to: reference.text) {
                    reportCycle(cycle, kind: .zone, at: reference, isNew: zoneResolution.isNewCycle(cycle))
                    complete = false
                } else if let nested = resolveZone(reference.text) {
                    ranges += nested.allRanges
                } else {
                    complete = false
                }
            }
        }
        return AddressSet(ranges)
    }
}
