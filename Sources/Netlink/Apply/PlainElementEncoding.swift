import CNetfilter

// An element of a plain set (no verdict) written straight at the message's tail. These are the bytes
// libmnl's attribute calls write (NetlinkTests compare the two), but a 100k-prefix table has 200k such
// elements, and a library call per attribute (and a user-data array per open interval) made writing
// them 60M instructions, nearly a quarter of a warm apply's own work.

extension BatchBuilder {
    /// nft's user data for the element that starts the last interval:
    /// NFTNL_UDATA_SET_ELEM_FLAGS = NFTNL_SET_ELEM_F_INTERVAL_OPEN, a 4-byte value in host order.
    static let openIntervalUserData: [UInt8] = [UInt8(NFTNL_UDATA_SET_ELEM_FLAGS.rawValue), 4]
        + withUnsafeBytes(of: UInt32(NFTNL_SET_ELEM_F_INTERVAL_OPEN.rawValue)) { Array($0) }

    /// The list entry of `element`, which has no verdict: its flags when it ends an interval, its key in
    /// the last `keyWidth` bytes of the big-endian number, its user data when it opens the last interval.
    /// Fixed-size stores rather than memcpy and memset calls: a few bytes at a time, 200k times over.
    static func writePlainElement(_ element: SetElement, keyWidth: Int, into message: UnsafeMutablePointer<nlmsghdr>) {
        precondition(element.verdict == nil)
        writePlainElement(key: element.key, endsInterval: element.endsInterval, opensInterval: element.opensInterval,
                          keyWidth: keyWidth, into: message)
    }

    /// The same for an element given by its parts, as an address set's ranges give them.
    @inline(__always)
    static func writePlainElement(key: UInt128, endsInterval: Bool, opensInterval: Bool, keyWidth: Int,
                                  into message: UnsafeMutablePointer<nlmsghdr>) {
        let base = UnsafeMutableRawPointer(message)
        let entry = Int(message.pointee.nlmsg_len)
        var tail = entry + headerSize
        if endsInterval {
            writeHeader(base, at: &tail, type: NFTA_SET_ELEM_FLAGS.rawValue, payload: 4)
            let flags = UInt32(NFT_SET_ELEM_INTERVAL_END.rawValue).bigEndian
            base.storeBytes(of: flags, toByteOffset: tail, as: UInt32.self)
            tail += 4
        }
        let keyNest = tail
        tail += headerSize
        writeHeader(base, at: &tail, type: NFTA_DATA_VALUE.rawValue, payload: keyWidth)
        switch keyWidth {
        case 2:  // a port, zero-padded to 4 bytes
            base.storeBytes(of: UInt16(truncatingIfNeeded: key).bigEndian, toByteOffset: tail, as: UInt16.self)
            base.storeBytes(of: 0, toByteOffset: tail + 2, as: UInt16.self)
        case 4:
            base.storeBytes(of: UInt32(truncatingIfNeeded: key).bigEndian, toByteOffset: tail, as: UInt32.self)
        case 16:
            base.storeBytes(of: UInt64(truncatingIfNeeded: key >> 64).bigEndian, toByteOffset: tail,
                            as: UInt64.self)
            base.storeBytes(of: UInt64(truncatingIfNeeded: key).bigEndian, toByteOffset: tail + 8,
                            as: UInt64.self)
        default:  // protocol numbers, ICMP types: byte by byte, zero-padded
            precondition(keyWidth <= 16, "keys are at most 16 bytes")
            for index in 0..<((keyWidth + 3) & ~3) {
                let shift = (keyWidth - 1 - index) * 8
                base.storeBytes(of: index < keyWidth ? UInt8(truncatingIfNeeded: key >> shift) : 0,
                                toByteOffset: tail + index, as: UInt8.self)
            }
        }
        tail += (keyWidth + 3) & ~3
        closeNest(base, from: keyNest, to: tail, type: NFTA_SET_ELEM_KEY.rawValue)
        if opensInterval {
            let userData = openIntervalUserData
            writeHeader(base, at: &tail, type: NFTA_SET_ELEM_USERDATA.rawValue, payload: userData.count)
            let padded = (userData.count + 3) & ~3
            (base + tail).initializeMemory(as: UInt8.self, repeating: 0, count: padded)
            userData.withUnsafeBytes { (base + tail).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
            tail += padded
        }
        closeNest(base, from: entry, to: tail, type: NFTA_LIST_ELEM.rawValue)
        message.pointee.nlmsg_len = UInt32(tail)
    }

    private static let headerSize = MemoryLayout<nlattr>.size

    /// An attribute header for `payload` bytes at `offset`, which then moves past the header.
    private static func writeHeader(_ base: UnsafeMutableRawPointer, at offset: inout Int, type: UInt32, payload: Int) {
        base.storeBytes(of: UInt16(headerSize + payload), toByteOffset: offset, as: UInt16.self)
        base.storeBytes(of: UInt16(type), toByteOffset: offset + 2, as: UInt16.self)
        offset += headerSize
    }

    /// The header of a nest that starts at `start` and holds everything up to `end`, flagged nested as
    /// libmnl flags it.
    private static func closeNest(_ base: UnsafeMutableRawPointer, from start: Int, to end: Int, type: UInt32) {
        var offset = start
        writeHeader(base, at: &offset, type: type | UInt32(NLA_F_NESTED), payload: end - start - headerSize)
    }
}
