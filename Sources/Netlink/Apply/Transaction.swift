import CNetfilter
import Glibc
import Nftables

/// What one transaction sent.
public struct BatchSummary: Sendable, Hashable {
    /// Messages between batch begin and end, each acknowledged by the kernel.
    public var messages: Int
    /// Bytes sent in the one `sendmsg`.
    public var bytes: Int
    /// Pages the batch was laid out in.
    public var pages: Int
    /// The ruleset generation this commit created.
    public var generation: UInt32
}

/// Sends a finished batch as one transaction and reads every acknowledgement.
///
/// The kernel handles the datagram inside `sendmsg` and queues one answer per message asking for an
/// acknowledgement, so all answers are there once `sendmsg` returns; they are read until every
/// message is accounted for. The kernel commits all or nothing: one refusal means nothing changed.
enum Transaction {
    /// `ERESTART`: the batch named a generation that is no longer current.
    static let generationMoved: Int32 = 85

    static func run(_ batch: BatchBuilder, on socket: NetlinkSocket) throws(NetlinkError) -> BatchSummary {
        let expected = Set(batch.objects.keys)
        let pages = batch.pages.pages
        // An acknowledgement costs the receive buffer about a kilobyte of bookkeeping.
        try socket.reserve(send: batch.pages.byteCount + 65536, receive: max(expected.count * 2048, 1 << 20))
        try socket.send(pages: pages)

        var acknowledged: Set<UInt32> = []
        var refusals: [Acknowledgement] = []
        var batchRefused = false
        func collect(_ message: UnsafePointer<nlmsghdr>) {
            guard let answer = Acknowledgement(message) else { return }
            if answer.errno == 0 {
                acknowledged.insert(answer.sequence)
            } else {
                refusals.append(answer)
                if answer.sequence == batch.beginSequence { batchRefused = true }
            }
        }
        var answered: Set<UInt32> { acknowledged.union(refusals.map(\.sequence)) }
        while !batchRefused && !expected.isSubset(of: answered) {
            try socket.receive(wait: true, collect)
        }
        // Anything still queued (further refusals) belongs to this batch too.
        while try socket.receive(wait: false, collect) {}

        if let refusal = refusals.min(by: { $0.sequence < $1.sequence }) {
            throw error(for: refusal, in: batch)
        }
        let missing = expected.subtracting(acknowledged)
        guard missing.isEmpty else {
            throw NetlinkError(.malformedReply, detail: "no acknowledgement for \(missing.count) messages")
        }
        return BatchSummary(messages: expected.count, bytes: batch.pages.byteCount, pages: pages.count,
                            generation: TableStamp.generation(after: batch.generation))
    }

    /// The refusal as an error naming the object and, when the kernel said, the attribute.
    static func error(for refusal: Acknowledgement, in batch: BatchBuilder) -> NetlinkError {
        if refusal.sequence == batch.beginSequence && refusal.errno == generationMoved {
            return NetlinkError(.rulesetChanged, errno: refusal.errno, detail: "the generation it was read at is gone")
        }
        var attribute: String?
        if let offset = refusal.attributeOffset, let message = batch.pages.message(withSequence: refusal.sequence) {
            attribute = AttributeLocator.describe(offset: offset, in: message)
        }
        let detail = refusal.text.flatMap { $0.isEmpty ? nil : $0 }
        return NetlinkError(.rejected, errno: refusal.errno, object: batch.objects[refusal.sequence],
                            attribute: attribute, detail: detail)
    }
}
