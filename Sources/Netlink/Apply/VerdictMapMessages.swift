import CNetfilter
import NetworkAddresses
import Nftables

// `tcp dport vmap { 22 : jump a, 5840-6312 : accept }` as nft 1.0 writes it (seen with `nft --debug=mnl`):
// an anonymous set `__map%d` (flags anonymous|constant|map, plus interval when an entry is a range)
// keyed by inet_service whose values are verdicts, then in the rule `meta l4proto` (unless the rule
// established it), `payload load` of the port and `lookup` with the verdict register as destination.

/// The elements, flags and size nft writes for one verdict map.
struct AnonymousMap {
    let isInterval: Bool
    let elements: [SetElement]
    /// nft's `desc size`: two per entry of an interval map plus its leading end element, one per entry
    /// otherwise. The kernel uses it to size the set; nft's own figure keeps the listing identical.
    let size: Int

    init(_ map: VerdictMap) {
        // Like nft: an interval map only when an entry is a range.
        isInterval = map.entries.contains { $0.ports.first != $0.ports.last }
        guard isInterval else {
            elements = map.entries.map { SetElement(key: UInt128($0.ports.first), verdict: KernelVerdict($0.verdict)) }
            size = elements.count
            return
        }
        var elements: [SetElement] = []
        let leadingEnd = map.entries.first.map { $0.ports.first != 0 } ?? false
        if leadingEnd { elements.append(SetElement(key: 0, endsInterval: true)) }
        for (index, entry) in map.entries.enumerated() {
            var start = SetElement(key: UInt128(entry.ports.first), verdict: KernelVerdict(entry.verdict))
            if entry.ports.last == UInt16.max {
                start.opensInterval = true
                elements.append(start)
                continue
            }
            elements.append(start)
            // Entries that touch share the boundary: the next start ends this interval.
            let next = index + 1 < map.entries.count ? map.entries[index + 1].ports.first : nil
            if next != entry.ports.last + 1 {
                elements.append(SetElement(key: UInt128(entry.ports.last) + 1, endsInterval: true))
            }
        }
        self.elements = elements
        size = map.entries.count * 2 + (leadingEnd ? 1 : 0)
    }

    var flags: UInt32 {
        var flags = NFT_SET_ANONYMOUS.rawValue | NFT_SET_CONSTANT.rawValue | NFT_SET_MAP.rawValue
        if isInterval { flags |= NFT_SET_INTERVAL.rawValue }
        return UInt32(flags)
    }

    /// nft's set user data for a verdict map: key byte order big-endian, data byte order unset, the
    /// data's "typeof" (a verdict expression, nested) and whether the data are intervals (no).
    static let userData: [UInt8] = {
        let u32 = { (type: UInt32, value: UInt32) -> [UInt8] in
            [UInt8(type), 4] + withUnsafeBytes(of: value) { Array($0) }
        }
        // The typeof expression is nft's verdict expression (its type 1), with empty typeof data.
        let typeof = u32(UInt32(NFTNL_UDATA_SET_TYPEOF_EXPR), 1) + [UInt8(NFTNL_UDATA_SET_TYPEOF_DATA), 0]
        return u32(NFTNL_UDATA_SET_KEYBYTEORDER.rawValue, ByteOrder.bigEndian)
            + u32(NFTNL_UDATA_SET_DATABYTEORDER.rawValue, 0)
            + [UInt8(NFTNL_UDATA_SET_DATA_TYPEOF.rawValue), UInt8(typeof.count)] + typeof
            + u32(NFTNL_UDATA_SET_DATA_INTERVAL.rawValue, 0)
    }()
}

extension BatchBuilder {
    /// Adds the anonymous map of a rule's `vmap` verdict and its elements; returns its batch-local id.
    func addVerdictMap(_ map: VerdictMap, of object: NftObject) throws(NetlinkError) -> UInt32 {
        let id = newSetID()
        let anonymous = AnonymousMap(map)
        let set = try NftnlSet()
        try set.set(attribute(NFTNL_SET_TABLE), string: tableName)
        // The kernel picks the number: __map0, __map1, ...
        try set.set(attribute(NFTNL_SET_NAME), string: "__map%d")
        try set.set(attribute(NFTNL_SET_FLAGS), anonymous.flags)
        try set.set(attribute(NFTNL_SET_KEY_TYPE), DataType.inetService)
        try set.set(attribute(NFTNL_SET_KEY_LEN), UInt32(2))
        try set.set(attribute(NFTNL_SET_DATA_TYPE), NFT_DATA_VERDICT.rawValue)
        try set.set(attribute(NFTNL_SET_DATA_LEN), UInt32(0))
        try set.set(attribute(NFTNL_SET_ID), id)
        try set.set(attribute(NFTNL_SET_DESC_SIZE), UInt32(anonymous.size))
        try set.set(attribute(NFTNL_SET_USERDATA), bytes: AnonymousMap.userData)
        try add(set, NFT_MSG_NEWSET, flags: NLM_F_CREATE, as: object)
        try addElements(anonymous.elements, keyWidth: 2, to: "__map%d", setID: id, as: object)
        return id
    }

    /// The verdict of `map`: its protocol check when the rule has not made it, the port, the lookup.
    func encodeVerdictMap(_ map: VerdictMap, setID: UInt32, into rule: borrowing NftnlRule,
                          dependencies: inout Dependencies) throws(NetlinkError) {
        try dependencies.require(map.transport, builder: self, rule: rule)
        try payload(.port(map.direction), into: rule)
        let lookup = try NftnlExpression("lookup")
        lookup.set(NFTNL_EXPR_LOOKUP_SREG, u32: UInt32(NFT_REG_1.rawValue))
        lookup.set(NFTNL_EXPR_LOOKUP_DREG, u32: UInt32(NFT_REG_VERDICT.rawValue))
        try lookup.set(NFTNL_EXPR_LOOKUP_SET, string: "__map%d")
        lookup.set(NFTNL_EXPR_LOOKUP_SET_ID, u32: setID)
        lookup.move(into: rule)
    }
}
