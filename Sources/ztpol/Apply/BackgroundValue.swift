import Dispatch

/// A value computed on another core while the caller goes on; `value` waits for it. A caller that finds
/// it does not need the value simply never asks, and does not wait.
final class BackgroundValue<Value>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    // Written once by the computing thread before `done` is signalled, read only after waiting for it.
    private var result: Value?

    init(_ compute: @escaping @Sendable () -> Value) {
        DispatchQueue.global().async { [self] in
            result = compute()
            done.signal()
        }
    }

    var value: Value {
        done.wait()
        done.signal()  // for the next reader
        return result!
    }
}
