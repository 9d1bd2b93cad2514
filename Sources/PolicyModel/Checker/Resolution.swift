/// Memoised resolution of named declarations that may refer to each other (zones in zones, services in
/// services), with the chain of names being resolved kept so that a cycle can be named in full.
struct Resolution<Value> {
    private var results: [String: Value?] = [:]
    private var chain: [String] = []
    private var reportedCycles: Set<Set<String>> = []

    /// The result for `name` if it is already resolved (nil inside when it failed).
    func result(_ name: String) -> Value?? { results[name] }

    /// When `name` is being resolved further up the chain: the cycle from it back to itself.
    func cycle(to name: String) -> [String]? {
        chain.firstIndex(of: name).map { Array(chain[$0...]) + [name] }
    }

    /// Whether this cycle is new (each cycle is reported once, whichever member it was entered from).
    mutating func isNewCycle(_ path: [String]) -> Bool { reportedCycles.insert(Set(path)).inserted }

    mutating func begin(_ name: String) { chain.append(name) }

    /// How many names may be nested in one another. Resolution recurses once per level, so without a bound a
    /// long generated chain would overflow the stack (a crash, not a diagnostic); real policies nest a few.
    static var maximumDepth: Int { 64 }
    private var reportedTooDeep = false

    /// Nil while one more level fits. Otherwise the chain being resolved the first time the limit is hit
    /// (to report), and an empty chain after that (already reported: stay quiet).
    mutating func tooDeep() -> [String]? {
        guard chain.count >= Self.maximumDepth else { return nil }
        defer { reportedTooDeep = true }
        return reportedTooDeep ? [] : chain
    }

    mutating func finish(_ name: String, with value: Value?) {
        chain.removeLast()
        results[name] = .some(value)
    }
}
