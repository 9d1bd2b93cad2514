import NetworkAddresses
import Nftables
import XCTest

/// The semantic comparison of two tables that `diff` and `apply` rely on.
final class TableDiffTests: XCTestCase {
    private func range(_ first: String, _ last: String? = nil) -> AddressRange {
        AddressRange(first: IPAddress(first)!, last: IPAddress(last ?? first)!)
    }

    private func table(sets: [NamedSet], rules: [Rule] = []) -> Table {
        Table(name: "ztpol", sets: sets,
              chains: [Chain(name: "input", base: .init(hook: .input, policy: .drop), rules: rules)])
    }

    func testIdenticalTablesHaveNoDifference() {
        let t = table(sets: [NamedSet(name: "a_v4", family: .ipv4, elements: [range("10.0.0.1")])])
        XCTAssertTrue(TableDiff(from: t, to: t).isEmpty)
    }

    func testGrowingIntervalIsOneDeleteOneAddButOneAddressGained() {
        let old = table(sets: [NamedSet(name: "a_v4", family: .ipv4, elements: [range("10.0.0.4")])])
        let new = table(sets: [NamedSet(name: "a_v4", family: .ipv4, elements: [range("10.0.0.4", "10.0.0.5")])])
        let diff = TableDiff(from: old, to: new)
        XCTAssertTrue(diff.onlyElementsChanged)
        guard case .elements(_, _, let added, let removed, let gained, let lost) = diff.sets.first else {
            return XCTFail("expected an element change, got \(diff.sets)")
        }
        XCTAssertEqual(added, [range("10.0.0.4", "10.0.0.5")])
        XCTAssertEqual(removed, [range("10.0.0.4")])
        XCTAssertEqual(gained.allRanges, [range("10.0.0.5")])
        XCTAssertTrue(lost.isEmpty)
    }

    func testSetWithSameElementsUnderNewNameIsARename() {
        let elements = [range("10.0.0.0", "10.0.0.255")]
        let diff = TableDiff(from: table(sets: [NamedSet(name: "web_v4", family: .ipv4, elements: elements)]),
                             to: table(sets: [NamedSet(name: "front_v4", family: .ipv4, elements: elements)]))
        XCTAssertEqual(diff.sets, [.renamed(from: NamedSet(name: "web_v4", family: .ipv4, elements: elements),
                                            to: NamedSet(name: "front_v4", family: .ipv4, elements: elements))])
        XCTAssertFalse(diff.onlyElementsChanged)
        XCTAssertEqual(diff.action, .replace)
    }

    func testRuleThatOnlyFollowsARenamedSetIsUnchangedButForItsComment() {
        let elements = [range("10.0.0.0", "10.0.0.255")]
        let before = Rule([.addressInSet(.source, .ipv4, set: "web_v4")], verdict: .accept, comment: "web -> ra")
        let after = Rule([.addressInSet(.source, .ipv4, set: "front_v4")], verdict: .accept, comment: "front -> ra")
        let quiet = Rule([.addressInSet(.source, .ipv4, set: "front_v4")], verdict: .accept, comment: "web -> ra")
        let old = table(sets: [NamedSet(name: "web_v4", family: .ipv4, elements: elements)], rules: [before])
        let renamed = [NamedSet(name: "front_v4", family: .ipv4, elements: elements)]
        XCTAssertEqual(TableDiff(from: old, to: table(sets: renamed, rules: [after])).chains,
                       [.changed(chain: "input", base: nil,
                                 rules: [.commented(before: before, after: after, from: 0, at: 0)])])
        XCTAssertEqual(TableDiff(from: old, to: table(sets: renamed, rules: [quiet])).chains, [])
    }

    func testSetCommentAndUnrecognisedObjectsAreChangesThatNeedAReplace() {
        let set = NamedSet(name: "a_v4", family: .ipv4, elements: [range("10.0.0.1")], comment: "a")
        var recommented = set
        recommented.comment = "b"
        let diff = TableDiff(from: table(sets: [set]), to: table(sets: [recommented]))
        XCTAssertEqual(diff.sets, [.comment(set: "a_v4", before: "a", after: "b")])
        XCTAssertEqual(diff.action, .replace)

        var drifted = table(sets: [set])
        drifted.unrecognised = ["chain nat { type nat hook 0 priority -100 }"]
        let drift = TableDiff(from: drifted, to: table(sets: [set]))
        XCTAssertEqual(drift.unrecognised.removed, drifted.unrecognised)
        XCTAssertEqual(drift.action, .replace)
        XCTAssertEqual(drift.counts.unrecognisedRemoved, 1)
    }

    func testActionIsNothingElementsReplaceOrCreate() {
        let small = table(sets: [NamedSet(name: "a_v4", family: .ipv4, elements: [range("10.0.0.1")])])
        let large = table(sets: [NamedSet(name: "a_v4", family: .ipv4, elements: [range("10.0.0.1", "10.0.0.2")])])
        XCTAssertEqual(TableDiff(from: small, to: small).action, .none)
        XCTAssertEqual(TableDiff(from: small, to: large).action, .elements)
        XCTAssertEqual(TableDiff(from: nil, to: large).action, .create)
        XCTAssertEqual(TableDiff(from: large, to: nil).action, .delete)
        let ruled = table(sets: large.sets, rules: [Rule([], verdict: .drop)])
        XCTAssertEqual(TableDiff(from: small, to: ruled).action, .replace)
    }

    func testRuleEditsAreMinimalAndOrdered() {
        let a = Rule([.ports(.tcp, .destination, [PortRange(22)])], verdict: .accept)
        let b = Rule([.ports(.tcp, .destination, [PortRange(443)])], verdict: .accept)
        let c = Rule([.ports(.tcp, .destination, [PortRange(8443)])], verdict: .accept)
        let drop = Rule([], counter: true, verdict: .drop)
        let diff = TableDiff(from: table(sets: [], rules: [a, b, drop]), to: table(sets: [], rules: [a, c, drop]))
        guard case .changed(let name, let base, let rules) = diff.chains.first else {
            return XCTFail("expected a changed chain")
        }
        XCTAssertEqual(name, "input")
        XCTAssertNil(base)
        XCTAssertEqual(rules, [.removed(b, at: 1), .added(c, at: 1)])
    }

    /// Every rule of a 20,000-rule chain with a new comment, and one rule inserted in the middle: the rules
    /// before and after it are paired in one pass each (a table of 20,000² cells would take 3 GB).
    func testAHugeChainRecommentedIsPairedRuleByRule() {
        let rules = (0..<20_000).map { port in
            Rule([.ports(.tcp, .destination, [PortRange(UInt16(port + 1))])], verdict: .accept, comment: "p.zt:\(port)")
        }
        var moved = rules.map { rule in
            var rule = rule
            rule.comment = rule.comment.map { $0 + "1" }
            return rule
        }
        let diff = TableDiff(from: table(sets: [], rules: rules), to: table(sets: [], rules: moved))
        XCTAssertEqual(diff.action, .comments)
        guard case .changed(_, nil, let changes) = diff.chains.first else { return XCTFail("expected a changed chain") }
        XCTAssertEqual(changes.count, 20_000)
        XCTAssertEqual(changes[19_999], .commented(before: rules[19_999], after: moved[19_999], from: 19_999, at: 19_999))

        let inserted = Rule([.l4Protocol(.udp)], verdict: .accept)
        moved.insert(inserted, at: 10_000)
        let withOneMore = TableDiff(from: table(sets: [], rules: rules), to: table(sets: [], rules: moved))
        XCTAssertEqual(withOneMore.action, .replace)
        guard case .changed(_, nil, let more) = withOneMore.chains.first else { return XCTFail("expected a change") }
        XCTAssertEqual(more.filter { if case .added = $0 { true } else { false } }, [.added(inserted, at: 10_000)])
        XCTAssertEqual(more.last, .commented(before: rules[19_999], after: moved[20_000], from: 19_999, at: 20_000))
    }

    func testMissingTableIsCreated() {
        let diff = TableDiff(from: nil, to: table(sets: []))
        XCTAssertEqual(diff.existence, .created)
        XCTAssertFalse(diff.isEmpty)
        XCTAssertEqual(diff.counts.chainsAdded, 1)
    }
}
