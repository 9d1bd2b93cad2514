import Foundation
import Netlink
import Nftables
import PolicyModel

/// What apply remembers about the table it last left in one network namespace's kernel. What
/// the kernel can confirm (fingerprint, generation) is checked against it before it is used, and the
/// rest (shapes, set fingerprints) is believed only under the record's checksum: a damaged record only
/// costs a full read-back. The folder is root's alone; root could as well change the table itself.
struct AppliedRecord: Equatable {
    /// The table's fingerprint, and a generation at which the kernel was known to hold it: after an
    /// element-only change the kernel cannot update the stamp in the table's own user data, so this
    /// is the stamp that proves the next no-op with two small requests.
    var fingerprint: UInt64
    var generation: UInt32
    /// The fingerprints of the table's shape and of each set's elements: when only elements change,
    /// only the sets whose fingerprint differs are read back, not a million elements.
    var shape: UInt64
    var sets: [String: UInt64]
    /// The shape without rule comments (`commentlessShapeFingerprint`): when only the comments of rules
    /// changed (flows moved to other lines), only the rules' comments and handles are read back. Nil in a
    /// record written without it.
    var commentless: UInt64?
    /// For the summary line when the table is not compiled at all.
    var chains: Int
    var rules: Int
    var elements: Int
    /// What the table was compiled from, when that loaded without a single diagnostic.
    var inputs: ApplyInputs?

    /// - Parameters: the table's `shapeFingerprint` and the `elementsFingerprint` of each of its sets, in order.
    init(_ table: Table, fingerprint: UInt64, shape: UInt64, commentless: UInt64?, sets: [UInt64],
         generation: UInt32, inputs: ApplyInputs?) {
        self.fingerprint = fingerprint
        self.generation = generation
        self.shape = shape
        self.commentless = commentless
        self.sets = Dictionary(zip(table.sets.map(\.name), sets), uniquingKeysWith: { first, _ in first })
        chains = table.chains.count
        rules = table.ruleCount
        elements = table.elementCount
        self.inputs = inputs
    }

    init(fingerprint: UInt64, generation: UInt32, shape: UInt64, commentless: UInt64?, sets: [String: UInt64],
         chains: Int, rules: Int, elements: Int, inputs: ApplyInputs?) {
        self.fingerprint = fingerprint
        self.generation = generation
        self.shape = shape
        self.commentless = commentless
        self.sets = sets
        self.chains = chains
        self.rules = rules
        self.elements = elements
        self.inputs = inputs
    }

    var stamp: TableStamp { TableStamp(fingerprint: fingerprint, generation: generation) }
}

/// Keeps one `AppliedRecord` per namespace and table in /run, which is gone at reboot, as are the
/// generations the records name. Records are keyed by the namespace's cookie, which the kernel never
/// reuses (an inode number can belong to a later namespace).
struct AppliedRecordStore {
    static let folder = "/run/ztpol/applied"
    /// Records of namespaces that are gone are never asked for again; beyond this many, the older half go.
    static let limit = 256
    let file: String

    /// Nil on kernels before 5.14, which have no namespace cookie: apply then remembers nothing and
    /// relies on the stamp in the table itself.
    init?(connection: NetlinkConnection, family: TableFamily, table: String) {
        guard let cookie = try? connection.namespaceCookie() else { return nil }
        file = "\(AppliedRecordStore.folder)/netns-\(cookie)-\(family.rawValue)-\(table).record"
    }

    func load() -> AppliedRecord? {
        guard let data = FileManager.default.contents(atPath: file) else { return nil }
        return AppliedRecord(text: Substring(decoding: data, as: UTF8.self))
    }

    /// Keeps `record`. Failing to keep it only costs the next apply a full read-back.
    func save(_ record: AppliedRecord) {
        try? FileManager.default.createDirectory(atPath: AppliedRecordStore.folder, withIntermediateDirectories: true,
                                                 attributes: [.posixPermissions: 0o700])
        CacheFile.write(Array(record.text.utf8), to: file)
        pruneOldest()
    }

    /// Beyond `limit` records, removes the older half with what is kept beside them (`ZoneEditBaseStore`),
    /// so that pruning is rare; then too, temporary files left by killed writers (`CacheFile`).
    private func pruneOldest() {
        let folder = AppliedRecordStore.folder
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder),
              names.count > AppliedRecordStore.limit else { return }
        let records = names.filter { $0.hasSuffix(".record") }
        guard records.count > AppliedRecordStore.limit else { return }
        for name in names where name.hasSuffix(".tmp") {
            // `NAME.PID.tmp`: a process that is gone writes it no more.
            let pid = name.dropLast(".tmp".count).split(separator: ".").last.flatMap { pid_t($0) }
            if let pid, kill(pid, 0) != 0 && errno == ESRCH { unlink("\(folder)/\(name)") }
        }
        let modified = Dictionary(records.map { name in
            var status = stat()
            return (name, stat("\(folder)/\(name)", &status) == 0 ? status.st_mtim.tv_sec : 0)
        }, uniquingKeysWith: { first, _ in first })
        for name in records.sorted(by: { modified[$0]! < modified[$1]! }).dropLast(AppliedRecordStore.limit / 2) {
            unlink("\(folder)/\(name)")
            unlink("\(folder)/\(name.dropLast(".record".count)).zones")
        }
    }
}
