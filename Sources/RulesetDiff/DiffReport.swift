import Nftables

/// Everything one `ztpol diff` found, ready to be rendered as text, Markdown or JSON.
public struct DiffReport: Sendable, Hashable {
    /// Where one side of the comparison comes from.
    public enum Source: Sendable, Hashable {
        /// A policy file, as named on the command line.
        case policy(path: String)
        /// ztpol's table in the running kernel: in a named network namespace or the current one, with
        /// the ruleset generation and table handle it was read at (nil when there was no table).
        case kernel(namespace: String?, generation: UInt32?, handle: UInt64?)
    }

    public var old: Source
    public var new: Source
    public var tables: [TableReport]

    public init(old: Source, new: Source, tables: [TableReport]) {
        self.old = old
        self.new = new
        self.tables = tables
    }

    /// True when any table differs: `diff` then exits with 2.
    public var differs: Bool { tables.contains { !$0.diff.isEmpty } }
}

/// The comparison of one table: a host zone's in two policies, or the kernel's against the policy's.
public struct TableReport: Sendable, Hashable {
    /// What the report is about, in one word.
    public enum Status: String, Sendable, Hashable {
        case unchanged, changed, renamed
        /// The table exists only on the new side: a zone the new policy adds, or no table in the kernel.
        case added
        /// The table exists only on the old side: a zone the new policy drops.
        case removed
    }

    /// The host zones whose table this is (names in the new policy where there is one).
    public var zones: [String]
    /// The zone's name in the old policy, when it was renamed.
    public var renamedFrom: String?
    public var diff: TableDiff

    public init(zones: [String], renamedFrom: String? = nil, diff: TableDiff) {
        self.zones = zones
        self.renamedFrom = renamedFrom
        self.diff = diff
    }

    public var status: Status {
        switch diff.existence {
        case .created: .added
        case .deleted: .removed
        case .unchanged where renamedFrom != nil: .renamed
        case .unchanged: diff.isEmpty ? .unchanged : .changed
        }
    }

    /// `zone web`, `zones web, db`, `zone front (was web)`.
    public var title: String {
        let names = "\(zones.count == 1 ? "zone" : "zones") \(zones.joined(separator: ", "))"
        return renamedFrom.map { "\(names) (was \($0))" } ?? names
    }
}
