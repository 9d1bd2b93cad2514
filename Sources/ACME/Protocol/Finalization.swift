import Foundation

/// Finalises an order with a CSR and waits until the certificate is ready (RFC 8555 §7.4).
enum Finalization {
    /// - Returns: the certificate URL.
    static func finalize(orderURL: String, order: Order, csr: [UInt8], connection: Connection,
                         timeout: TimeInterval) throws -> String {
        var poller = Poller(what: "issuance", timeout: timeout)
        var current = order
        var response: HTTPResponse
        // Finalise at once: the order is ready as soon as its authorisations are valid, and a
        // server that disagrees answers orderNotReady, after which the order is polled.
        while true {
            do {
                response = try connection.post(order.finalize, body: ["csr": Base64URL.encode(csr)],
                                               request: "finalize")
                current = try Connection.decode(Order.self, from: response, request: "finalize")
                break
            } catch let ACMEError.server(_, problem) where problem.acmeType == "orderNotReady" {
                let (fetched, fetchResponse) = try connection.fetch(Order.self, orderURL, request: "order")
                if fetched.status == .invalid { throw ACMEError.orderFailed(problem: fetched.error) }
                try poller.wait(retryAfter: fetchResponse.retryAfter())
            }
        }
        while true {
            switch current.status {
            case .valid:
                guard let certificate = current.certificate else {
                    throw ACMEError.unexpectedResponse(request: "order", status: response.status,
                                                       excerpt: "valid order without a certificate URL")
                }
                return certificate
            case .invalid:
                throw ACMEError.orderFailed(problem: current.error)
            case .pending, .ready, .processing:
                try poller.wait(retryAfter: response.retryAfter())
                (current, response) = try connection.fetch(Order.self, orderURL, request: "order")
            }
        }
    }
}
