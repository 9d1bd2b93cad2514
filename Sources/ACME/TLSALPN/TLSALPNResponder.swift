import Certificates
import COpenSSL
import Foundation
import Synchronization

/// Answers TLS-ALPN-01 validations (RFC 8737): a TLS listener that hands a challenge certificate only
/// to a ClientHello offering exactly `acme-tls/1` with the SNI of a pending challenge, and ends every
/// other handshake. It listens from `init` until `stop()`, IPv4 and IPv6 alike.
public final class TLSALPNResponder: @unchecked Sendable {
    // @unchecked: the listeners and the SSL_CTX are fixed after init; the changing state (the
    // challenge certificates, the stop flag) is behind the mutex.

    /// The TCP port listened on.
    public let port: UInt16

    private let context: OpaquePointer
    private let listeners: [Int32]
    private let wakeUp: (read: Int32, write: Int32)
    private let certificates = Mutex<[String: ChallengeCertificate]>([:])
    private let acceptLoopDone = DispatchSemaphore(value: 0)
    private let stopped = Mutex(false)
    private let log: ACMEProgressHandler?
    private let challengeKey: PrivateKey

    /// Binds the port at once, so that a busy port fails before any order is placed.
    /// - Parameters:
    ///   - port: 443 for a real CA; tests use the port their CA validates on.
    ///   - addresses: local addresses to listen on; both wildcards when empty.
    ///   - log: receives one line per validation served or refused.
    /// - Throws: `ResponderError` (port in use, permission) or `OpenSSLError`.
    public init(port: UInt16 = 443, addresses: [String] = [], log: ACMEProgressHandler? = nil) throws {
        self.port = port
        self.log = log
        // A validator may close before our TLS alert or close_notify is written; a write to a
        // closed socket must fail with EPIPE, not kill the process.
        signal(SIGPIPE, SIG_IGN)
        challengeKey = try PrivateKey.generate(.ec256)
        let method = try checkOpenSSL(TLS_server_method(), "TLS_server_method")
        context = try checkOpenSSL(SSL_CTX_new(method), "SSL_CTX_new")
        var pipeEnds: [Int32] = [0, 0]
        do {
            // RFC 8737 §4: the validator uses TLS 1.2 or later. (SSL_CTX_set_min_proto_version is a
            // macro over this call.)
            try checkOpenSSL(Int32(SSL_CTX_ctrl(context, SSL_CTRL_SET_MIN_PROTO_VERSION, Int(TLS1_2_VERSION), nil)),
                             "SSL_CTX_set_min_proto_version")
            listeners = try ListeningSockets.open(port: port, addresses: addresses)
            guard pipe(&pipeEnds) == 0 else {
                listeners.forEach { close($0) }
                throw ResponderError.socket(call: "pipe", address: "-", port: port,
                                            reason: String(cString: strerror(errno)))
            }
        } catch {
            SSL_CTX_free(context)
            throw error
        }
        wakeUp = (pipeEnds[0], pipeEnds[1])
        let unmanaged = Unmanaged.passUnretained(self).toOpaque()
        SSL_CTX_set_client_hello_cb(context, Self.onClientHello, unmanaged)
        SSL_CTX_set_alpn_select_cb(context, Self.selectProtocol, nil)
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    deinit {
        stop()
        SSL_CTX_free(context)
    }

    /// Starts answering validations of `identifier` with this key authorisation's digest.
    public func add(identifier: Identifier, keyAuthorizationDigest: [UInt8]) throws {
        let certificate = try ChallengeCertificate(identifier: identifier,
                                                   keyAuthorizationDigest: keyAuthorizationDigest, key: challengeKey)
        certificates.withLock { $0[ClientHello.sniName(for: identifier)] = certificate }
    }

    /// Stops answering for `identifier`.
    public func remove(identifier: Identifier) {
        _ = certificates.withLock { $0.removeValue(forKey: ClientHello.sniName(for: identifier)) }
    }

    /// Closes the listeners; connections in the middle of a handshake finish on their own threads.
    public func stop() {
        let first = stopped.withLock { wasStopped in
            defer { wasStopped = true }
            return !wasStopped
        }
        guard first else { return }
        var byte: UInt8 = 1
        _ = write(wakeUp.write, &byte, 1)
        acceptLoopDone.wait()
        listeners.forEach { close($0) }
        close(wakeUp.read)
        close(wakeUp.write)
    }

    private func acceptLoop() {
        defer { acceptLoopDone.signal() }
        var watched = (listeners + [wakeUp.read]).map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        while true {
            guard poll(&watched, nfds_t(watched.count), -1) >= 0 || errno == EINTR else { return }
            if watched.last!.revents != 0 { return }
            for entry in watched.dropLast() where entry.revents & Int16(POLLIN) != 0 {
                let connection = accept(entry.fd, nil, nil)
                guard connection >= 0 else { continue }
                Thread.detachNewThread { [self] in serve(connection) }
            }
        }
    }

    /// One validation: the handshake decides everything; no application data is exchanged.
    private func serve(_ connection: Int32) {
        defer { close(connection) }
        // A validator that stalls must not hold a thread for long.
        var limit = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(connection, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        guard let ssl = SSL_new(context) else { return }
        defer { SSL_free(ssl) }
        SSL_set_fd(ssl, connection)
        if SSL_accept(ssl) == 1 {
            SSL_shutdown(ssl)
        } else {
            ERR_clear_error()
        }
    }

    /// What a ClientHello must offer: exactly one ALPN protocol, `acme-tls/1`, and an SNI with a
    /// pending challenge. Anything else is refused before a certificate is chosen.
    private func certificate(for ssl: OpaquePointer) -> (ChallengeCertificate?, alert: Int32) {
        guard let alpn = Self.extensionBytes(ssl, ClientHello.alpnExtension),
              ClientHello.protocols(alpn) == [ClientHello.acmeProtocol] else {
            log?(ACMEProgress(.validation, "refused a TLS handshake that did not offer exactly acme-tls/1"))
            return (nil, Int32(SSL_AD_NO_APPLICATION_PROTOCOL))
        }
        guard let sni = Self.extensionBytes(ssl, ClientHello.serverNameExtension).flatMap(ClientHello.serverName),
              let certificate = certificates.withLock({ $0[sni] }) else {
            log?(ACMEProgress(.validation, "refused an acme-tls/1 handshake for a name with no pending challenge"))
            return (nil, Int32(SSL_AD_UNRECOGNIZED_NAME))
        }
        log?(ACMEProgress(.validation, "served the challenge certificate for \(sni)"))
        return (certificate, 0)
    }

    private static func extensionBytes(_ ssl: OpaquePointer, _ type: UInt32) -> [UInt8]? {
        var data: UnsafePointer<UInt8>? = nil
        var length = 0
        guard SSL_client_hello_get0_ext(ssl, type, &data, &length) == 1, let data else { return nil }
        return Array(UnsafeBufferPointer(start: data, count: length))
    }

    private static let onClientHello: SSL_client_hello_cb_fn = { ssl, alert, argument in
        guard let ssl, let argument else { return 0 }
        let responder = Unmanaged<TLSALPNResponder>.fromOpaque(argument).takeUnretainedValue()
        let (certificate, refusal) = responder.certificate(for: ssl)
        guard let certificate,
              SSL_use_certificate(ssl, certificate.handle) == 1,
              SSL_use_PrivateKey(ssl, certificate.key.handle) == 1 else {
            alert?.pointee = refusal == 0 ? Int32(SSL_AD_INTERNAL_ERROR) : refusal
            return 0
        }
        return Int32(SSL_CLIENT_HELLO_SUCCESS)
    }

    /// The client-hello callback has already refused any other offer; this only confirms the choice,
    /// pointing into the client's own list as OpenSSL expects.
    private static let selectProtocol: @convention(c) (
        OpaquePointer?, UnsafeMutablePointer<UnsafePointer<UInt8>?>?, UnsafeMutablePointer<UInt8>?,
        UnsafePointer<UInt8>?, UInt32, UnsafeMutableRawPointer?
    ) -> Int32 = { _, out, outLength, offered, offeredLength, _ in
        guard let offered, offeredLength == 11, offered[0] == 10,
              Array(UnsafeBufferPointer(start: offered + 1, count: 10)) == Array(ClientHello.acmeProtocol.utf8) else {
            return SSL_TLSEXT_ERR_ALERT_FATAL
        }
        out?.pointee = offered + 1
        outLength?.pointee = 10
        return SSL_TLSEXT_ERR_OK
    }
}
