import CNetfilter
import Nftables

// Set elements are written straight into the page with libmnl's attribute calls rather than as one
// libnftnl object per element: a 100k-interval set is 200k elements, and allocating, filling and
// freeing an object for each costs more than the kernel's whole insertion.

extension BatchBuilder {
    /// The largest element list attribute: its length field is 16 bits.
    static let elementListLimit = Int(UInt16.max)
    /// The most one element can take: list entry, flags, key (16 bytes), user data.
    static let largestElement = 4 + 8 + 4 + 4 + 16 + 4 + 8
    /// What a map element's verdict adds: data and verdict nests, code, chain name (at most 256 bytes).
    static let largestVerdict = 4 + 4 + 8 + 4 + 256

    /// Adds (or with `delete`, deletes) `elements` of set `set`, over as many messages as needed.
    /// `setID` refers to a set created earlier in this batch. The messages are named after the set's
    /// elements, or `object` when given (an anonymous set is its rule's).
    func addElements<Elements: Sequence<SetElement>>(_ elements: Elements, keyWidth: Int, to set: String,
                                                     setID: UInt32? = nil, delete: Bool = false,
                                                     as object: NftObject? = nil) throws(NetlinkError) {
        var remaining = elements.makeIterator()
        var next = remaining.next()
        try addElementMessages(to: set, setID: setID, delete: delete, as: object, while: { next != nil }) {
            message, listStart in
            while let element = next,
                  Int(message.pointee.nlmsg_len) - listStart + BatchBuilder.largestElement
                    + (element.verdict == nil ? 0 : BatchBuilder.largestVerdict)
                    <= BatchBuilder.elementListLimit {
                writeElement(element, keyWidth: keyWidth, into: message)
                next = remaining.next()
            }
        }
    }

    /// The messages of an element list: while `more` says elements are left, a message with the list's
    /// header, which `fill` fills as far as the list's limit allows (its second argument is the list's
    /// offset in the message, to measure the list by).
    func addElementMessages(to set: String, setID: UInt32?, delete: Bool, as object: NftObject?,
                            while more: () -> Bool,
                            fill: (UnsafeMutablePointer<nlmsghdr>, Int) -> Void) throws(NetlinkError) {
        var sequences: [UInt32] = []
        while more() {
            let message = header(delete ? NFT_MSG_DELSETELEM : NFT_MSG_NEWSETELEM, flags: delete ? 0 : NLM_F_CREATE,
                                 for: .elements(set: set, part: 0, of: 0))
            sequences.append(message.pointee.nlmsg_seq)
            mnl_attr_put_strz(message, UInt16(NFTA_SET_ELEM_LIST_TABLE.rawValue), tableName)
            mnl_attr_put_strz(message, UInt16(NFTA_SET_ELEM_LIST_SET.rawValue), set)
            if let setID { mnl_attr_put_u32(message, UInt16(NFTA_SET_ELEM_LIST_SET_ID.rawValue), setID.bigEndian) }
            let list = mnl_attr_nest_start(message, UInt16(NFTA_SET_ELEM_LIST_ELEMENTS.rawValue))!
            fill(message, UnsafeRawPointer(list) - UnsafeRawPointer(message))
            mnl_attr_nest_end(message, list)
            try pages.commit()
        }
        numberParts(of: sequences, set: set, as: object)
    }

    private func writeElement(_ element: SetElement, keyWidth: Int, into message: UnsafeMutablePointer<nlmsghdr>) {
        guard let verdict = element.verdict else {
            BatchBuilder.writePlainElement(element, keyWidth: keyWidth, into: message)
            return
        }
        let entry = mnl_attr_nest_start(message, UInt16(NFTA_LIST_ELEM.rawValue))
        if element.endsInterval {
            mnl_attr_put_u32(message, UInt16(NFTA_SET_ELEM_FLAGS.rawValue),
                             UInt32(NFT_SET_ELEM_INTERVAL_END.rawValue).bigEndian)
        }
        let key = mnl_attr_nest_start(message, UInt16(NFTA_SET_ELEM_KEY.rawValue))
        withUnsafeBytes(of: element.key.bigEndian) { bytes in
            // The value sits in the last `keyWidth` bytes of the big-endian 128-bit number.
            mnl_attr_put(message, UInt16(NFTA_DATA_VALUE.rawValue), keyWidth, bytes.baseAddress! + (16 - keyWidth))
        }
        mnl_attr_nest_end(message, key)
        let data = mnl_attr_nest_start(message, UInt16(NFTA_SET_ELEM_DATA.rawValue))
        let nested = mnl_attr_nest_start(message, UInt16(NFTA_DATA_VERDICT.rawValue))
        mnl_attr_put_u32(message, UInt16(NFTA_VERDICT_CODE.rawValue), UInt32(bitPattern: verdict.code).bigEndian)
        if let chain = verdict.chain { mnl_attr_put_strz(message, UInt16(NFTA_VERDICT_CHAIN.rawValue), chain) }
        mnl_attr_nest_end(message, nested)
        mnl_attr_nest_end(message, data)
        if element.opensInterval {
            mnl_attr_put(message, UInt16(NFTA_SET_ELEM_USERDATA.rawValue), BatchBuilder.openIntervalUserData.count,
                         BatchBuilder.openIntervalUserData)
        }
        mnl_attr_nest_end(message, entry)
    }
}
