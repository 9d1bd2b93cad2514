import Certificates

// The ACME code calls many OpenSSL functions in a row; these two checks turn each failure code into
// an `OpenSSLError` carrying the call's name and the drained error queue.

/// Throws when an OpenSSL call returned a failure code (≤ 0).
@discardableResult
func checkOpenSSL(_ result: Int32, _ call: String) throws(OpenSSLError) -> Int32 {
    guard result > 0 else { throw OpenSSLError.drainingQueue(call: call) }
    return result
}

/// Throws when an OpenSSL constructor returned NULL.
@discardableResult
func checkOpenSSL<T>(_ pointer: T?, _ call: String) throws(OpenSSLError) -> T {
    guard let pointer else { throw OpenSSLError.drainingQueue(call: call) }
    return pointer
}
