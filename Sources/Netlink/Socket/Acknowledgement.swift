import CNetfilter
import Glibc

/// The kernel's answer to one message of ours: an `NLMSG_ERROR` whose error is 0 for success.
struct Acknowledgement {
    /// The sequence number of the message answered.
    let sequence: UInt32
    /// 0, or the positive errno of the refusal.
    let errno: Int32
    /// Extended ack: where in the refused message the offending attribute starts, in bytes.
    let attributeOffset: Int?
    /// Extended ack: the kernel's own words, which nf_tables rarely gives.
    let text: String?

    /// The acknowledgement in `message`, or nil when it is not an `NLMSG_ERROR`.
    init?(_ message: UnsafePointer<nlmsghdr>) {
        guard message.pointee.nlmsg_type == UInt16(NLMSG_ERROR) else { return nil }
        let raw = UnsafeRawPointer(message)
        let length = Int(message.pointee.nlmsg_len)
        let headerSize = MemoryLayout<nlmsghdr>.size
        // struct nlmsgerr: the error, then the header of the message answered.
        guard length >= headerSize + 4 + headerSize else { return nil }
        let error = raw.loadUnaligned(fromByteOffset: headerSize, as: Int32.self)
        let answered = raw.loadUnaligned(fromByteOffset: headerSize + 4, as: nlmsghdr.self)
        sequence = answered.nlmsg_seq
        errno = -error
        var offset: Int?
        var text: String?
        if Int32(message.pointee.nlmsg_flags) & NLM_F_ACK_TLVS != 0 {
            // Without NLM_F_CAPPED the whole refused message is echoed before the attributes.
            let echoed = Int32(message.pointee.nlmsg_flags) & NLM_F_CAPPED != 0
                ? 0 : Int(answered.nlmsg_len) - headerSize
            var cursor = headerSize + 4 + headerSize + max(0, echoed)
            while cursor + 4 <= length {
                let attributeLength = Int(raw.loadUnaligned(fromByteOffset: cursor, as: UInt16.self))
                let type = Int32(raw.loadUnaligned(fromByteOffset: cursor + 2, as: UInt16.self))
                guard attributeLength >= 4, cursor + attributeLength <= length else { break }
                let value = UnsafeRawBufferPointer(start: raw + cursor + 4, count: attributeLength - 4)
                if type == Int32(NLMSGERR_ATTR_OFFS.rawValue), value.count == 4 {
                    offset = Int(value.loadUnaligned(as: UInt32.self))
                } else if type == Int32(NLMSGERR_ATTR_MSG.rawValue) {
                    text = String(decoding: value.prefix { $0 != 0 }, as: UTF8.self)
                }
                cursor += (attributeLength + 3) & ~3
            }
        }
        attributeOffset = offset
        self.text = text
    }
}
