import Foundation

/// Waits between polls of a resource: as long as the server's `Retry-After` says, else starting
/// fast (a test CA or a nearby RA validates in milliseconds) and backing off to one second.
struct Poller {
    let what: String
    let deadline: Date
    let limit: TimeInterval
    private var delay: TimeInterval = 0.02

    init(what: String, timeout: TimeInterval) {
        self.what = what
        limit = timeout
        deadline = Date().addingTimeInterval(timeout)
    }

    /// Sleeps before the next poll; throws when the next poll would come after the deadline.
    mutating func wait(retryAfter: TimeInterval?) throws {
        let pause = retryAfter ?? delay
        delay = min(delay * 2, 1)
        guard Date().addingTimeInterval(pause) < deadline else {
            throw ACMEError.timedOut(what: what, seconds: Int(limit))
        }
        Thread.sleep(forTimeInterval: pause)
    }
}
