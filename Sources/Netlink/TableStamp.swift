import Nftables

/// What ztpol writes into the user data of the table it applies: the table's fingerprint and the
/// ruleset generation that its commit creates. As long as that generation is still the current one,
/// nothing at all has been committed since, so the kernel holds exactly the table with that
/// fingerprint: a no-op can be recognised with two small requests instead of reading the table back.
///
/// nft shows only its own comment (user data type 0) and ignores these fields, so `nft list` is
/// unaffected. The kernel cannot change a table's user data after creating it, so an element-only
/// change leaves the stamp behind; `ElementChangeSummary.stamp` is the one to keep instead.
public struct TableStamp: Sendable, Hashable {
    public var fingerprint: UInt64
    public var generation: UInt32

    public init(fingerprint: UInt64, generation: UInt32) {
        self.fingerprint = fingerprint
        self.generation = generation
    }

    /// The generation a commit at `generation` creates: the kernel counts up and skips 0.
    static func generation(after generation: UInt32) -> UInt32 {
        generation == UInt32.max ? 1 : generation + 1
    }

    // User data types of their own, far from nft's (0, its comment).
    private static let fingerprintType: UInt8 = 0xf0
    private static let generationType: UInt8 = 0xf1

    var userData: [UserData.Field] {
        [.bytes(TableStamp.fingerprintType, withUnsafeBytes(of: fingerprint.bigEndian) { Array($0) }),
         .u32(TableStamp.generationType, generation)]
    }

    init?(userData: [UInt8: [UInt8]]) {
        guard let bytes = userData[TableStamp.fingerprintType], bytes.count == 8,
              let generation = UserData.u32(userData[TableStamp.generationType]) else { return nil }
        fingerprint = bytes.reduce(0) { $0 << 8 | UInt64($1) }
        self.generation = generation
    }
}
