import Foundation

/// The files that point TLS clients at the full system bundle through environment variables: a profile
/// script for login shells and a systemd manager drop-in for services.
enum EnvironmentFiles {
    static let profilePath = "/etc/profile.d/ztpol-trust.sh"
    static let systemdPath = "/etc/systemd/system.conf.d/ztpol-trust.conf"

    /// Each variable a common client reads, all naming the *full* bundle: a file holding only the private
    /// root would make those clients distrust every public CA.
    static let variables = ["REQUESTS_CA_BUNDLE", "SSL_CERT_FILE", "PIP_CERT", "NODE_EXTRA_CA_CERTS", "CURL_CA_BUNDLE"]

    static func profileScript(bundle: String) -> String {
        var text = """
            # Written by `ztpol trust install`; `ztpol trust remove` takes it away again.
            # Points TLS clients at the system CA bundle, which holds the public CAs and the installed private roots.

            """
        for variable in variables {
            text += "export \(variable)='\(bundle)'\n"
        }
        return text
    }

    static func systemdDropIn(bundle: String) -> String {
        let assignments = variables.map { "\"\($0)=\(bundle)\"" }.joined(separator: " ")
        return """
            # Written by `ztpol trust install`; `ztpol trust remove` takes it away again.
            # Services started after the next `systemctl daemon-reexec` (or boot) get these variables.
            [Manager]
            DefaultEnvironment=\(assignments)

            """
    }

    /// The desired state of both files.
    static func desired(bundle: String) -> [(path: String, state: FileState)] {
        [
            (profilePath, .file(contents: Data(profileScript(bundle: bundle).utf8), mode: 0o644)),
            (systemdPath, .file(contents: Data(systemdDropIn(bundle: bundle).utf8), mode: 0o644)),
        ]
    }
}
