import Dispatch

/// A map over independent items on every core: the machines ztpol targets have two or more, and a first
/// apply of a large policy spends most of its own time parsing statements that do not depend on each other
/// (`IncrementalLoader`), and every apply renders a thousand rules to fingerprint its table.
public enum ParallelMap {
    /// `transform` applied to every element of `items`, in their order. `transform` runs on several threads
    /// at once, so it must only read what it shares.
    public static func map<Result>(_ items: Range<Int>, _ transform: (Int) -> Result) -> [Result] {
        guard items.count > 1 else { return items.map(transform) }
        let results = Slots<Result>(count: items.count)
        withoutActuallyEscaping(transform) { transform in
            let shared = UncheckedBox(transform)
            DispatchQueue.concurrentPerform(iterations: items.count) { offset in
                results.store(shared.value(items.lowerBound + offset), at: offset)
            }
        }
        return results.values()
    }
}

/// One slot per result, each written by exactly one thread and read only after all of them finished. The
/// memory is allocated once and never moves (an array's would, on a write through it).
private final class Slots<Value>: @unchecked Sendable {
    private let slots: UnsafeMutablePointer<Value?>
    private let count: Int

    init(count: Int) {
        self.count = count
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil, count: count)
    }

    deinit {
        slots.deinitialize(count: count)
        slots.deallocate()
    }

    func store(_ value: Value, at index: Int) { slots[index] = value }

    func values() -> [Value] { (0..<count).map { slots[$0]! } }
}

/// A value handed to other threads that the caller promises they only read.
private struct UncheckedBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
