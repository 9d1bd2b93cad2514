import ACME
import Foundation

/// `ztpol cert`: obtains a certificate from an ACME directory with TLS-ALPN-01 and stores it.
enum CertCommand: Command {
    static let name = "cert"
    static let summary = "obtain a certificate from an ACME server (TLS-ALPN-01) into the state directory"
    static let help = """
        usage: ztpol cert --directory URL --trust FILE --domain NAME [--domain NAME ...] [options]
               ztpol cert POLICY [--zone NAME ...] [options]

        Obtains a certificate with TLS-ALPN-01 only: ztpol answers the CA's validation on tcp/443 itself
        (IPv4 and IPv6) for the duration of the order, so nothing else may listen there meanwhile.
        With POLICY, the acme block of this host's zone (found from its addresses, or --zone) says
        from where and for which names; the options below refine it.

        options:
          --zone NAME            with POLICY: the host's zone (repeatable; default: from its addresses)
          --directory URL        the ACME directory (https://...)
          --trust FILE           PEM root the directory's HTTPS must chain to; no other root is trusted
          --public-roots         trust the system's public roots as well (for a public CA)
          --domain NAME, -d NAME DNS name or IP address; repeat for more names in one certificate
          --email ADDRESS        contact address for the account
          --eab-kid KID          External Account Binding key ID from the CA
          --eab-hmac KEY         External Account Binding HMAC key (base64url)
          --eab-hmac-file FILE   read the HMAC key from FILE instead (keeps it out of `ps`)
          --key-type TYPE        ec256 (default), ec384, rsa2048, rsa3072 or rsa4096
          --state-dir DIR        where keys and certificates live (default /var/lib/ztpol)
          --tls-port N           port to answer validations on (default 443; test CAs only)
          --listen ADDRESS       answer on this local address only; repeatable (default: all)
          --reload-command CMD   run through /bin/sh after the certificate is stored
          --preferred-chain CN   pick the alternate chain whose root has this common name
          --timeout SECONDS      give up on validation or issuance after this long (default 120)
          --json                 print the result as JSON on standard output (with POLICY, an array)

        Progress goes to standard error; no key, HMAC or token is ever printed.
        """

    static func run(_ arguments: Arguments, console: Console) throws -> ExitCode {
        var arguments = arguments
        let json = arguments.flag("--json")
        let requests: [CertificateRequest]
        let fromPolicy: Bool
        if let directory = try arguments.option("--directory") {
            requests = [try CertFlags.request(directory: directory, &arguments)]
            _ = try arguments.positionals(exactly: [])
            fromPolicy = false
        } else {
            let zones = try arguments.options("--zone")
            let refinements = try CertFlags.Refinements(&arguments)
            let path = try arguments.positionals(exactly: ["POLICY (or --directory URL)"])[0]
            guard let input = PolicyInput.load(path, console: console) else { return .failure }
            requests = try PolicyCertificates.requests(input.policy, zones: zones, refinedBy: refinements)
            fromPolicy = true
        }
        let client = ACMEClient(progress: ProgressPrinter(console: console).handler)
        var issued: [IssuedCertificate] = []
        do {
            for request in requests {
                let certificate = try client.issue(request)
                issued.append(certificate)
                if !json { console.out(summary(certificate)) }
            }
            // Flags name one certificate: one JSON object. A policy may name several: an array.
            if json { console.out(fromPolicy ? try JSONOutput.encode(issued) : try JSONOutput.encode(issued[0])) }
            return .success
        } catch {
            if json { console.out(try JSONOutput.encode(["error": "\(error)"])) }
            console.error("\(error)")
            return .failure
        }
    }

    private static func summary(_ certificate: IssuedCertificate) -> String {
        let expiry = ISO8601DateFormatter().string(from: certificate.notAfter)
        return "certificate for \(certificate.identifiers.joined(separator: ", ")) in \(certificate.directory) "
            + "(expires \(expiry), " + String(format: "%.2f s)", certificate.seconds)
    }
}
