import CNetfilter
import Glibc
import NetworkAddresses
import Nftables

/// Reads one table from the kernel into the model by netlink dumps: the table, its sets and their
/// elements, its chains, its rules. Only that table is asked for.
struct TableReader {
    let socket: NetlinkSocket
    let family: TableFamily
    let name: String

    private var familyNumber: UInt16 {
        switch family {
        case .inet: UInt16(NFPROTO_INET)
        case .ip: UInt16(NFPROTO_IPV4)
        case .ip6: UInt16(NFPROTO_IPV6)
        }
    }

    /// The table, its handle, ztpol's stamp on it and its rules' handles by chain, or nil when there is no
    /// such table.
    func read() throws(NetlinkError)
        -> (table: Table, handle: UInt64, stamp: TableStamp?, ruleHandles: [String: [UInt64]])? {
        guard let (handle, stamp) = try header() else { return nil }
        // What the model cannot hold is noted, so that a table that has it is never taken for ztpol's: a
        // dormant table filters nothing.
        var notes = try tableFlags().map { ["table flags 0x\(String($0, radix: 16))"] } ?? []
        notes += try statefulObjects()
        let sets = try readSets()
        let anonymous = Dictionary(sets.filter(\.isAnonymous).map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var namedSets: [NamedSet] = []
        for set in sets where !set.isAnonymous {
            if let named = TableReader.namedSet(set) { namedSets.append(named) } else { notes.append(describe(set)) }
            if set.decorated > 0 {
                notes.append("set \(set.name): \(counted(set.decorated)) with a comment, counter, timeout or the like")
            }
        }
        for set in sets where set.isAnonymous && set.decorated > 0 {
            notes.append("anonymous set \(set.name): \(counted(set.decorated)) with a comment, counter or the like")
        }
        var chains = try readChains(notes: &notes)
        let (rules, ruleHandles) = try readRules(decoder: RuleDecoder(anonymousSets: anonymous))
        for index in chains.indices { chains[index].rules = rules[chains[index].name] ?? [] }
        return (Table(family: family, name: name, sets: namedSets, chains: chains, unrecognised: notes), handle, stamp,
                ruleHandles)
    }

    /// The table's handle and ztpol's stamp, or nil when there is no such table: one small request.
    func header() throws(NetlinkError) -> (handle: UInt64, stamp: TableStamp?)? {
        var header: (handle: UInt64, stamp: TableStamp?)?
        let filter = { (message: UnsafeMutablePointer<nlmsghdr>) throws(NetlinkError) in
            let table = try NftnlTable()
            try table.set(attribute(NFTNL_TABLE_NAME), string: name)
            table.build(into: message)
        }
        do throws(NetlinkError) {
            try socket.request(NFT_MSG_GETTABLE, family: familyNumber, dump: false,
                               build: filter) { (reply) throws(NetlinkError) in
                let table = try NftnlTable(parsing: reply)
                let userData = table.bytes(attribute(NFTNL_TABLE_USERDATA)).map(UserData.decode) ?? [:]
                let handle = table.integer(attribute(NFTNL_TABLE_HANDLE), as: UInt64.self) ?? 0
                header = (handle, TableStamp(userData: userData))
            }
        } catch where error.errno == ENOENT {
            return nil
        }
        return header
    }

    private func counted(_ elements: Int) -> String { elements == 1 ? "1 element" : "\(elements) elements" }

    /// The table's flags (`dormant`, `owner`, …) when any is set; ztpol sets none.
    private func tableFlags() throws(NetlinkError) -> UInt32? {
        var flags: UInt32?
        try socket.request(NFT_MSG_GETTABLE, family: familyNumber, dump: false, build: { message throws(NetlinkError) in
            let table = try NftnlTable()
            try table.set(attribute(NFTNL_TABLE_NAME), string: name)
            table.build(into: message)
        }) { (reply) throws(NetlinkError) in
            let table = try NftnlTable(parsing: reply)
            flags = table.integer(attribute(NFTNL_TABLE_FLAGS), as: UInt32.self)
        }
        return flags == 0 ? nil : flags
    }

    /// The table's stateful objects (named counters, quotas, limits, …) and flowtables, described: ztpol
    /// writes none.
    private func statefulObjects() throws(NetlinkError) -> [String] {
        var found: [String] = []
        let kinds: [(request: nf_tables_msg_types, table: UInt16, name: UInt16, what: String)] = [
            (NFT_MSG_GETOBJ, UInt16(NFTA_OBJ_TABLE.rawValue), UInt16(NFTA_OBJ_NAME.rawValue), "object"),
            (NFT_MSG_GETFLOWTABLE, UInt16(NFTA_FLOWTABLE_TABLE.rawValue), UInt16(NFTA_FLOWTABLE_NAME.rawValue),
             "flowtable"),
        ]
        for kind in kinds {
            try socket.request(kind.request, family: familyNumber, dump: true, build: { message throws(NetlinkError) in
                mnl_attr_put_strz(message, kind.table, name)
            }) { (reply) throws(NetlinkError) in
                let attributes = ElementReply.attributes(of: reply)
                guard attributes[kind.table] == name else { return }
                found.append("\(kind.what) \(attributes[kind.name] ?? "?")")
            }
        }
        return found
    }

    private func readSets() throws(NetlinkError) -> [ReadSet] {
        var sets: [ReadSet] = []
        try socket.request(NFT_MSG_GETSET, family: familyNumber, dump: true, build: { message throws(NetlinkError) in
            let filter = try NftnlSet()
            try filter.set(attribute(NFTNL_SET_TABLE), string: name)
            filter.build(into: message)
        }) { (reply) throws(NetlinkError) in
            sets.append(ReadSet(try NftnlSet(parsing: reply)))
        }
        for index in sets.indices {
            let set = sets[index]
            (sets[index].keys, sets[index].verdicts, sets[index].decorated) = try readElements(of: set.name,
                                                                                              verdicts: set.isMap)
        }
        return sets
    }

    /// The elements of interval sets of this table that the caller knows (from a table the kernel is
    /// proven to hold), by one dump per set: a few sets of a large table without the rest.
    func readElements(of sets: [(name: String, family: IPFamily)]) throws(NetlinkError) -> [String: [AddressRange]] {
        var result: [String: [AddressRange]] = [:]
        for set in sets {
            let ranges = ReadSet.intervals(try readElements(of: set.name).keys, maximum: set.family.maxValue)
            result[set.name] = ranges.map {
                AddressRange(first: IPAddress(family: set.family, value: $0.first),
                             last: IPAddress(family: set.family, value: $0.last))
            }
        }
        return result
    }

    /// The elements of `set` and, with `verdicts`, the verdicts a map's elements hold.
    private func readElements(of set: String, verdicts: Bool = false)
        throws(NetlinkError)
        -> (keys: [(key: UInt128, isEnd: Bool)], verdicts: [UInt128: KernelVerdict], decorated: Int) {
        var keys: [(key: UInt128, isEnd: Bool)] = []
        var decorated = 0
        var values: [UInt128: KernelVerdict] = [:]
        var malformed: NetlinkError?
        let endFlag = UInt32(NFT_SET_ELEM_INTERVAL_END.rawValue)
        let filter = { (message: UnsafeMutablePointer<nlmsghdr>) throws(NetlinkError) in
            let filter = try NftnlSet()
            try filter.set(attribute(NFTNL_SET_TABLE), string: name)
            try filter.set(attribute(NFTNL_SET_NAME), string: set)
            nftnl_set_elems_nlmsg_build_payload(message, filter.pointer)
        }
        try socket.request(NFT_MSG_GETSETELEM, family: familyNumber, dump: true,
                           build: filter) { (reply) throws(NetlinkError) in
            try ElementReply.forEachElement(in: reply) { key, flags, data, extra in
                if extra { decorated += 1 }
                let value = key.prefix(16).reduce(UInt128(0)) { $0 << 8 | UInt128($1) }
                keys.append((value, flags & endFlag != 0))
                guard verdicts, let data else { return }
                do throws(NetlinkError) {
                    values[value] = try ElementReply.verdict(in: data)
                } catch {
                    malformed = error
                }
            }
        }
        if let malformed { throw malformed }
        return (keys, values, decorated)
    }

    /// A set ztpol can model: an interval set of IPv4 or IPv6 addresses.
    static func namedSet(_ set: ReadSet) -> NamedSet? {
        let family: IPFamily
        switch (set.keyType, set.keyLength) {
        case (DataType.ipv4Address, 4): family = .ipv4
        case (DataType.ipv6Address, 16): family = .ipv6
        default: return nil
        }
        guard set.isInterval, set.flags & ~UInt32(NFT_SET_INTERVAL.rawValue) == 0 else { return nil }
        let elements = set.ranges(maximum: family.maxValue).map {
            AddressRange(first: IPAddress(family: family, value: $0.first),
                         last: IPAddress(family: family, value: $0.last))
        }
        return NamedSet(name: set.name, family: family, elements: elements, comment: set.comment)
    }

    private func describe(_ set: ReadSet) -> String {
        "set \(set.name) { key type \(set.keyType), key length \(set.keyLength), "
            + "flags 0x\(String(set.flags, radix: 16)), \(set.keys.count) elements }"
    }

    private func readChains(notes: inout [String]) throws(NetlinkError) -> [Chain] {
        var chains: [Chain] = []
        var problems: [String] = []
        // The kernel filters chain dumps by family only.
        try socket.request(NFT_MSG_GETCHAIN, family: familyNumber, dump: true) { (reply) throws(NetlinkError) in
            let chain = try NftnlChain(parsing: reply)
            guard chain.string(attribute(NFTNL_CHAIN_TABLE)) == name else { return }
            let chainName = chain.string(attribute(NFTNL_CHAIN_NAME)) ?? ""
            var base: Chain.Base?
            if let number = chain.integer(attribute(NFTNL_CHAIN_HOOKNUM), as: UInt32.self) {
                let priority = chain.integer(attribute(NFTNL_CHAIN_PRIO), as: Int32.self) ?? 0
                let policy = chain.integer(attribute(NFTNL_CHAIN_POLICY), as: UInt32.self) ?? UInt32(NF_ACCEPT)
                let type = chain.string(attribute(NFTNL_CHAIN_TYPE)) ?? "?"
                if let hook = HookNumber.hook(number), type == "filter" {
                    let verdict: Verdict = policy == UInt32(NF_DROP) ? .drop : .accept
                    base = Chain.Base(hook: hook, priority: priority, policy: verdict)
                } else {
                    problems.append("chain \(chainName) { type \(type) hook \(number) priority \(priority) }")
                }
            }
            chains.append(Chain(name: chainName, base: base))
        }
        notes += problems
        return chains
    }

    /// Each rule's handle and comment, by chain name in chain order, without decoding its expressions.
    func readRuleComments() throws(NetlinkError) -> [String: [(handle: UInt64, comment: String?)]] {
        var rules: [String: [(handle: UInt64, comment: String?)]] = [:]
        try forEachRule { (rule, chain) throws(NetlinkError) in
            rules[chain, default: []].append((TableReader.handle(of: rule), TableReader.comment(of: rule)))
        }
        return rules
    }

    /// Rules by chain name, in chain order, and their handles in the same order.
    private func readRules(decoder: RuleDecoder) throws(NetlinkError)
        -> (rules: [String: [Rule]], handles: [String: [UInt64]]) {
        var rules: [String: [Rule]] = [:]
        var handles: [String: [UInt64]] = [:]
        try forEachRule { (rule, chain) throws(NetlinkError) in
            var expressions: [Expression] = []
            try rule.forEachExpression { expressions.append(Expression($0)) }
            rules[chain, default: []].append(decoder.decode(expressions, comment: TableReader.comment(of: rule)))
            handles[chain, default: []].append(TableReader.handle(of: rule))
        }
        return (rules, handles)
    }

    /// One dump of this table's rules, each given with its chain's name, in chain order.
    private func forEachRule(_ body: (borrowing NftnlRule, String) throws(NetlinkError) -> Void) throws(NetlinkError) {
        try socket.request(NFT_MSG_GETRULE, family: familyNumber, dump: true, build: { message throws(NetlinkError) in
            let filter = try NftnlRule()
            try filter.set(attribute(NFTNL_RULE_TABLE), string: name)
            filter.build(into: message)
        }) { (reply) throws(NetlinkError) in
            let rule = try NftnlRule(parsing: reply)
            guard rule.string(attribute(NFTNL_RULE_TABLE)) == name, let chain = rule.string(attribute(NFTNL_RULE_CHAIN))
            else { return }
            try body(rule, chain)
        }
    }

    private static func handle(of rule: borrowing NftnlRule) -> UInt64 {
        rule.integer(attribute(NFTNL_RULE_HANDLE), as: UInt64.self) ?? 0
    }

    private static func comment(of rule: borrowing NftnlRule) -> String? {
        let userData = rule.bytes(attribute(NFTNL_RULE_USERDATA)).map(UserData.decode) ?? [:]
        return UserData.string(userData[UInt8(NFTNL_UDATA_RULE_COMMENT.rawValue)])
    }
}
