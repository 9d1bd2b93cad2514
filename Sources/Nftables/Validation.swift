import NetworkAddresses

/// Something in a `Table` that cannot be written faithfully, found before anything reaches nft or the
/// kernel. What the kernel judges itself (a plain jump to a missing chain, a missing set) is left to
/// the kernel, whose refusal names the object just as precisely; verdict maps and loops are checked
/// here (see `jumpProblems`).
public struct TableProblem: Error, Sendable, Hashable, CustomStringConvertible {
    public var object: NftObject
    public var reason: String

    public init(_ object: NftObject, _ reason: String) {
        self.object = object
        self.reason = reason
    }

    public var description: String { "\(object): \(reason)" }
}

extension Table {
    /// nft's limits: names and strings are NUL-terminated in fixed kernel buffers.
    static let maximumNameBytes = 255
    public static let maximumCommentBytes = 127
    static let maximumLogPrefixBytes = 127
    static let maximumInterfaceNameBytes = 15
    /// Far beyond any real rule; it bounds a rule's netlink message well inside one batch page.
    static let maximumMatchesPerRule = 64

    /// Every problem of the table, in table order; empty when it can be rendered and applied.
    public func problems() -> [TableProblem] {
        var problems: [TableProblem] = []
        let table = NftObject.table(family, name)
        problems += Table.nameProblems(name, of: table)
        // The rules' family and protocol checks are those of an inet table (see `Dependencies`).
        if family != .inet { problems.append(TableProblem(table, "ztpol writes inet tables only")) }
        problems += unrecognised.map { TableProblem(table, "holds an object ztpol cannot write: \($0)") }
        var setNames: Set<String> = []
        for set in sets {
            let object = NftObject.set(set.name)
            problems += Table.nameProblems(set.name, of: object)
            if !setNames.insert(set.name).inserted { problems.append(TableProblem(object, "defined twice")) }
            problems += Table.textProblems(set.comment, what: "comment", limit: Table.maximumCommentBytes, of: object)
            problems += Table.elementProblems(set)
        }
        var chainNames: Set<String> = []
        for chain in chains {
            let object = NftObject.chain(chain.name)
            problems += Table.nameProblems(chain.name, of: object)
            if !chainNames.insert(chain.name).inserted { problems.append(TableProblem(object, "defined twice")) }
            if let base = chain.base, base.policy != .accept && base.policy != .drop {
                problems.append(TableProblem(object, "a base chain's policy must be accept or drop"))
            }
            for (index, rule) in chain.rules.enumerated() {
                problems += Table.ruleProblems(rule, of: .rule(index + 1, chain: chain.name))
            }
        }
        return problems + jumpProblems()
    }

    static func nameProblems(_ name: String, of object: NftObject) -> [TableProblem] {
        // Over bytes: this runs for every name and set reference of every rule.
        var valid = !name.utf8.isEmpty && name.utf8.count <= maximumNameBytes
        for (index, byte) in name.utf8.enumerated() where valid {
            let letter = (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
            let digit = byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
            valid = letter || byte == UInt8(ascii: "_") || (digit && index > 0)
        }
        return valid ? [] : [TableProblem(object, "'\(name)' is not a valid nft name (letters, digits, '_')")]
    }

    static func textProblems(_ text: String?, what: String, limit: Int, of object: NftObject) -> [TableProblem] {
        guard let text else { return [] }
        if text.utf8.count > limit {
            return [TableProblem(object, "\(what) is \(text.utf8.count) bytes long; nft takes at most \(limit)")]
        }
        // nft's parser has no escape for a quote, and a line break would break the listing. Printable
        // ASCII needs only the quote check; anything else is judged character by character.
        let plain = text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
        if plain ? text.utf8.contains(UInt8(ascii: "\"")) : text.contains(where: { $0 == "\"" || $0.isNewline }) {
            return [TableProblem(object, "\(what) contains a quote or a line break, which nft cannot write")]
        }
        return []
    }

    /// The problems of `set`'s elements alone: all that an element-only change to a table the kernel
    /// holds can get wrong, as the rest is the kernel's own.
    public static func elementProblems(_ set: NamedSet) -> [TableProblem] {
        let object = NftObject.set(set.name)
        // Compared as numbers, through the buffer: this runs over every element of a full apply.
        return set.elements.withUnsafeBufferPointer { elements in
            for index in elements.indices {
                let element = elements[index]
                if element.family != set.family {
                    return [TableProblem(object, "element \(element) is not an \(set.family.rawValue) address")]
                }
                guard index > 0 else { continue }
                let previous = elements[index - 1].last.value
                // The kernel refuses overlapping intervals; touching ones would be listed merged.
                if previous == set.family.maxValue || element.first.value <= previous + 1 {
                    let reason = "elements \(elements[index - 1]) and \(element) are not sorted, disjoint and apart"
                    return [TableProblem(object, reason)]
                }
            }
            return []
        }
    }

    static func ruleProblems(_ rule: Rule, of object: NftObject) -> [TableProblem] {
        var problems: [TableProblem] = []
        if rule.matches.isEmpty && !rule.counter && rule.log == nil && rule.verdict == .continue {
            problems.append(TableProblem(object, "the rule is empty"))
        }
        if rule.matches.count > maximumMatchesPerRule {
            let reason = "\(rule.matches.count) matches; ztpol writes at most \(maximumMatchesPerRule)"
            problems.append(TableProblem(object, reason))
        }
        for match in rule.matches {
            switch match {
            case .interface(_, let name):
                if name.isEmpty { problems.append(TableProblem(object, "empty interface name")) }
                problems += textProblems(name, what: "interface name", limit: maximumInterfaceNameBytes, of: object)
            case .connectionState(let state) where state.isEmpty:
                problems.append(TableProblem(object, "ct state matches no state"))
            case .ports(let proto, _, let ranges):
                if proto != .tcp && proto != .udp {
                    problems.append(TableProblem(object, "ports of \(proto.name), which has none"))
                } else if ranges.isEmpty || PortRange.normalise(ranges) != ranges {
                    problems.append(TableProblem(object, "port ranges must be non-empty, sorted and apart"))
                }
            case .icmpTypes(_, let types) where types.isEmpty || Set(types).count != types.count:
                problems.append(TableProblem(object, "ICMP types must be non-empty and distinct"))
            case .addressInSet(_, _, let set):
                problems += nameProblems(set, of: object)
            case .unrecognised(let text):
                problems.append(TableProblem(object, "cannot write unrecognised expressions \(text)"))
            default:
                break
            }
        }
        problems += textProblems(rule.comment, what: "comment", limit: maximumCommentBytes, of: object)
        if let log = rule.log {
            problems += textProblems(log.prefix, what: "log prefix", limit: maximumLogPrefixBytes, of: object)
            if log.ratePerMinute == 0 { problems.append(TableProblem(object, "log rate must be above 0")) }
        }
        if case .jump(let target) = rule.verdict { problems += nameProblems(target, of: object) }
        return problems
    }
}
