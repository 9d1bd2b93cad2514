import CCurl
import CShims
import Foundation

/// HTTPS through one libcurl easy handle, which keeps the connection to the ACME server open
/// between requests. Not thread-safe: one issuance uses one client from one thread.
final class HTTPClient {
    enum Method: String {
        case get = "GET", head = "HEAD", post = "POST"
    }

    private let handle: UnsafeMutableRawPointer
    private let trust: TrustAnchors
    private let timeout: Int

    /// libcurl, loaded and initialised on first use (see curl_shims.h); nil when it loaded.
    private static let loadFailure: String? = {
        guard ztpol_curl_load() == 1 else { return String(cString: ztpol_curl_load_error()) }
        let code = ztpol_curl_global_init(Int(CURL_GLOBAL_DEFAULT))
        return code == CURLE_OK ? nil : "curl_global_init: \(String(cString: ztpol_curl_easy_strerror(code)))"
    }()

    /// - Parameters:
    ///   - trust: the roots that may vouch for the server; hostname verification is always on.
    ///   - timeout: seconds one request may take, connection included.
    init(trust: TrustAnchors, timeout: Int = 30) throws {
        if case let .only(file) = trust, !FileManager.default.isReadableFile(atPath: file) {
            throw ACMEError.invalidRequest("the trust root \(file) is not a readable file")
        }
        if let failure = Self.loadFailure {
            throw TransportError(call: "libcurl", url: "", code: -1, message: failure)
        }
        guard let handle = ztpol_curl_easy_init() else {
            throw TransportError(call: "curl_easy_init", url: "", code: -1, message: "out of memory")
        }
        self.handle = handle
        self.trust = trust
        self.timeout = timeout
    }

    deinit {
        ztpol_curl_easy_cleanup(handle)
    }

    /// Sends one request and returns whatever status the server answered with.
    /// - Throws: `TransportError` when no HTTP response arrived (DNS, TCP, TLS or trust failure).
    func send(_ method: Method, _ url: String, body: Data? = nil, contentType: String? = nil,
              accept: String? = nil) throws -> HTTPResponse {
        // Reset clears the previous request's options but keeps the open connection.
        ztpol_curl_easy_reset(handle)
        let sink = ResponseSink()
        var errorText = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE))
        var headerList: UnsafeMutablePointer<curl_slist>? = nil
        defer { ztpol_curl_slist_free_all(headerList) }
        for header in [contentType.map { "Content-Type: \($0)" }, accept.map { "Accept: \($0)" }, "Expect:"] {
            if let header { headerList = ztpol_curl_slist_append(headerList, header) }
        }

        let code: CURLcode = try errorText.withUnsafeMutableBufferPointer { errorBuffer in
            try withExtendedLifetime(sink) {
                let context = Unmanaged.passUnretained(sink).toOpaque()
                try set(CURLOPT_URL, url, url)
                try set(CURLOPT_PROTOCOLS_STR, "https", url)
                try set(CURLOPT_USERAGENT, "ztpol-acme/1", url)
                try set(CURLOPT_SSL_VERIFYPEER, 1, url)
                try set(CURLOPT_SSL_VERIFYHOST, 2, url)
                try applyTrust(url)
                try set(CURLOPT_CONNECTTIMEOUT, 10, url)
                try set(CURLOPT_TIMEOUT, timeout, url)
                try set(CURLOPT_NOSIGNAL, 1, url)
                try check(ztpol_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer.baseAddress),
                          "CURLOPT_ERRORBUFFER", url)
                try check(ztpol_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList), "CURLOPT_HTTPHEADER", url)
                try check(ztpol_curl_setopt_write_callback(handle, CURLOPT_WRITEFUNCTION, ResponseSink.body),
                          "CURLOPT_WRITEFUNCTION", url)
                try check(ztpol_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, context), "CURLOPT_WRITEDATA", url)
                try check(ztpol_curl_setopt_write_callback(handle, CURLOPT_HEADERFUNCTION, ResponseSink.header),
                          "CURLOPT_HEADERFUNCTION", url)
                try check(ztpol_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, context), "CURLOPT_HEADERDATA", url)
                switch method {
                case .get:
                    try set(CURLOPT_HTTPGET, 1, url)
                case .head:
                    try set(CURLOPT_NOBODY, 1, url)
                case .post:
                    let payload = body ?? Data()
                    try set(CURLOPT_POST, 1, url)
                    try set(CURLOPT_POSTFIELDSIZE, payload.count, url)
                    // COPYPOSTFIELDS: curl copies the body, so it need not outlive this call.
                    if payload.isEmpty {
                        try set(CURLOPT_COPYPOSTFIELDS, "", url)
                    } else {
                        try payload.withUnsafeBytes { bytes in
                            try check(ztpol_curl_setopt_pointer(handle, CURLOPT_COPYPOSTFIELDS,
                                                                UnsafeMutableRawPointer(mutating: bytes.baseAddress)),
                                      "CURLOPT_COPYPOSTFIELDS", url)
                        }
                    }
                }
                return ztpol_curl_easy_perform(handle)
            }
        }
        if sink.overflowed {
            throw TransportError(call: "curl_easy_perform", url: url, code: Int(code.rawValue),
                                 message: "the response is larger than \(ResponseSink.maximumBody / 1_048_576) MiB, "
                                    + "far more than any ACME resource; not read further")
        }
        guard code == CURLE_OK else {
            let detail = String(decoding: errorText.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw TransportError(call: "curl_easy_perform", url: url, code: Int(code.rawValue),
                                 message: detail.isEmpty ? String(cString: ztpol_curl_easy_strerror(code)) : detail)
        }
        var status = 0
        try check(ztpol_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status), "CURLINFO_RESPONSE_CODE", url)
        return HTTPResponse(status: status, headers: sink.finalHeaders, body: sink.body)
    }

    private func applyTrust(_ url: String) throws {
        switch trust {
        case let .only(file):
            try set(CURLOPT_CAINFO, file, url)
            // Without this, the CA directory compiled into libcurl stays trusted beside the file.
            try check(ztpol_curl_setopt_string(handle, CURLOPT_CAPATH, nil), "CURLOPT_CAPATH", url)
        case .publicRoots:
            break
        case let .rootFileAndPublicRoots(file):
            try set(CURLOPT_CAINFO, file, url)
            try set(CURLOPT_CAPATH, "/etc/ssl/certs", url)
        }
    }

    private func set(_ option: CURLoption, _ value: String, _ url: String) throws {
        try check(ztpol_curl_setopt_string(handle, option, value), "curl_easy_setopt(\(option.rawValue))", url)
    }

    private func set(_ option: CURLoption, _ value: Int, _ url: String) throws {
        try check(ztpol_curl_setopt_long(handle, option, value), "curl_easy_setopt(\(option.rawValue))", url)
    }

    private func check(_ code: CURLcode, _ call: String, _ url: String) throws {
        guard code == CURLE_OK else {
            throw TransportError(call: call, url: url, code: Int(code.rawValue),
                                 message: String(cString: ztpol_curl_easy_strerror(code)))
        }
    }
}

/// Collects one response's headers and body from libcurl's callbacks.
private final class ResponseSink {
    /// ACME resources are a few kilobytes (a chain of certificates at most): a server that sends more is
    /// stopped here rather than allowed to fill the memory.
    static let maximumBody = 4 * 1_048_576
    var body = Data()
    var overflowed = false
    /// Headers of the last response only: a `100 Continue` or proxy response starts a new block.
    var finalHeaders: [(name: String, value: String)] = []

    static let body: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = {
        data, size, count, context in
        guard let data, let context else { return 0 }
        let sink = Unmanaged<ResponseSink>.fromOpaque(context).takeUnretainedValue()
        guard sink.body.count + size * count <= maximumBody else {
            sink.overflowed = true
            return 0  // curl stops the transfer with a write error
        }
        sink.body.append(UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self), count: size * count)
        return size * count
    }

    static let header: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = {
        data, size, count, context in
        guard let data, let context else { return 0 }
        let sink = Unmanaged<ResponseSink>.fromOpaque(context).takeUnretainedValue()
        let line = String(decoding: UnsafeRawBufferPointer(start: data, count: size * count), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        if line.hasPrefix("HTTP/") {
            sink.finalHeaders = []
        } else if let colon = line.firstIndex(of: ":") {
            sink.finalHeaders.append((name: line[..<colon].lowercased(),
                                      value: line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        return size * count
    }
}
