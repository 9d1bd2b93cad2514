import XCTest

@testable import ACME

final class ClientHelloTests: XCTestCase {
    func testServerNameIsReadAndLowercased() {
        let name = Array("Web.Test".utf8)
        let entry: [UInt8] = [0, 0, UInt8(name.count)] + name
        let bytes: [UInt8] = [0, UInt8(entry.count)] + entry
        XCTAssertEqual(ClientHello.serverName(bytes), "web.test")
        XCTAssertNil(ClientHello.serverName([0, 9, 0]))
    }

    func testProtocolListIsReadInOrder() {
        let list: [UInt8] = [2] + Array("h2".utf8) + [10] + Array("acme-tls/1".utf8)
        XCTAssertEqual(ClientHello.protocols([0, UInt8(list.count)] + list), ["h2", "acme-tls/1"])
        XCTAssertNil(ClientHello.protocols([0, 5, 9, 1]))
    }
}
