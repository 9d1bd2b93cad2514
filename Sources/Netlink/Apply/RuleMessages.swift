import CNetfilter
import Glibc
import NetworkAddresses
import Nftables

// Each `Match` becomes the expressions nft itself generates for it (seen with `nft --debug=netlink`),
// so that `nft list` prints a table applied by ztpol exactly as one loaded with `nft -f`. In an inet
// table nft first checks the family (`meta nfproto`) and transport (`meta l4proto`) a header field
// needs, unless the rule already checked them; `Dependencies` tracks that within a rule.

extension BatchBuilder {
    /// Adds rule `number` (from 1) of `chain`, preceded by the anonymous sets it looks up; with `handle`,
    /// the rule replaces the one of that handle where it stands.
    func addRule(_ rule: Rule, number: Int, chain: String, replacing handle: UInt64? = nil) throws(NetlinkError) {
        let rule = rule.canonical
        // Anonymous sets must exist before the rule that refers to them.
        var anonymousSets: [UInt32] = []
        for match in rule.matches {
            guard let set = AnonymousSet(match) else { continue }
            anonymousSets.append(try addAnonymousSet(set, of: .anonymousSet(rule: number, chain: chain)))
        }
        var mapID: UInt32?
        if case .map(let map) = rule.verdict {
            mapID = try addVerdictMap(map, of: .anonymousSet(rule: number, chain: chain))
        }
        let object = try NftnlRule()
        try object.set(attribute(NFTNL_RULE_TABLE), string: tableName)
        try object.set(attribute(NFTNL_RULE_CHAIN), string: chain)
        var dependencies = Dependencies()
        for match in rule.matches {
            let setID = AnonymousSet(match) == nil ? nil : anonymousSets.removeFirst()
            try encode(match, setID: setID, into: object, dependencies: &dependencies)
        }
        try encodeStatements(of: rule, into: object)
        if case .map(let map) = rule.verdict, let mapID {
            // Like nft: the map's protocol check, when needed, follows the rule's statements.
            try encodeVerdictMap(map, setID: mapID, into: object, dependencies: &dependencies)
        }
        if let comment = rule.comment {
            let userData = try UserData.encode([.string(UInt8(NFTNL_UDATA_RULE_COMMENT.rawValue), comment)])
            try object.set(attribute(NFTNL_RULE_USERDATA), bytes: userData)
        }
        if let handle {
            try object.set(attribute(NFTNL_RULE_HANDLE), handle)
            try add(object, NFT_MSG_NEWRULE, flags: NLM_F_REPLACE, as: .rule(number, chain: chain))
        } else {
            try add(object, NFT_MSG_NEWRULE, flags: NLM_F_CREATE | NLM_F_APPEND, as: .rule(number, chain: chain))
        }
    }

    private func addAnonymousSet(_ set: AnonymousSet, of object: NftObject) throws(NetlinkError) -> UInt32 {
        let id = newSetID()
        let elements = set.elements
        let nftnlSet = try NftnlSet()
        try nftnlSet.set(attribute(NFTNL_SET_TABLE), string: tableName)
        // The kernel picks the number: __set0, __set1, ...
        try nftnlSet.set(attribute(NFTNL_SET_NAME), string: "__set%d")
        var flags = NFT_SET_ANONYMOUS.rawValue | NFT_SET_CONSTANT.rawValue
        if set.isInterval { flags |= NFT_SET_INTERVAL.rawValue }
        try nftnlSet.set(attribute(NFTNL_SET_FLAGS), UInt32(flags))
        try nftnlSet.set(attribute(NFTNL_SET_KEY_TYPE), set.keyType)
        try nftnlSet.set(attribute(NFTNL_SET_KEY_LEN), UInt32(set.keyWidth))
        try nftnlSet.set(attribute(NFTNL_SET_ID), id)
        try nftnlSet.set(attribute(NFTNL_SET_DESC_SIZE), UInt32(elements.count))
        var fields: [UserData.Field] = [.u32(UInt8(NFTNL_UDATA_SET_KEYBYTEORDER.rawValue), ByteOrder.bigEndian)]
        if set.isInterval { fields.append(.u32(UInt8(NFTNL_UDATA_SET_MERGE_ELEMENTS.rawValue), 1)) }
        let userData = try UserData.encode(fields)
        try nftnlSet.set(attribute(NFTNL_SET_USERDATA), bytes: userData)
        try add(nftnlSet, NFT_MSG_NEWSET, flags: NLM_F_CREATE, as: object)
        try addElements(elements, keyWidth: set.keyWidth, to: "__set%d", setID: id, as: object)
        return id
    }

    // MARK: Matches

    private func encode(_ match: Match, setID: UInt32?, into rule: borrowing NftnlRule,
                        dependencies: inout Dependencies) throws(NetlinkError) {
        switch match {
        case .interface(let direction, let name):
            try meta(direction == .source ? NFT_META_IIFNAME : NFT_META_OIFNAME, into: rule)
            // nft compares the whole IFNAMSIZ buffer, NUL-padded.
            try compare(.eq, Array(name.utf8) + Array(repeating: 0, count: max(0, 16 - name.utf8.count)), into: rule)
        case .connectionState(let state):
            let ct = try NftnlExpression("ct")
            ct.set(NFTNL_EXPR_CT_KEY, u32: UInt32(NFT_CT_STATE.rawValue))
            ct.set(NFTNL_EXPR_CT_DREG, u32: UInt32(NFT_REG_1.rawValue))
            ct.move(into: rule)
            let bitwise = try NftnlExpression("bitwise")
            bitwise.set(NFTNL_EXPR_BITWISE_SREG, u32: UInt32(NFT_REG_1.rawValue))
            bitwise.set(NFTNL_EXPR_BITWISE_DREG, u32: UInt32(NFT_REG_1.rawValue))
            bitwise.set(NFTNL_EXPR_BITWISE_LEN, u32: 4)
            // The state is a host-order bit mask.
            try bitwise.set(NFTNL_EXPR_BITWISE_MASK, bytes: withUnsafeBytes(of: state.rawValue) { Array($0) })
            try bitwise.set(NFTNL_EXPR_BITWISE_XOR, bytes: [0, 0, 0, 0])
            bitwise.move(into: rule)
            try compare(.neq, [0, 0, 0, 0], into: rule)
        case .family(let family):
            try dependencies.require(family, builder: self, rule: rule)
        case .l4Protocol(let proto):
            try dependencies.require(proto, builder: self, rule: rule)
        case .addressInSet(let direction, let family, let set):
            try dependencies.require(family, builder: self, rule: rule)
            let field = PayloadField.address(direction, family)
            try payload(field, into: rule)
            try lookup(set, id: setID ?? 0, into: rule)
        case .ports(let proto, let direction, let ranges):
            try dependencies.require(proto, builder: self, rule: rule)
            try payload(.port(direction), into: rule)
            if let setID {
                try lookup("__set%d", id: setID, into: rule)
            } else if ranges[0].first == ranges[0].last {
                try compare(.eq, bigEndian(ranges[0].first), into: rule)
            } else {
                // A single range is two comparisons, not a set.
                try compare(.gte, bigEndian(ranges[0].first), into: rule)
                try compare(.lte, bigEndian(ranges[0].last), into: rule)
            }
        case .icmpTypes(let family, let types):
            let proto: L4Protocol = family == .ipv4 ? .icmp : .icmpv6
            // nft checks the family too, unless the rule already established the ICMP protocol.
            if dependencies.l4Protocol != proto { try dependencies.require(family, builder: self, rule: rule) }
            try dependencies.require(proto, builder: self, rule: rule)
            try payload(.icmpType, into: rule)
            if let setID {
                try lookup("__set%d", id: setID, into: rule)
            } else {
                try compare(.eq, [types[0]], into: rule)
            }
        case .unrecognised(let text):
            throw NetlinkError(.invalidTable, problems: [TableProblem(.table(family, tableName),
                                                                      "cannot write unrecognised expressions \(text)")])
        }
    }

    /// Counter, rate-limited log and verdict, in that order.
    private func encodeStatements(of rule: Rule, into object: borrowing NftnlRule) throws(NetlinkError) {
        if rule.counter { try NftnlExpression("counter").move(into: object) }
        if let log = rule.log {
            let limit = try NftnlExpression("limit")
            limit.set(NFTNL_EXPR_LIMIT_RATE, u64: UInt64(log.ratePerMinute))
            limit.set(NFTNL_EXPR_LIMIT_UNIT, u64: 60)
            // nft's default burst; nft lists any other value.
            limit.set(NFTNL_EXPR_LIMIT_BURST, u32: 5)
            limit.set(NFTNL_EXPR_LIMIT_TYPE, u32: UInt32(NFT_LIMIT_PKTS.rawValue))
            limit.set(NFTNL_EXPR_LIMIT_FLAGS, u32: 0)
            limit.move(into: object)
            let logging = try NftnlExpression("log")
            try logging.set(NFTNL_EXPR_LOG_PREFIX, string: log.prefix)
            logging.move(into: object)
        }
        // `.continue` writes no verdict; a map's lookup is written by `encodeVerdictMap`.
        guard let verdict = KernelVerdict(rule.verdict) else { return }
        let immediate = try NftnlExpression("immediate")
        immediate.set(NFTNL_EXPR_IMM_DREG, u32: UInt32(NFT_REG_VERDICT.rawValue))
        immediate.set(NFTNL_EXPR_IMM_VERDICT, u32: UInt32(bitPattern: verdict.code))
        if let chain = verdict.chain { try immediate.set(NFTNL_EXPR_IMM_CHAIN, string: chain) }
        immediate.move(into: object)
    }

    // MARK: Expressions

    func meta(_ key: nft_meta_keys, into rule: borrowing NftnlRule) throws(NetlinkError) {
        let meta = try NftnlExpression("meta")
        meta.set(NFTNL_EXPR_META_KEY, u32: key.rawValue)
        meta.set(NFTNL_EXPR_META_DREG, u32: UInt32(NFT_REG_1.rawValue))
        meta.move(into: rule)
    }

    func compare(_ operation: nft_cmp_ops, _ data: [UInt8], into rule: borrowing NftnlRule) throws(NetlinkError) {
        let cmp = try NftnlExpression("cmp")
        cmp.set(NFTNL_EXPR_CMP_SREG, u32: UInt32(NFT_REG_1.rawValue))
        cmp.set(NFTNL_EXPR_CMP_OP, u32: operation.rawValue)
        try cmp.set(NFTNL_EXPR_CMP_DATA, bytes: data)
        cmp.move(into: rule)
    }

    func payload(_ field: PayloadField, into rule: borrowing NftnlRule) throws(NetlinkError) {
        let payload = try NftnlExpression("payload")
        payload.set(NFTNL_EXPR_PAYLOAD_DREG, u32: UInt32(NFT_REG_1.rawValue))
        payload.set(NFTNL_EXPR_PAYLOAD_BASE, u32: field.base.rawValue)
        payload.set(NFTNL_EXPR_PAYLOAD_OFFSET, u32: field.offset)
        payload.set(NFTNL_EXPR_PAYLOAD_LEN, u32: field.length)
        payload.move(into: rule)
    }

    private func lookup(_ set: String, id: UInt32, into rule: borrowing NftnlRule) throws(NetlinkError) {
        let lookup = try NftnlExpression("lookup")
        lookup.set(NFTNL_EXPR_LOOKUP_SREG, u32: UInt32(NFT_REG_1.rawValue))
        try lookup.set(NFTNL_EXPR_LOOKUP_SET, string: set)
        lookup.set(NFTNL_EXPR_LOOKUP_SET_ID, u32: id)
        lookup.move(into: rule)
    }

    private func bigEndian(_ port: UInt16) -> [UInt8] { [UInt8(port >> 8), UInt8(port & 0xff)] }
}

/// What a rule has established about the packet so far, so each check is written once.
struct Dependencies {
    private(set) var family: IPFamily?
    private(set) var l4Protocol: L4Protocol?

    mutating func require(_ family: IPFamily, builder: BatchBuilder, rule: borrowing NftnlRule) throws(NetlinkError) {
        guard self.family != family else { return }
        try builder.meta(NFT_META_NFPROTO, into: rule)
        try builder.compare(.eq, [UInt8(family == .ipv4 ? NFPROTO_IPV4 : NFPROTO_IPV6)], into: rule)
        self.family = family
    }

    mutating func require(_ proto: L4Protocol, builder: BatchBuilder, rule: borrowing NftnlRule) throws(NetlinkError) {
        guard l4Protocol != proto else { return }
        try builder.meta(NFT_META_L4PROTO, into: rule)
        try builder.compare(.eq, [proto.rawValue], into: rule)
        l4Protocol = proto
    }
}

extension nft_cmp_ops {
    static let eq = NFT_CMP_EQ
    static let neq = NFT_CMP_NEQ
    static let gte = NFT_CMP_GTE
    static let lte = NFT_CMP_LTE
}
