import CNetfilter
import Glibc
import Nftables

/// What one transaction sent.
public struct BatchSummary: Sendable, Hashable {
    /// Object messages between batch begin and end.
    public var messages: Int
    /// Bytes sent in the one `sendmsg`.
    public var bytes: Int
    /// Pages the batch was laid out in.
    public var pages: Int
    /// The ruleset generation this commit created.
    public var generation: UInt32
}

/// Sends a finished batch as one transaction and reads the kernel's answers.
///
/// The kernel handles the datagram inside `sendmsg` and queues its answers in order: a refusal for each
/// message it refused, then the acknowledgement (or refusal) of the last message, the only one that asks
/// for one. All are there once `sendmsg` returns. The kernel commits all or nothing: one refusal means
/// nothing changed.
enum Transaction {
    /// `ERESTART`: the batch named a generation that is no longer current.
    static let generationMoved: Int32 = 85

    static func run(_ batch: BatchBuilder, on socket: NetlinkSocket) throws(NetlinkError) -> BatchSummary {
        let pages = batch.pages.pages
        // Room for a refusal of every message: each costs the receive buffer about a kilobyte of bookkeeping.
        try socket.reserve(send: batch.pages.byteCount + 65536, receive: max(batch.objects.count * 2048, 1 << 20))
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
        // A batch of no objects asks for nothing, and the kernel then answers nothing.
        let last = batch.lastSequence
        var lastAnswered: Bool {
            guard let last else { return true }
            return acknowledged.contains(last) || refusals.contains { $0.sequence == last }
        }
        while !batchRefused && !lastAnswered {
            try socket.receive(wait: true, collect)
        }
        // Anything still queued (further refusals) belongs to this batch too.
        while try socket.receive(wait: false, collect) {}

        if let refusal = refusals.min(by: { $0.sequence < $1.sequence }) {
            throw error(for: refusal, in: batch)
        }
        return BatchSummary(messages: batch.objects.count, bytes: batch.pages.byteCount, pages: pages.count,
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
