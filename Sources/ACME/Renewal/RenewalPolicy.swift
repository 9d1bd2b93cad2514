import Foundation

/// Decides whether a certificate is due for renewal.
///
/// With ARI the CA's window rules: a uniformly random moment inside it is chosen (RFC 9773 §4.2),
/// so that a fleet spreads its requests, and the certificate is due once that moment has passed.
/// Without ARI the certificate is due when a third of its lifetime is left, which renews a 90-day
/// certificate 30 days ahead and a 24-hour one (step-ca's default) 8 hours ahead.
public enum RenewalPolicy {
    public struct Decision: Sendable, Equatable {
        public let due: Bool
        /// Why, for the progress line: which rule and the moment it names.
        public let reason: String
    }

    static func decide(notBefore: Date, notAfter: Date, window: RenewalInfo.Window?, now: Date,
                       random: (ClosedRange<Double>) -> Double = { Double.random(in: $0) }) -> Decision {
        if let window, window.end > window.start {
            let moment = window.start.addingTimeInterval(
                random(0...window.end.timeIntervalSince(window.start)))
            if now >= moment {
                return Decision(due: true, reason: "the CA's renewal window opened (\(stamp(window.start)))")
            }
            return Decision(due: false,
                            reason: "the CA's renewal window is \(stamp(window.start)) to \(stamp(window.end))")
        }
        let lifetime = notAfter.timeIntervalSince(notBefore)
        let renewAt = notAfter.addingTimeInterval(-lifetime / 3)
        if now >= renewAt {
            return Decision(due: true, reason: "less than a third of its lifetime is left (expires \(stamp(notAfter)))")
        }
        return Decision(due: false, reason: "renewal due from \(stamp(renewAt))")
    }

    private static func stamp(_ date: Date) -> String {
        ISO8601DateFormatter().string(from: date)
    }
}
