/// What a user can tune about the compiled ruleset without touching the policy.
public struct CompilerOptions: Sendable, Hashable {
    /// Name of the `inet` table ztpol owns; nothing outside it is ever touched.
    public var tableName: String
    /// Log dropped packets (rate limited) in addition to counting them.
    public var logDropped: Bool
    /// Log lines per minute per chain when `logDropped` is on.
    public var logRatePerMinute: UInt32

    public init(tableName: String = "ztpol", logDropped: Bool = false, logRatePerMinute: UInt32 = 10) {
        self.tableName = tableName
        self.logDropped = logDropped
        self.logRatePerMinute = logRatePerMinute
    }
}

extension CompilerOptions {
    /// Every option in one unambiguous line, for digests of what a table was compiled with. A new option
    /// must be added here (a test counts the fields).
    public var identity: String {
        "table \(tableName.utf8.count):\(tableName) log-dropped \(logDropped) log-rate \(logRatePerMinute)"
    }
}
