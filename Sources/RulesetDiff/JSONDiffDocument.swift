import NetworkAddresses
import Nftables

// The JSON schema's objects, written field by field so that the schema is what docs/diff.md says and
// does not move with the model's Swift names. Fields that belong to a kind of change are always
// written for that kind, null when empty; fields of other kinds are left out.

private let renderer = NftRenderer(counters: .bare)

struct ReportDocument: Encodable {
    let report: DiffReport

    init(_ report: DiffReport) { self.report = report }

    enum Key: String, CodingKey { case version, mode, old, new, differs, tables }

    func encode(to encoder: any Encoder) throws {
        var object = encoder.container(keyedBy: Key.self)
        try object.encode(JSONDiffRenderer.schemaVersion, forKey: .version)
        let mode = if case .kernel = report.old { "kernel" } else { "policies" }
        try object.encode(mode, forKey: .mode)
        try object.encode(SourceDocument(source: report.old), forKey: .old)
        try object.encode(SourceDocument(source: report.new), forKey: .new)
        try object.encode(report.differs, forKey: .differs)
        try object.encode(report.tables.map(TableDocument.init), forKey: .tables)
    }
}

struct SourceDocument: Encodable {
    let source: DiffReport.Source

    enum Key: String, CodingKey { case kind, path, netns, tableExists = "table_exists", generation, handle }

    func encode(to encoder: any Encoder) throws {
        var object = encoder.container(keyedBy: Key.self)
        switch source {
        case .policy(let path):
            try object.encode("policy", forKey: .kind)
            try object.encode(path, forKey: .path)
        case .kernel(let namespace, let generation, let handle):
            try object.encode("kernel", forKey: .kind)
            try object.encode(namespace, forKey: .netns)
            try object.encode(handle != nil, forKey: .tableExists)
            try object.encode(generation, forKey: .generation)
            try object.encode(handle, forKey: .handle)
        }
    }
}

struct TableDocument: Encodable {
    let report: TableReport

    init(_ report: TableReport) { self.report = report }

    enum Key: String, CodingKey {
        case zones, renamedFrom = "renamed_from", status, table, action, counts, sets, chains, unrecognised
    }

    enum TableKey: String, CodingKey { case family, name }
    enum UnrecognisedKey: String, CodingKey { case added, removed }

    func encode(to encoder: any Encoder) throws {
        let diff = report.diff
        var object = encoder.container(keyedBy: Key.self)
        try object.encode(report.zones, forKey: .zones)
        try object.encode(report.renamedFrom, forKey: .renamedFrom)
        try object.encode(report.status.rawValue, forKey: .status)
        var table = object.nestedContainer(keyedBy: TableKey.self, forKey: .table)
        try table.encode(diff.family.rawValue, forKey: .family)
        try table.encode(diff.tableName, forKey: .name)
        try object.encode(diff.action.rawValue, forKey: .action)
        try object.encode(CountsDocument(counts: diff.counts), forKey: .counts)
        try object.encode(diff.sets.map(SetChangeDocument.init), forKey: .sets)
        try object.encode(diff.chains.map(ChainChangeDocument.init), forKey: .chains)
        var unrecognised = object.nestedContainer(keyedBy: UnrecognisedKey.self, forKey: .unrecognised)
        try unrecognised.encode(diff.unrecognised.added, forKey: .added)
        try unrecognised.encode(diff.unrecognised.removed, forKey: .removed)
    }
}

struct CountsDocument: Encodable {
    let counts: TableDiff.Counts

    enum Key: String, CodingKey {
        case setsAdded = "sets_added", setsRemoved = "sets_removed", setsRenamed = "sets_renamed"
        case setCommentsChanged = "set_comments_changed"
        case elementsAdded = "elements_added", elementsRemoved = "elements_removed"
        case chainsAdded = "chains_added", chainsRemoved = "chains_removed", chainsRedefined = "chains_redefined"
        case rulesAdded = "rules_added", rulesRemoved = "rules_removed"
        case ruleCommentsChanged = "rule_comments_changed"
        case unrecognisedAdded = "unrecognised_added", unrecognisedRemoved = "unrecognised_removed"
    }

    func encode(to encoder: any Encoder) throws {
        var object = encoder.container(keyedBy: Key.self)
        let fields: [(Key, Int)] = [
            (.setsAdded, counts.setsAdded), (.setsRemoved, counts.setsRemoved), (.setsRenamed, counts.setsRenamed),
            (.setCommentsChanged, counts.setCommentsChanged), (.elementsAdded, counts.elementsAdded),
            (.elementsRemoved, counts.elementsRemoved), (.chainsAdded, counts.chainsAdded),
            (.chainsRemoved, counts.chainsRemoved), (.chainsRedefined, counts.chainsRedefined),
            (.rulesAdded, counts.rulesAdded), (.rulesRemoved, counts.rulesRemoved),
            (.ruleCommentsChanged, counts.ruleCommentsChanged), (.unrecognisedAdded, counts.unrecognisedAdded),
            (.unrecognisedRemoved, counts.unrecognisedRemoved),
        ]
        for (key, value) in fields { try object.encode(value, forKey: key) }
    }
}

struct SetChangeDocument: Encodable {
    let change: SetChange

    enum Key: String, CodingKey {
        case change, name, oldName = "old_name", family, comment, oldComment = "old_comment", elements
        case added, removed, gained, lost
    }

    func encode(to encoder: any Encoder) throws {
        var object = encoder.container(keyedBy: Key.self)
        try object.encode(change.setName, forKey: .name)
        switch change {
        case .added(let set), .removed(let set):
            try object.encode(change.kind, forKey: .change)
            try object.encode(set.family.rawValue, forKey: .family)
            try object.encode(set.comment, forKey: .comment)
            try object.encode(set.elements.map(renderer.elementText), forKey: .elements)
        case .renamed(let before, let after):
            try object.encode(change.kind, forKey: .change)
            try object.encode(before.name, forKey: .oldName)
            try object.encode(after.family.rawValue, forKey: .family)
            try object.encode(after.comment, forKey: .comment)
            try object.encode(before.comment, forKey: .oldComment)
            try object.encode(after.elements.map(renderer.elementText), forKey: .elements)
        case .elements(_, let family, let added, let removed, let gained, let lost):
            try object.encode(change.kind, forKey: .change)
            try object.encode(family.rawValue, forKey: .family)
            try object.encode(added.map(renderer.elementText), forKey: .added)
            try object.encode(removed.map(renderer.elementText), forKey: .removed)
            try object.encode(gained.allRanges.map(renderer.elementText), forKey: .gained)
            try object.encode(lost.allRanges.map(renderer.elementText), forKey: .lost)
        case .comment(_, let before, let after):
            try object.encode(change.kind, forKey: .change)
            try object.encode(after, forKey: .comment)
            try object.encode(before, forKey: .oldComment)
        }
    }
}

struct ChainChangeDocument: Encodable {
    let change: ChainChange

    enum Key: String, CodingKey { case change, name, base, oldBase = "old_base", baseChanged = "base_changed", rules }
    enum BaseKey: String, CodingKey { case hook, priority, policy }

    func encode(to encoder: any Encoder) throws {
        var object = encoder.container(keyedBy: Key.self)
        try object.encode(change.chainName, forKey: .name)
        switch change {
        case .added(let chain), .removed(let chain):
            let kind: RuleChangeDocument.Kind = if case .added = change { .added } else { .removed }
            try object.encode(kind.rawValue, forKey: .change)
            try encode(chain.base, in: &object, forKey: .base)
            try object.encode(chain.rules.enumerated().map { RuleChangeDocument(kind: kind, rule: $1, index: $0) },
                              forKey: .rules)
        case .changed(_, let base, let rules):
            try object.encode("changed", forKey: .change)
            try object.encode(base != nil, forKey: .baseChanged)
            if let base {
                try encode(base.after, in: &object, forKey: .base)
                try encode(base.before, in: &object, forKey: .oldBase)
            }
            try object.encode(rules.map(RuleChangeDocument.init), forKey: .rules)
        }
    }

    private func encode(_ base: Chain.Base?, in object: inout KeyedEncodingContainer<Key>, forKey key: Key) throws {
        guard let base else { return try object.encodeNil(forKey: key) }
        var nested = object.nestedContainer(keyedBy: BaseKey.self, forKey: key)
        try nested.encode(base.hook.rawValue, forKey: .hook)
        try nested.encode(base.priority, forKey: .priority)
        try nested.encode(renderer.verdictText(base.policy), forKey: .policy)
    }
}

struct RuleChangeDocument: Encodable {
    enum Kind: String { case added, removed, comment }

    let kind: Kind
    let rule: Rule
    /// Counted from 0 here, from 1 in the document.
    let index: Int
    var before: (rule: Rule, index: Int)?

    init(kind: Kind, rule: Rule, index: Int) {
        self.kind = kind
        self.rule = rule
        self.index = index
    }

    init(_ change: RuleChange) {
        switch change {
        case .added(let rule, let index): self.init(kind: .added, rule: rule, index: index)
        case .removed(let rule, let index): self.init(kind: .removed, rule: rule, index: index)
        case .commented(let old, let new, let from, let index):
            self.init(kind: .comment, rule: new, index: index)
            before = (old, from)
        }
    }

    enum Key: String, CodingKey {
        case change, position, rule, comment, oldPosition = "old_position", oldComment = "old_comment", vmap
    }

    func encode(to encoder: any Encoder) throws {
        var object = encoder.container(keyedBy: Key.self)
        try object.encode(kind.rawValue, forKey: .change)
        try object.encode(index + 1, forKey: .position)
        try object.encode(renderer.ruleText(rule), forKey: .rule)
        if case .map(let map) = rule.verdict { try object.encode(VerdictMapDocument(map: map), forKey: .vmap) }
        if let before {
            try object.encode(rule.comment, forKey: .comment)
            try object.encode(before.index + 1, forKey: .oldPosition)
            try object.encode(before.rule.comment, forKey: .oldComment)
        }
    }
}

/// A rule's verdict map, entry by entry, so that a reader can tell which entry changed.
struct VerdictMapDocument: Encodable {
    let map: VerdictMap

    enum Key: String, CodingKey { case proto = "protocol", field, entries }
    enum EntryKey: String, CodingKey { case ports, verdict }

    func encode(to encoder: any Encoder) throws {
        var object = encoder.container(keyedBy: Key.self)
        try object.encode(map.transport.name, forKey: .proto)
        try object.encode(map.direction == .source ? "sport" : "dport", forKey: .field)
        var entries = object.nestedUnkeyedContainer(forKey: .entries)
        for entry in map.entries {
            var nested = entries.nestedContainer(keyedBy: EntryKey.self)
            try nested.encode(entry.ports.description, forKey: .ports)
            try nested.encode(renderer.verdictText(entry.verdict), forKey: .verdict)
        }
    }
}

extension SetChange {
    /// The `change` word of the JSON schema.
    var kind: String {
        switch self {
        case .added: "added"
        case .removed: "removed"
        case .renamed: "renamed"
        case .elements: "elements"
        case .comment: "comment"
        }
    }
}
