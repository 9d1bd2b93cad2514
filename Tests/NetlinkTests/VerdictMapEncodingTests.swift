import CNetfilter
@testable import Netlink
import NetworkAddresses
import Nftables
import XCTest

/// The anonymous map ztpol writes for a `vmap`, element by element and attribute by attribute, against
/// what nft 1.0 writes (`nft --debug=netlink` / `--debug=mnl`) and what the kernel then holds.
final class VerdictMapEncodingTests: NamespaceTestCase {
    private func entry(_ first: UInt16, _ last: UInt16? = nil, _ verdict: Verdict) -> VerdictMap.Entry {
        VerdictMap.Entry(ports: PortRange(first, last ?? first), verdict: verdict)
    }

    private func summary(_ elements: [SetElement]) -> [String] {
        elements.map { element in
            var text = element.endsInterval ? "end \(element.key)" : "\(element.key)"
            if let verdict = element.verdict { text += " \(verdict.code)\(verdict.chain.map { " \($0)" } ?? "")" }
            if element.opensInterval { text += " open" }
            return text
        }
    }

    /// nft: `{ 0 : accept, 22 : jump a, 23 : accept, 24-30 : drop, 31 : drop }` is 0, end 1, 22, 23, 24,
    /// 31, end 32 with size 10: touching entries share their boundary, no leading end at 0.
    func testTouchingEntriesShareTheirBoundary() {
        let map = AnonymousMap(VerdictMap(transport: .tcp, entries: [
            entry(0, nil, .accept), entry(22, nil, .jump("a")), entry(23, nil, .accept), entry(24, 30, .drop),
            entry(31, nil, .drop),
        ]))
        XCTAssertTrue(map.isInterval)
        XCTAssertEqual(summary(map.elements), ["0 1", "end 1", "22 -3 a", "23 1", "24 0", "31 0", "end 32"])
        XCTAssertEqual(map.size, 10)
        XCTAssertEqual(map.flags, 0xf)
    }

    /// nft: `{ 5-7 : accept, 9 : drop, 10-65535 : drop }` is end 0, 5, end 8, 9, 10 (open) with size 7.
    func testLeadingEndAndOpenInterval() {
        let map = AnonymousMap(VerdictMap(transport: .udp, entries: [
            entry(5, 7, .accept), entry(9, nil, .drop), entry(10, 65535, .drop),
        ]))
        XCTAssertEqual(summary(map.elements), ["end 0", "5 1", "end 8", "9 0", "10 0 open"])
        XCTAssertEqual(map.size, 7)
    }

    /// nft: single ports only make a map without intervals (flags 0xb), one element per entry.
    func testSinglePortsMakeNoIntervalMap() {
        let map = AnonymousMap(VerdictMap(transport: .udp, entries: [entry(53, nil, .accept), entry(80, nil, .drop)]))
        XCTAssertFalse(map.isInterval)
        XCTAssertEqual(map.flags, 0xb)
        XCTAssertEqual(summary(map.elements), ["53 1", "80 0"])
        XCTAssertEqual(map.size, 2)
    }

    /// The bytes nft 1.0.6 writes as a verdict map's user data (from `nft --debug=mnl`).
    func testUserDataIsNftsBytes() {
        XCTAssertEqual(AnonymousMap.userData, [
            0x00, 0x04, 0x02, 0x00, 0x00, 0x00, 0x01, 0x04, 0x00, 0x00, 0x00, 0x00,
            0x04, 0x08, 0x00, 0x04, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x06, 0x04, 0x00, 0x00, 0x00, 0x00,
        ])
    }

    /// Everything the kernel holds of each anonymous map (attributes, user data, elements with their
    /// user data) is the same after ztpol's apply as after `nft -f` of the rendered table.
    func testKernelHoldsTheSameMapsAsAfterNft() throws {
        let table = Fixtures.serviceFirst()
        let byNetlink = try makeNamespace(), byNft = try makeNamespace()
        try NetlinkConnection(namespace: byNetlink.name).apply(table)
        try byNft.load(NftRenderer().render(table))
        let ours = try anonymousMaps(in: byNetlink.name), theirs = try anonymousMaps(in: byNft.name)
        XCTAssertEqual(ours.count, 3)
        XCTAssertEqual(ours, theirs)
    }

    /// Each anonymous map's attributes as text, with its elements as `nft --debug=netlink list` shows them.
    private func anonymousMaps(in namespace: String) throws -> [String] {
        let socket = try NetlinkSocket(namespace: namespace)
        var sets: [String] = []
        try socket.request(NFT_MSG_GETSET, family: UInt16(NFPROTO_INET), dump: true) { reply throws(NetlinkError) in
            let set = try NftnlSet(parsing: reply)
            guard let name = set.string(attribute(NFTNL_SET_NAME)), name.hasPrefix("__map") else { return }
            let numbers = [NFTNL_SET_FLAGS, NFTNL_SET_KEY_TYPE, NFTNL_SET_KEY_LEN, NFTNL_SET_DATA_TYPE,
                           NFTNL_SET_DATA_LEN, NFTNL_SET_DESC_SIZE].map {
                set.integer(attribute($0), as: UInt32.self).map { String($0, radix: 16) } ?? "-"
            }
            let userData = set.bytes(attribute(NFTNL_SET_USERDATA)) ?? []
            sets.append("\(name) \(numbers.joined(separator: " ")) \(userData)")
        }
        // nft lists no anonymous set alone; its debug listing of the table has each set's elements.
        let debug = try TestNamespace.run(["ip", "netns", "exec", namespace, "nft", "--debug=netlink", "list", "table",
                                           "inet", "ztpol"])
        var elements: [String: [String]] = [:]
        var current: String?
        for line in debug.split(separator: "\n") {
            if line.hasPrefix("inet ztpol @") {
                current = String(line.dropFirst("inet ztpol @".count))
            } else if line.hasPrefix("\telement"), let set = current {
                elements[set, default: []].append(String(line))
            } else {
                current = nil
            }
        }
        return sets.map { set in
            let name = String(set.prefix { $0 != " " })
            // Sorted: a map without intervals is a hash table, listed in an order of its own.
            return ([set] + (elements[name] ?? []).sorted()).joined(separator: "\n")
        }
    }
}
