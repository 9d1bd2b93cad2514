import NetworkAddresses

// Verdict maps and the jumps between chains. A plain `jump` to a missing chain is still left to the
// kernel, whose refusal names the rule; a map's entries are checked here because the kernel refuses
// them as elements of an anonymous set and names no entry, and loops because the kernel reports one
// only as "too many links" at whichever jump makes it reachable from a base chain.

extension Table {
    /// Every problem of the table's verdict maps and jump graph, in table order.
    func jumpProblems() -> [TableProblem] {
        let regularChains = Set(chains.filter { $0.base == nil }.map(\.name))
        var problems: [TableProblem] = []
        for chain in chains {
            for (index, rule) in chain.rules.enumerated() {
                guard case .map(let map) = rule.verdict else { continue }
                problems += Table.mapProblems(map, in: rule, regularChains: regularChains,
                                              of: .rule(index + 1, chain: chain.name))
            }
        }
        return problems + loopProblems()
    }

    static func mapProblems(_ map: VerdictMap, in rule: Rule, regularChains: Set<String>,
                            of object: NftObject) -> [TableProblem] {
        var problems: [TableProblem] = []
        if map.transport != .tcp && map.transport != .udp {
            problems.append(TableProblem(object, "a vmap looks up ports of \(map.transport.name), which has none"))
        }
        // nft refuses a rule that checks one protocol and looks up another's ports.
        let checked = rule.matches.compactMap { match -> L4Protocol? in
            if case .l4Protocol(let proto) = match { return proto }
            return match.impliedProtocol
        }
        if let other = checked.first(where: { $0 != map.transport }) {
            problems.append(TableProblem(object, "the rule matches \(other.name) but its vmap looks up "
                                         + "\(map.transport.name) ports"))
        }
        if map.entries.isEmpty { problems.append(TableProblem(object, "a vmap must have entries")) }
        let pairs = zip(map.entries, map.entries.dropFirst())
        for (previous, entry) in pairs where entry.ports.first <= previous.ports.last {
            problems.append(TableProblem(object, "vmap entries \(previous.ports) and \(entry.ports) are not "
                                         + "sorted and disjoint"))
        }
        for entry in map.entries {
            switch entry.verdict {
            case .accept, .drop:
                break
            case .jump(let target):
                if !regularChains.contains(target) {
                    problems.append(TableProblem(object, "vmap entry \(entry.ports) jumps to '\(target)', which is "
                                                 + "no regular chain of the table"))
                }
            default:
                problems.append(TableProblem(object, "vmap entry \(entry.ports) must accept, drop or jump"))
            }
        }
        return problems
    }

    /// A rule whose jump (plain or in a map) leads back to a chain on the way to it: the kernel would
    /// loop. Each loop is reported once, at the rule that closes it.
    func loopProblems() -> [TableProblem] {
        let byName = Dictionary(chains.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        enum Mark { case onPath, done }
        var marks: [String: Mark] = [:]
        var path: [String] = []
        var problems: [TableProblem] = []

        func visit(_ name: String) {
            guard let chain = byName[name] else { return }
            marks[name] = .onPath
            path.append(name)
            for (index, rule) in chain.rules.enumerated() {
                for target in rule.jumpTargets {
                    switch marks[target] {
                    case .onPath:
                        let loop = path[path.lastIndex(of: target)!...] + [target]
                        problems.append(TableProblem(.rule(index + 1, chain: name), "jump to \(target) closes a "
                                                     + "loop: \(loop.joined(separator: " → "))"))
                    case .done:
                        break
                    case nil:
                        visit(target)
                    }
                }
            }
            path.removeLast()
            marks[name] = .done
        }
        for chain in chains where marks[chain.name] == nil { visit(chain.name) }
        return problems
    }
}

extension Rule {
    /// The chains the rule may jump to, by its verdict or its map's entries.
    var jumpTargets: [String] {
        switch verdict {
        case .jump(let target): [target]
        case .map(let map): map.entries.compactMap { if case .jump(let target) = $0.verdict { target } else { nil } }
        default: []
        }
    }
}
