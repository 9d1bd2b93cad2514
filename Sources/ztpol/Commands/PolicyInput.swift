import PolicyLanguage
import PolicyModel
import Nftables
import RulesetCompiler
import Netlink

/// What every command that reads a policy shares: loading it, printing its diagnostics, and the
/// options that pick and shape the host's ruleset.
struct PolicyInput {
    let policy: Policy
    /// True when loading reported nothing at all, not even a warning.
    let isClean: Bool

    /// Loads and checks the policy (its `expect` tests included), printing every diagnostic to standard
    /// error. Returns nil when there is an error: the caller then stops before changing anything.
    static func load(_ path: String, console: Console) -> PolicyInput? {
        report(PolicyLoader.load(path: path), path: path, console: console)
    }

    /// As `load(_:console:)`, for the policy's bytes already read from `path`.
    static func load(bytes: [UInt8], path: String, console: Console) -> PolicyInput? {
        report(PolicyLoader.load(bytes: bytes, path: path), path: path, console: console)
    }

    private static func report(_ loaded: (Policy?, [Diagnostic]), path: String, console: Console) -> PolicyInput? {
        let (policy, diagnostics) = loaded
        if !diagnostics.isEmpty {
            console.err(DiagnosticRenderer().render(diagnostics), terminator: "")
        }
        guard let policy, !diagnostics.contains(where: { $0.severity == .error }) else {
            let summary = DiagnosticRenderer.summary(of: diagnostics)
            console.err("ztpol: \(path): \(summary.isEmpty ? "cannot be used" : summary); nothing was changed")
            return nil
        }
        return PolicyInput(policy: policy, isClean: diagnostics.isEmpty)
    }
}

/// `--zone NAME` (repeatable), `--table NAME`, `--log-dropped`: how a host's ruleset is chosen and named.
struct RulesetOptions {
    var zones: [String]
    var compiler: CompilerOptions

    static let help = """
          --zone NAME        the host's zone (repeatable); default: the zones holding this machine's addresses
          --table NAME       the inet table ztpol owns (default: ztpol)
          --log-dropped      also log dropped packets, at most 10 lines a minute per chain
        """

    init(_ arguments: inout Arguments) throws {
        zones = try arguments.options("--zone")
        compiler = CompilerOptions()
        if let table = try TableName.read(&arguments) { compiler.tableName = table }
        compiler.logDropped = arguments.flag("--log-dropped")
    }

    /// The host's zones (given, or found from the addresses of network namespace `namespace`, by
    /// default this process's) and its compiled table, checked against nft's limits.
    /// - Parameter checked: false for a table that goes only to `NetlinkConnection`, which checks whatever
    ///   it sends before sending it (a one-element change then checks one set, not all 99,105 elements).
    func compile(_ policy: Policy, namespace: String? = nil, checked: Bool = true)
        throws -> (zones: [String], table: Nftables.Table) {
        let compiled = try compileTracingSets(policy, namespace: namespace, checked: checked)
        return (compiled.zones, compiled.table)
    }

    /// `compile`, with how the table used each zone's addresses (see `ZoneSetUse`).
    func compileTracingSets(_ policy: Policy, namespace: String? = nil, checked: Bool = true)
        throws -> (zones: [String], table: Nftables.Table, zoneSetUse: ZoneSetUse) {
        let zones = try HostZones.resolve(policy, given: zones, namespace: namespace)
        let (table, use) = try RulesetCompiler.compileTracingSets(policy, zones: zones, options: compiler)
        let problems = checked ? table.problems() : []
        guard problems.isEmpty else { throw CompiledTableError(problems: problems) }
        return (zones, table, use)
    }
}

/// A compiled table that nft or the kernel could not take: a compiler defect, reported rather than printed.
struct CompiledTableError: Error, CustomStringConvertible {
    var problems: [TableProblem]
    var description: String {
        "the compiled table breaks nft's limits (a ztpol defect; please report it): "
            + problems.map(\.description).joined(separator: "; ")
    }
}

/// `--netns NAME`: a network namespace by name (as `ip netns add` makes it) or an absolute path, checked
/// before anything is read or changed.
enum NamespaceOption {
    static func read(_ arguments: inout Arguments) throws -> String? {
        guard let name = try arguments.option("--netns") else { return nil }
        if let problem = NetworkNamespace.problem(with: name) { throw UsageError(problem) }
        return name
    }
}

/// Table names ztpol accepts: plain identifiers, so they never need quoting in nft syntax.
enum TableName {
    /// `--table NAME`, checked.
    static func read(_ arguments: inout Arguments) throws -> String? {
        guard let table = try arguments.option("--table") else { return nil }
        guard isValid(table) else {
            throw UsageError("'\(table)' is not a table name: use 1 to 64 letters, digits or '_', "
                             + "starting with a letter")
        }
        return table
    }

    static func isValid(_ name: String) -> Bool {
        guard let first = name.first, first.isASCII, first.isLetter, name.count <= 64 else { return false }
        return name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
    }
}
