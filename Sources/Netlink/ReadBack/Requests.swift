import CNetfilter
import Glibc

extension NetlinkSocket {
    /// Sends one get request and calls `body` with each object the kernel returns. With `dump`, the
    /// kernel returns every matching object and ends with `NLMSG_DONE`; without, one object and an
    /// acknowledgement. A dump interrupted by a concurrent change is reported as `.rulesetChanged`.
    func request(_ type: nf_tables_msg_types, family: UInt16, dump: Bool,
                 build: (UnsafeMutablePointer<nlmsghdr>) throws(NetlinkError) -> Void = { _ in },
                 _ body: (UnsafePointer<nlmsghdr>) throws(NetlinkError) -> Void) throws(NetlinkError) {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096, alignment: 16)
        defer { buffer.deallocate() }
        let sequence = nextSequence()
        let flags = UInt16(dump ? NLM_F_DUMP : NLM_F_ACK)
        let message = nftnl_nlmsg_build_hdr(buffer.baseAddress!.assumingMemoryBound(to: CChar.self),
                                            UInt16(type.rawValue), family, flags, sequence)!
        try build(message)
        try send(message: UnsafeRawBufferPointer(start: message, count: Int(message.pointee.nlmsg_len)))

        var done = false
        var interrupted = false
        while !done {
            try receive { (reply) throws(NetlinkError) in
                // A late answer to an earlier request is not ours to read.
                guard reply.pointee.nlmsg_seq == sequence, !done else { return }
                if Int32(reply.pointee.nlmsg_flags) & NLM_F_DUMP_INTR != 0 { interrupted = true }
                switch Int32(reply.pointee.nlmsg_type) {
                case NLMSG_DONE:
                    done = true
                case NLMSG_ERROR:
                    done = true
                    if let answer = Acknowledgement(reply), answer.errno != 0 {
                        throw NetlinkError(.systemCall, call: NetlinkSocket.name(of: type), errno: answer.errno)
                    }
                default:
                    try body(reply)
                }
            }
        }
        if interrupted {
            throw NetlinkError(.rulesetChanged, detail: "the ruleset changed during a dump")
        }
    }

    /// The request's name in the kernel's headers, for errors.
    static func name(of type: nf_tables_msg_types) -> String {
        switch type {
        case NFT_MSG_GETTABLE: "NFT_MSG_GETTABLE"
        case NFT_MSG_GETSET: "NFT_MSG_GETSET"
        case NFT_MSG_GETSETELEM: "NFT_MSG_GETSETELEM"
        case NFT_MSG_GETCHAIN: "NFT_MSG_GETCHAIN"
        case NFT_MSG_GETRULE: "NFT_MSG_GETRULE"
        case NFT_MSG_GETGEN: "NFT_MSG_GETGEN"
        default: "nftables request \(type.rawValue)"
        }
    }

    /// The ruleset's generation: the kernel counts every commit.
    func generation() throws(NetlinkError) -> UInt32 {
        var generation: UInt32?
        try request(NFT_MSG_GETGEN, family: UInt16(AF_UNSPEC), dump: false) { (reply) throws(NetlinkError) in
            let parsed = try NftnlGeneration(parsing: reply)
            generation = parsed.integer(attribute(NFTNL_GEN_ID), as: UInt32.self)
        }
        guard let generation else { throw NetlinkError(.malformedReply, detail: "no generation in the reply") }
        return generation
    }
}
