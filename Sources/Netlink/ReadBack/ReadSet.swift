import CNetfilter
import Glibc

/// A set as the kernel lists it: its attributes and its elements as stored (interval ends included).
struct ReadSet {
    let name: String
    let flags: UInt32
    let keyType: UInt32
    let keyLength: Int
    let comment: String?
    /// Elements in the order the kernel sent them (an interval set's come highest key first).
    var keys: [(key: UInt128, isEnd: Bool)] = []

    var isInterval: Bool { flags & UInt32(NFT_SET_INTERVAL.rawValue) != 0 }
    var isAnonymous: Bool { flags & UInt32(NFT_SET_ANONYMOUS.rawValue) != 0 }

    init(_ set: borrowing NftnlSet) {
        name = set.string(attribute(NFTNL_SET_NAME)) ?? ""
        flags = set.integer(attribute(NFTNL_SET_FLAGS), as: UInt32.self) ?? 0
        keyType = set.integer(attribute(NFTNL_SET_KEY_TYPE), as: UInt32.self) ?? 0
        keyLength = Int(set.integer(attribute(NFTNL_SET_KEY_LEN), as: UInt32.self) ?? 0)
        let userData = set.bytes(attribute(NFTNL_SET_USERDATA)).map(UserData.decode) ?? [:]
        comment = UserData.string(userData[UInt8(NFTNL_UDATA_SET_COMMENT.rawValue)])
    }

    /// The intervals the elements stand for, lowest first: each start pairs with the end element
    /// after it (one past the interval), a start with no end runs to `maximum`, and nft's leading
    /// end element at 0 pairs with nothing. Elements of a set without intervals are single keys.
    func ranges(maximum: UInt128) -> [(first: UInt128, last: UInt128)] {
        guard isInterval else { return keys.map { ($0.key, $0.key) }.sorted { $0.first < $1.first } }
        // At equal keys an end comes before a start: [a, b) then [b, c) when two intervals touch.
        let before = { (a: (key: UInt128, isEnd: Bool), b: (key: UInt128, isEnd: Bool)) in
            a.key < b.key || (a.key == b.key && a.isEnd && !b.isEnd)
        }
        var sorted = Array(keys.reversed())
        if !zip(sorted, sorted.dropFirst()).allSatisfy({ !before($1, $0) }) { sorted.sort(by: before) }
        var ranges: [(first: UInt128, last: UInt128)] = []
        ranges.reserveCapacity(sorted.count / 2 + 1)
        var start: UInt128?
        for element in sorted {
            if element.isEnd {
                if let first = start, element.key > first { ranges.append((first, element.key - 1)) }
                start = nil
            } else {
                if let first = start { ranges.append((first, first)) }
                start = element.key
            }
        }
        if let first = start { ranges.append((first, maximum)) }
        return ranges
    }
}

extension NftnlObject where Calls == SetCalls {
    /// Calls `body` with the key and flags of each element of a set-element message.
    static func forEachElement(in message: UnsafePointer<nlmsghdr>,
                               _ body: (UnsafeRawBufferPointer, UInt32) -> Void) throws(NetlinkError) {
        let set = try NftnlSet()
        guard nftnl_set_elems_nlmsg_parse(message, set.pointer) >= 0 else {
            throw .system("nftnl_set_elems_nlmsg_parse")
        }
        guard let iterator = nftnl_set_elems_iter_create(set.pointer) else {
            throw .system("nftnl_set_elems_iter_create")
        }
        defer { nftnl_set_elems_iter_destroy(iterator) }
        while let element = nftnl_set_elems_iter_next(iterator) {
            var length: UInt32 = 0
            guard let key = nftnl_set_elem_get(element, UInt16(NFTNL_SET_ELEM_KEY), &length) else { continue }
            let flags = nftnl_set_elem_is_set(element, UInt16(NFTNL_SET_ELEM_FLAGS))
                ? nftnl_set_elem_get_u32(element, UInt16(NFTNL_SET_ELEM_FLAGS)) : 0
            body(UnsafeRawBufferPointer(start: key, count: Int(length)), flags)
        }
    }
}
