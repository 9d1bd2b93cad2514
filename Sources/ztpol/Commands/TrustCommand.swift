import Foundation
import Trust

/// `ztpol trust install|remove|status|POLICY`: puts a private root into every client's trust store of a host
/// (or a container image), reversibly. The work is the `Trust` library's; this file reads the command line.
enum TrustCommand: Command {
    static let name = "trust"
    static let summary = "install a private root into this host's trust stores, list or remove it"
    static let help = """
        usage: ztpol trust install ROOT.pem [--name NAME] [--stores LIST] [--python PATH ...] [DIRS] [--verbose]
               ztpol trust remove NAME [DIRS] [--verbose]
               ztpol trust status [DIRS]
               ztpol trust POLICY [--zone NAME ...] [DIRS] [--verbose]
        where DIRS is [--root-dir DIR] [--state-dir DIR]

        Makes every TLS client of a host trust a private root: the distribution's system store (chosen from
        /etc/os-release), Python's certifi bundles, and the environment (/etc/profile.d and systemd) that
        points requests, pip, Node and curl at the system bundle. Every file changed is journaled with its
        original bytes; 'remove' puts each one back exactly. Installing twice changes nothing.

        commands:
          install ROOT.pem   check ROOT.pem is a self-signed CA:TRUE root valid now, and install it
          remove NAME        take the root installed as NAME out of every store
          status             list what is installed where, and whether it is still in place
          POLICY             install the roots of the policy's trust blocks for this host's zones

        options:
          --name NAME        file name of the root in the stores (default: from its common name)
          --stores LIST      comma-separated: system, python, env (default: all three)
          --python PATH      a Python interpreter or virtual environment whose certifi to link to the
                             system bundle; repeatable; the system python3 is always handled too
          --root-dir DIR     act on the system tree in DIR (a container image, a chroot) instead of /
          --state-dir DIR    keep the journal in DIR (default: ROOT-DIR/var/lib/ztpol/trust)
          --zone NAME        with POLICY: this host's zone, instead of finding it from its addresses
          --verbose          also show the refresh commands' output
        """

    static func run(_ arguments: Arguments, console: Console) throws -> ExitCode {
        var arguments = arguments
        let options = try TrustOptions(&arguments)
        let words = try arguments.positionals()
        guard let action = words.first else {
            throw UsageError("missing what to do: install, remove, status or POLICY")
        }
        let installer = TrustInstaller(rootDirectory: options.rootDirectory, stateDirectory: options.stateDirectory,
                                       log: console.trustLogger(verbose: options.verbose))
        do {
            switch action {
            case "install":
                try expect(words, ["install", "ROOT.pem"])
                try options.refuse(["--zone"], for: "trust install")
                return try TrustInstallAction.run(rootFile: words[1], options: options, installer: installer,
                                                  console: console)
            case "remove":
                try expect(words, ["remove", "NAME"])
                try options.refuse(["--name", "--stores", "--python", "--zone"], for: "trust remove")
                return try TrustRemoveAction.run(name: words[1], installer: installer, console: console)
            case "status":
                try expect(words, ["status"])
                try options.refuse(["--name", "--stores", "--python", "--zone"], for: "trust status")
                return try TrustStatusAction.run(installer: installer, console: console)
            default:
                try expect(words, ["POLICY"])
                try options.refuse(["--name", "--stores", "--python"], for: "trust POLICY")
                return try TrustPolicyAction.run(policyFile: action, options: options, installer: installer,
                                                 console: console)
            }
        } catch let error as TrustError {
            console.error(error.reason)
            return .failure
        }
    }
}

/// Refuses missing or extra words after `trust`, naming the first one missing or extra.
private func expect(_ words: [String], _ names: [String]) throws {
    if words.count < names.count { throw UsageError("missing \(names[words.count])") }
    if words.count > names.count { throw UsageError("unexpected argument '\(words[names.count])'") }
}

/// The options of every `trust` form, read at once; each form refuses those it does not take.
struct TrustOptions {
    var name: String?
    var stores: Set<TrustStore>
    var pythons: [String]
    var rootDirectory: String
    var stateDirectory: String?
    var zones: [String]
    var verbose: Bool
    private var given: Set<String> = []

    init(_ arguments: inout Arguments) throws {
        name = try arguments.option("--name")
        let storeList = try arguments.option("--stores")
        pythons = try arguments.options("--python")
        rootDirectory = try arguments.option("--root-dir") ?? "/"
        stateDirectory = try arguments.option("--state-dir")
        zones = try arguments.options("--zone")
        verbose = arguments.flag("--verbose")
        do {
            stores = try storeList.map { list throws(TrustError) in try TrustStore.parseList(list) }
                ?? Set(TrustStore.allCases)
        } catch {
            throw UsageError(error.reason)
        }
        if name != nil { given.insert("--name") }
        if storeList != nil { given.insert("--stores") }
        if !pythons.isEmpty { given.insert("--python") }
        if !zones.isEmpty { given.insert("--zone") }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: rootDirectory, isDirectory: &isDirectory), isDirectory.boolValue
        else {
            throw UsageError("--root-dir \(rootDirectory) is not a directory")
        }
        rootDirectory = URL(fileURLWithPath: rootDirectory).standardizedFileURL.path
        if let state = stateDirectory { stateDirectory = URL(fileURLWithPath: state).standardizedFileURL.path }
    }

    /// Refuses options that `form` does not take.
    func refuse(_ options: [String], for form: String) throws {
        if let option = options.first(where: given.contains) {
            throw UsageError("option '\(option)' does not apply to 'ztpol \(form)'")
        }
    }
}

extension Console {
    /// The library's log lines on standard error; debug lines only with `--verbose`.
    func trustLogger(verbose: Bool) -> TrustLogger {
        let console = self
        return { level, line in
            if level >= .info || verbose { console.err(line) }
        }
    }
}
