import NetworkAddresses
import Nftables

extension TableDiff {
    /// The change as nft statements under one hunk per object, in table order: the table itself, sets,
    /// chains, then objects ztpol cannot express. Counters are bare; rule lines end in an nft comment
    /// with the rule's place in its chain (old chain for `-`, new chain for `+`), counted from 1.
    public func lines() -> [DiffLine] {
        let writer = StatementWriter(table: Table(family: family, name: tableName))
        var lines: [DiffLine] = []
        switch existence {
        case .created: lines.append(DiffLine(.added, writer.renderer.tableStatement(writer.table)))
        case .deleted: lines.append(DiffLine(.removed, writer.renderer.tableStatement(writer.table)))
        case .unchanged: break
        }
        for change in sets { lines += writer.lines(change) }
        for change in chains { lines += writer.lines(change) }
        if !unrecognised.isEmpty {
            lines.append(DiffLine(.hunk, "objects ztpol cannot express"))
            lines += unrecognised.removed.map { DiffLine(.removed, $0) }
            lines += unrecognised.added.map { DiffLine(.added, $0) }
        }
        return lines
    }
}

/// Writes each kind of change as statements of one table.
private struct StatementWriter {
    let table: Table
    let renderer = NftRenderer(counters: .bare)
    /// How many gained or lost intervals a hunk header lists before it only counts the rest.
    static let listedIntervals = 8

    func lines(_ change: SetChange) -> [DiffLine] {
        switch change {
        case .added(let set):
            return [DiffLine(.hunk, "set \(set.name)")] + whole(set, as: .added)
        case .removed(let set):
            return [DiffLine(.hunk, "set \(set.name)")] + whole(set, as: .removed)
        case .renamed(let before, let after):
            return [
                DiffLine(.hunk, "set \(before.name) renamed to \(after.name), "
                                + "\(counted(after.elements.count, "element")) kept"),
                DiffLine(.removed, renderer.setStatement(before, in: table)),
                DiffLine(.added, renderer.setStatement(after, in: table)),
            ]
        case .elements(let name, _, let added, let removed, let gained, let lost):
            var header = "set \(name)"
            let changes = [intervals("gains", gained), intervals("loses", lost)].compactMap { $0 }
            if !changes.isEmpty { header += ": " + changes.joined(separator: "; ") }
            var lines = [DiffLine(.hunk, header)]
            if !removed.isEmpty {
                lines.append(DiffLine(.removed, renderer.elementStatement(removed, set: name, in: table)))
            }
            if !added.isEmpty { lines.append(DiffLine(.added, renderer.elementStatement(added, set: name, in: table))) }
            return lines
        case .comment(let name, let before, let after):
            return [DiffLine(.hunk, "set \(name)"),
                    DiffLine(.changed, "comment \(quoted(before)) → \(quoted(after))")]
        }
    }

    func lines(_ change: ChainChange) -> [DiffLine] {
        switch change {
        case .added(let chain):
            return [DiffLine(.hunk, "chain \(chain.name)")] + whole(chain, as: .added)
        case .removed(let chain):
            return [DiffLine(.hunk, "chain \(chain.name)")] + whole(chain, as: .removed)
        case .changed(let name, let base, let rules):
            var lines = [DiffLine(.hunk, "chain \(name)")]
            if let base {
                for (kind, side) in [(DiffLine.Kind.removed, base.before), (.added, base.after)] {
                    lines.append(DiffLine(kind, renderer.chainStatement(Chain(name: name, base: side), in: table)))
                }
            }
            for rule in rules {
                switch rule {
                case .added(let rule, let index):
                    lines.append(DiffLine(.added, statement(rule, chain: name, at: index)))
                case .removed(let rule, let index):
                    lines.append(DiffLine(.removed, statement(rule, chain: name, at: index)))
                case .commented(let before, let after, _, let index):
                    lines.append(DiffLine(.changed, "rule \(index + 1): comment \(quoted(before.comment)) → "
                                                    + quoted(after.comment)))
                }
            }
            return lines
        }
    }

    private func whole(_ set: NamedSet, as kind: DiffLine.Kind) -> [DiffLine] {
        var lines = [DiffLine(kind, renderer.setStatement(set, in: table))]
        if !set.elements.isEmpty {
            lines.append(DiffLine(kind, renderer.elementStatement(set.elements, set: set.name, in: table)))
        }
        return lines
    }

    private func whole(_ chain: Chain, as kind: DiffLine.Kind) -> [DiffLine] {
        [DiffLine(kind, renderer.chainStatement(chain, in: table))]
            + chain.rules.enumerated().map { DiffLine(kind, statement($1, chain: chain.name, at: $0)) }
    }

    private func statement(_ rule: Rule, chain: String, at index: Int) -> String {
        "\(renderer.ruleStatement(rule, chain: chain, in: table))  # rule \(index + 1)"
    }

    /// `gains 10.0.0.5, 10.0.1.0/24`, or nil when there is nothing to say.
    private func intervals(_ verb: String, _ addresses: AddressSet) -> String? {
        let ranges = addresses.allRanges
        guard !ranges.isEmpty else { return nil }
        var listed = ranges.prefix(Self.listedIntervals).map(renderer.elementText).joined(separator: ", ")
        if ranges.count > Self.listedIntervals {
            listed += " and \(ranges.count - Self.listedIntervals) more intervals"
        }
        return "\(verb) \(listed)"
    }

    private func quoted(_ text: String?) -> String { text.map { "\"\($0)\"" } ?? "(none)" }
}

/// `1 element`, `3 elements`.
func counted(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }
