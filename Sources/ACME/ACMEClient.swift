import Certificates
import Foundation

/// Obtains certificates from an ACME server (RFC 8555) with TLS-ALPN-01 (RFC 8737) and renews them.
///
/// Calls block until done: one issuance is a short sequence of requests over one kept-alive HTTPS
/// connection, and libcurl's easy interface is blocking. Progress goes to the handler, never to
/// standard output.
public final class ACMEClient: Sendable {
    let progress: ACMEProgressHandler?

    /// - Parameter progress: receives a line for each step; no key, HMAC or token ever reaches it.
    public init(progress: ACMEProgressHandler? = nil) {
        self.progress = progress
    }

    /// Orders a certificate for the request's identifiers and stores it with its key.
    /// - Throws: `ACMEError` (with the server's problem document), `ResponderError` (port busy),
    ///   `TransportError`, `StorageError` or `OpenSSLError`.
    public func issue(_ request: CertificateRequest) throws -> IssuedCertificate {
        try issue(request, replacing: nil)
    }

    func issue(_ request: CertificateRequest, replacing certificateID: String?) throws -> IssuedCertificate {
        let started = Date()
        try request.validate()
        let state = StateDirectory(request.stateDirectory)

        // Bound first: a busy port must fail before an order exists.
        let responder = try TLSALPNResponder(port: request.tlsPort, addresses: request.listenAddresses,
                                             log: progress)
        defer { responder.stop() }

        let http = try HTTPClient(trust: request.trust)
        let accounts = AccountStore(directory: try state.account(directoryURL: request.directoryURL))
        let (accountKey, _) = try accounts.loadOrCreateKey(state: state)
        let connection = try Connection(directoryURL: request.directoryURL, http: http, accountKey: accountKey)
        report(.directory, "directory \(request.directoryURL)")

        let (orderURL, order) = try placeOrder(request, replacing: certificateID, connection: connection,
                                               accounts: accounts)
        let authorizer = Authorizer(connection: connection, responder: responder, progress: progress,
                                    timeout: request.timeout)
        let reused = try authorizer.satisfy(order.authorizations)
        responder.stop()

        let certificateKey = try PrivateKey.generate(request.keyType)
        let csr = try CSR.der(identifiers: request.identifiers, key: certificateKey)
        report(.finalize, "finalizing with a \(request.keyType.rawValue) key")
        let certificateURL = try Finalization.finalize(orderURL: orderURL, order: order, csr: csr,
                                                       connection: connection, timeout: request.timeout)
        let (chain, chosenURL) = try ChainDownload.download(certificateURL, preferredIssuer: request.preferredChain,
                                                            connection: connection)
        report(.download, "downloaded \(chain.count) certificates from \(chosenURL)")

        let store = CertificateStore(directory: state.certificate(primary: request.identifiers[0]))
        try state.prepare(store.directory)
        try store.save(key: certificateKey, chain: chain,
                       record: .init(request: request, renewalInfoURL: connection.directory.renewalInfo))
        report(.store, "stored in \(store.directory)")
        if let command = request.reloadCommand {
            try ReloadCommand.run(command)
            report(.reload, "ran the reload command")
        }
        let leaf = try X509Certificate(der: chain[0].der)
        return IssuedCertificate(
            identifiers: request.identifiers.map(\.value), keyType: request.keyType, directory: store.directory,
            certificatePath: store.certificatePath, chainPath: store.chainPath, fullChainPath: store.fullChainPath,
            keyPath: store.keyPath, notBefore: try leaf.notBefore(), notAfter: try leaf.notAfter(),
            issuer: ChainDownload.commonName(rfc2253: leaf.issuer), certificateURL: chosenURL,
            reusedAuthorizations: reused,
            seconds: Date().timeIntervalSince(started))
    }

    /// Uses the stored account, registering one when there is none or the server forgot it.
    private func placeOrder(_ request: CertificateRequest, replacing certificateID: String?, connection: Connection,
                            accounts: AccountStore) throws -> (url: String, order: Order) {
        connection.accountURL = accounts.accountURL(directoryURL: request.directoryURL)
        if let url = connection.accountURL {
            report(.account, "using account \(url)")
        } else {
            try register(request, connection: connection, accounts: accounts)
        }
        // `replaces` only where the server speaks ARI: others may refuse an unknown field.
        let body = NewOrder(identifiers: request.identifiers,
                            replaces: connection.directory.renewalInfo == nil ? nil : certificateID)
        let response: HTTPResponse
        do {
            response = try connection.post(connection.directory.newOrder, body: body, request: "newOrder")
        } catch let ACMEError.server(_, problem)
                    where problem.acmeType == "accountDoesNotExist" && connection.accountURL != nil {
            report(.account, "the server no longer knows the stored account; registering again")
            try register(request, connection: connection, accounts: accounts)
            response = try connection.post(connection.directory.newOrder, body: body, request: "newOrder")
        }
        guard let url = response.header("location") else {
            throw ACMEError.unexpectedResponse(request: "newOrder", status: response.status,
                                               excerpt: "no Location header")
        }
        let order = try Connection.decode(Order.self, from: response, request: "newOrder")
        report(.order, "order \(url) for \(request.identifiers.map(\.value).joined(separator: ", "))")
        return (url, order)
    }

    private func register(_ request: CertificateRequest, connection: Connection, accounts: AccountStore) throws {
        connection.accountURL = nil
        let url = try AccountRegistration.register(connection, contactEmail: request.contactEmail,
                                                   binding: request.externalAccountBinding)
        connection.accountURL = url
        try accounts.save(accountURL: url, directoryURL: request.directoryURL)
        report(.account, "registered account \(url)")
    }

    func report(_ step: ACMEProgress.Step, _ message: String) {
        progress?(ACMEProgress(step, message))
    }
}
