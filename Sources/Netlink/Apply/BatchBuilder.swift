import CNetfilter
import Glibc
import NetworkAddresses
import Nftables

/// Writes the netlink messages of one nftables transaction: batch begin, the objects, batch end.
///
/// Every object message is remembered by its sequence number, so that a refusal of it can be named
/// ("set web_v4"). Only the last one asks for an acknowledgement: the kernel reports every refusal
/// anyway, and an acknowledgement for each of the 1,300 messages of a 100k-element table cost the
/// kernel a reply and ztpol a `recv` each (about 4 ms).
final class BatchBuilder {
    let pages: MessagePages
    let family: TableFamily
    let tableName: String
    /// The object each message writes, by sequence number.
    private(set) var objects: [UInt32: NftObject] = [:]
    /// The sequence number of the batch begin: the kernel answers there when the whole batch fails.
    let beginSequence: UInt32
    /// The last object message, the one that asks for an acknowledgement; nil while there is none.
    private(set) var lastSequence: UInt32?
    /// The generation the batch applies to; the kernel refuses it once the ruleset has moved on.
    let generation: UInt32
    private let sequence: () -> UInt32
    /// Sets created in this batch are also referred to by a batch-local id.
    private var lastSetID: UInt32 = 0
    private var finished = false

    /// Starts a batch for `table`. The kernel refuses the batch unless the ruleset is still at
    /// `generation` (nothing was committed since it was read), so the commit creates the next one.
    init(family: TableFamily, tableName: String, generation: UInt32,
         sequence: @escaping () -> UInt32) throws(NetlinkError) {
        self.generation = generation
        self.family = family
        self.tableName = tableName
        self.sequence = sequence
        pages = try MessagePages()
        beginSequence = sequence()
        let message = mnl_nlmsg_put_header(pages.next)!
        message.pointee.nlmsg_type = UInt16(NFNL_MSG_BATCH_BEGIN)
        message.pointee.nlmsg_flags = UInt16(NLM_F_REQUEST)
        message.pointee.nlmsg_seq = beginSequence
        let header = mnl_nlmsg_put_extra_header(message, MemoryLayout<nfgenmsg>.size)!
            .assumingMemoryBound(to: nfgenmsg.self)
        header.pointee.nfgen_family = UInt8(AF_UNSPEC)
        header.pointee.version = UInt8(NFNETLINK_V0)
        header.pointee.res_id = UInt16(NFNL_SUBSYS_NFTABLES).bigEndian
        mnl_attr_put_u32(message, UInt16(NFNL_BATCH_GENID.rawValue), generation.bigEndian)
        try pages.commit()
    }

    var familyNumber: UInt16 {
        switch family {
        case .inet: UInt16(NFPROTO_INET)
        case .ip: UInt16(NFPROTO_IPV4)
        case .ip6: UInt16(NFPROTO_IPV6)
        }
    }

    /// Starts the next object message; the caller fills in its attributes, then calls `pages.commit()`.
    func header(_ type: nf_tables_msg_types, flags: Int32, for object: NftObject) -> UnsafeMutablePointer<nlmsghdr> {
        precondition(!finished, "message added after the batch end")
        let number = sequence()
        objects[number] = object
        lastSequence = number
        return nftnl_nlmsg_build_hdr(pages.next, UInt16(type.rawValue), familyNumber, UInt16(flags), number)
    }

    /// Writes one libnftnl object as a message.
    func add<Calls: NftnlCalls>(_ object: borrowing NftnlObject<Calls>, _ type: nf_tables_msg_types,
                                flags: Int32, as name: NftObject) throws(NetlinkError) {
        object.build(into: header(type, flags: flags, for: name))
        try pages.commit()
    }

    /// A batch-local id for a set created in this batch.
    func newSetID() -> UInt32 {
        lastSetID += 1
        return lastSetID
    }

    /// Ends the batch; no message may follow. The last object message now asks for an acknowledgement:
    /// its flags are set here because a message may still move to a fresh page when it is committed.
    func finish() throws(NetlinkError) {
        if let lastSequence, let last = pages.message(withSequence: lastSequence) {
            let header = UnsafeMutableRawPointer(mutating: last.baseAddress!).assumingMemoryBound(to: nlmsghdr.self)
            header.pointee.nlmsg_flags |= UInt16(NLM_F_ACK)
        }
        _ = nftnl_batch_end(pages.next, sequence())
        try pages.commit()
        finished = true
    }

    /// Names the element messages of one set once their number is known: "part 2 of 3".
    func numberParts(of sequences: [UInt32], set: String, as object: NftObject?) {
        for (index, number) in sequences.enumerated() {
            objects[number] = object ?? .elements(set: set, part: index + 1, of: sequences.count)
        }
    }
}

// MARK: - Table, sets, chains

extension BatchBuilder {
    /// Create the table if absent, delete it, create it anew, carrying `stamp`: the table is replaced
    /// as a whole, in the same transaction as everything that follows.
    func replaceTable(stamp: TableStamp) throws(NetlinkError) {
        let table = try emptyTable()
        try table.set(attribute(NFTNL_TABLE_USERDATA), bytes: UserData.encode(stamp.userData))
        try add(table, NFT_MSG_NEWTABLE, flags: NLM_F_CREATE, as: NftObject.table(family, tableName))
    }

    /// Create the table, carrying `stamp`; the kernel refuses the batch if the table exists.
    func createTable(stamp: TableStamp) throws(NetlinkError) {
        let table = try namedTable()
        try table.set(attribute(NFTNL_TABLE_USERDATA), bytes: UserData.encode(stamp.userData))
        try add(table, NFT_MSG_NEWTABLE, flags: NLM_F_CREATE | NLM_F_EXCL, as: NftObject.table(family, tableName))
    }

    /// Delete the table, creating it first so that an absent table is no error: the kernel refuses to
    /// delete what does not exist, and one transaction either way leaves no table behind.
    func deleteTable() throws(NetlinkError) {
        _ = try emptyTable()
    }

    /// Adds "create the table if absent" and "delete it" to the batch, and returns the table object for
    /// whatever comes next.
    private func emptyTable() throws(NetlinkError) -> NftnlTable {
        let table = try namedTable()
        let name = NftObject.table(family, tableName)
        try add(table, NFT_MSG_NEWTABLE, flags: NLM_F_CREATE, as: name)
        try add(table, NFT_MSG_DELTABLE, flags: 0, as: name)
        return table
    }

    /// The table object with its name and family.
    private func namedTable() throws(NetlinkError) -> NftnlTable {
        let table = try NftnlTable()
        try table.set(attribute(NFTNL_TABLE_NAME), string: tableName)
        try table.set(attribute(NFTNL_TABLE_FAMILY), UInt32(familyNumber))
        return table
    }

    /// A named interval set of addresses, and its elements.
    func addSet(_ set: NamedSet) throws(NetlinkError) {
        let id = newSetID()
        let object = try NftnlSet()
        try object.set(attribute(NFTNL_SET_TABLE), string: tableName)
        try object.set(attribute(NFTNL_SET_NAME), string: set.name)
        try object.set(attribute(NFTNL_SET_FLAGS), UInt32(NFT_SET_INTERVAL.rawValue))
        try object.set(attribute(NFTNL_SET_KEY_TYPE), set.family == .ipv4 ? DataType.ipv4Address : DataType.ipv6Address)
        try object.set(attribute(NFTNL_SET_KEY_LEN), UInt32(set.family.bitWidth / 8))
        try object.set(attribute(NFTNL_SET_ID), id)
        var fields: [UserData.Field] = [.u32(UInt8(NFTNL_UDATA_SET_KEYBYTEORDER.rawValue), ByteOrder.bigEndian)]
        if let comment = set.comment { fields.append(.string(UInt8(NFTNL_UDATA_SET_COMMENT.rawValue), comment)) }
        let userData = try UserData.encode(fields)
        try object.set(attribute(NFTNL_SET_USERDATA), bytes: userData)
        try add(object, NFT_MSG_NEWSET, flags: NLM_F_CREATE, as: .set(set.name))
        try addAddressIntervals(set.elements, family: set.family, to: set.name, setID: id)
    }

    /// A chain; a base chain with its hook, priority and policy.
    func addChain(_ chain: Chain) throws(NetlinkError) {
        let object = try NftnlChain()
        try object.set(attribute(NFTNL_CHAIN_TABLE), string: tableName)
        try object.set(attribute(NFTNL_CHAIN_NAME), string: chain.name)
        if let base = chain.base {
            try object.set(attribute(NFTNL_CHAIN_TYPE), string: "filter")
            try object.set(attribute(NFTNL_CHAIN_HOOKNUM), HookNumber.of(base.hook))
            try object.set(attribute(NFTNL_CHAIN_PRIO), base.priority)
            try object.set(attribute(NFTNL_CHAIN_POLICY), UInt32(base.policy == .accept ? NF_ACCEPT : NF_DROP))
        }
        try add(object, NFT_MSG_NEWCHAIN, flags: NLM_F_CREATE, as: .chain(chain.name))
    }
}

/// nft's numbers for the key types ztpol uses (its `enum datatypes`); `nft list` names them.
enum DataType {
    static let ipv4Address: UInt32 = 7
    static let ipv6Address: UInt32 = 8
    static let inetService: UInt32 = 13
    static let icmpType: UInt32 = 14
    static let icmpv6Type: UInt32 = 29
}

/// nft's byte-order tags in set user data (its `enum byteorder`).
enum ByteOrder {
    static let bigEndian: UInt32 = 2
}

/// The kernel's hook numbers for the inet family (`enum nf_inet_hooks`).
enum HookNumber {
    static func of(_ hook: Hook) -> UInt32 {
        switch hook {
        case .input: UInt32(NF_INET_LOCAL_IN.rawValue)
        case .forward: UInt32(NF_INET_FORWARD.rawValue)
        case .output: UInt32(NF_INET_LOCAL_OUT.rawValue)
        }
    }

    static func hook(_ number: UInt32) -> Hook? { Hook.allCases.first { of($0) == number } }
}
