import CNetfilter

/// One expression of a rule read back from the kernel, with the fields ztpol's matches use. Anything
/// else is `.other`; `text` always holds libnftnl's notation, for showing what was not understood.
struct Expression {
    enum Kind {
        case meta(key: UInt32)
        case compare(operation: UInt32, data: [UInt8])
        case payload(PayloadField)
        case lookup(set: String)
        /// A lookup in a verdict map whose value becomes the rule's verdict.
        case verdictLookup(set: String)
        case bitwise(mask: [UInt8], xor: [UInt8])
        case connectionTracking(key: UInt32)
        case verdict(code: Int32, chain: String?)
        case counter
        case limit(rate: UInt64, unit: UInt64, burst: UInt32, type: UInt32, flags: UInt32)
        case log(prefix: String)
        case other
    }

    let kind: Kind
    let text: String

    init(_ view: NftnlExpressionView) {
        text = view.debugText
        kind = Expression.kind(of: view)
    }

    private static func kind(of view: NftnlExpressionView) -> Kind {
        let register1 = UInt32(NFT_REG_1.rawValue)
        switch view.name {
        case "meta" where view.u32(NFTNL_EXPR_META_DREG) == register1:
            return view.u32(NFTNL_EXPR_META_KEY).map { .meta(key: $0) } ?? .other
        case "cmp" where view.u32(NFTNL_EXPR_CMP_SREG) == register1:
            guard let operation = view.u32(NFTNL_EXPR_CMP_OP), let data = view.bytes(NFTNL_EXPR_CMP_DATA) else {
                return .other
            }
            return .compare(operation: operation, data: data)
        case "payload" where view.u32(NFTNL_EXPR_PAYLOAD_DREG) == register1:
            guard let base = view.u32(NFTNL_EXPR_PAYLOAD_BASE), let offset = view.u32(NFTNL_EXPR_PAYLOAD_OFFSET),
                  let length = view.u32(NFTNL_EXPR_PAYLOAD_LEN),
                  let field = PayloadField(base: base, offset: offset, length: length) else { return .other }
            return .payload(field)
        case "lookup" where view.u32(NFTNL_EXPR_LOOKUP_SREG) == register1 && !view.isSet(NFTNL_EXPR_LOOKUP_DREG)
            && (view.u32(NFTNL_EXPR_LOOKUP_FLAGS) ?? 0) == 0:
            return view.string(NFTNL_EXPR_LOOKUP_SET).map { .lookup(set: $0) } ?? .other
        case "lookup" where view.u32(NFTNL_EXPR_LOOKUP_SREG) == register1
            && view.u32(NFTNL_EXPR_LOOKUP_DREG) == UInt32(NFT_REG_VERDICT.rawValue)
            && (view.u32(NFTNL_EXPR_LOOKUP_FLAGS) ?? 0) == 0:
            return view.string(NFTNL_EXPR_LOOKUP_SET).map { .verdictLookup(set: $0) } ?? .other
        case "bitwise" where view.u32(NFTNL_EXPR_BITWISE_SREG) == register1
            && view.u32(NFTNL_EXPR_BITWISE_DREG) == register1 && (view.u32(NFTNL_EXPR_BITWISE_OP) ?? 0) == 0:
            guard let mask = view.bytes(NFTNL_EXPR_BITWISE_MASK), let xor = view.bytes(NFTNL_EXPR_BITWISE_XOR) else {
                return .other
            }
            return .bitwise(mask: mask, xor: xor)
        case "ct" where view.u32(NFTNL_EXPR_CT_DREG) == register1 && !view.isSet(NFTNL_EXPR_CT_DIR):
            return view.u32(NFTNL_EXPR_CT_KEY).map { .connectionTracking(key: $0) } ?? .other
        case "immediate" where view.u32(NFTNL_EXPR_IMM_DREG) == UInt32(NFT_REG_VERDICT.rawValue):
            guard let code = view.u32(NFTNL_EXPR_IMM_VERDICT) else { return .other }
            return .verdict(code: Int32(bitPattern: code), chain: view.string(NFTNL_EXPR_IMM_CHAIN))
        case "counter":
            return .counter
        case "limit":
            guard let rate = view.u64(NFTNL_EXPR_LIMIT_RATE), let unit = view.u64(NFTNL_EXPR_LIMIT_UNIT) else {
                return .other
            }
            return .limit(rate: rate, unit: unit, burst: view.u32(NFTNL_EXPR_LIMIT_BURST) ?? 0,
                          type: view.u32(NFTNL_EXPR_LIMIT_TYPE) ?? 0, flags: view.u32(NFTNL_EXPR_LIMIT_FLAGS) ?? 0)
        case "log":
            // Only the prefix is ztpol's; the kernel reports its default level (warning) and no flags.
            // A group, another level or flags make it someone else's log.
            let others = [NFTNL_EXPR_LOG_GROUP, NFTNL_EXPR_LOG_SNAPLEN, NFTNL_EXPR_LOG_QTHRESHOLD]
            guard !others.contains(where: view.isSet), (view.u32(NFTNL_EXPR_LOG_LEVEL) ?? 4) == 4,
                  (view.u32(NFTNL_EXPR_LOG_FLAGS) ?? 0) == 0, let prefix = view.string(NFTNL_EXPR_LOG_PREFIX) else {
                return .other
            }
            return .log(prefix: prefix)
        default:
            return .other
        }
    }
}
