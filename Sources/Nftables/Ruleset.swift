import NetworkAddresses

/// An nftables program as ztpol writes it: one table with its named sets and chains. (Codable: the
/// bootstrap saves the table it replaces, so that another process can put it back.)
///
/// This value is the meeting point of the pipeline's back half: the compiler produces it, the
/// renderer prints it in nft's syntax, the netlink stage turns it into one batch and reads the kernel's
/// table back into it, and diffs compare two of them. It models only what ztpol emits.
public struct Table: Sendable, Hashable, Codable {
    public var family: TableFamily
    public var name: String
    public var sets: [NamedSet]
    public var chains: [Chain]
    /// Objects found in the kernel's table that this model cannot express (a set of ports, a nat
    /// chain), described in nft's words so a diff can show them. Always empty in a compiled table.
    public var unrecognised: [String]

    public init(family: TableFamily = .inet, name: String, sets: [NamedSet] = [], chains: [Chain] = [],
                unrecognised: [String] = []) {
        self.family = family
        self.name = name
        self.sets = sets
        self.chains = chains
        self.unrecognised = unrecognised
    }

    /// Number of rules over all chains.
    public var ruleCount: Int { chains.reduce(0) { $0 + $1.rules.count } }

    /// Number of elements over all named sets (each interval counts once).
    public var elementCount: Int { sets.reduce(0) { $0 + $1.elements.count } }
}

/// nftables table families; ztpol's own table is always `inet` (both IP families in one table).
public enum TableFamily: String, Sendable, Hashable, Codable {
    case inet, ip, ip6
}

/// A named set of addresses: `set web_v4 { type ipv4_addr; flags interval; elements = { ... } }`.
public struct NamedSet: Sendable, Hashable, Codable {
    public var name: String
    public var family: IPFamily
    /// Normalised (sorted, disjoint, non-adjacent) ranges, which is what an interval set must hold.
    public var elements: [AddressRange]
    /// Text written as the set's comment, e.g. the zone it was made from.
    public var comment: String?

    public init(name: String, family: IPFamily, elements: [AddressRange], comment: String? = nil) {
        self.name = name
        self.family = family
        self.elements = elements
        self.comment = comment
    }

    /// nft's name of the key type.
    public var keyType: String { family == .ipv4 ? "ipv4_addr" : "ipv6_addr" }
}

/// Where a base chain hooks into the stack.
public enum Hook: String, Sendable, Hashable, Codable, CaseIterable {
    case input, output, forward
}

/// A chain: a base chain when it has a hook, else a regular chain reached by `jump`.
public struct Chain: Sendable, Hashable, Codable {
    public struct Base: Sendable, Hashable, Codable {
        public var hook: Hook
        public var priority: Int32
        public var policy: Verdict

        public init(hook: Hook, priority: Int32 = 0, policy: Verdict) {
            self.hook = hook
            self.priority = priority
            self.policy = policy
        }
    }

    public var name: String
    public var base: Base?
    public var rules: [Rule]

    public init(name: String, base: Base? = nil, rules: [Rule] = []) {
        self.name = name
        self.base = base
        self.rules = rules
    }
}

/// What a rule, or a base chain's policy, does with a packet.
public indirect enum Verdict: Sendable, Hashable, Codable {
    case accept
    case drop
    case jump(String)
    case `return`
    /// The verdict of the entry the packet's port falls in (`tcp dport vmap { ... }`); none when it
    /// falls in no entry. Only as a rule's verdict.
    case map(VerdictMap)
    /// No verdict: the packet goes on to the next rule (a rule that only logs or counts).
    case `continue`
}

/// One rule: every match must hold; then the statements run in order, ending in the verdict.
public struct Rule: Sendable, Hashable, Codable {
    public var matches: [Match]
    /// Count packets and bytes that reach the verdict.
    public var counter: Bool
    /// Log with this prefix (rate limited) before the verdict.
    public var log: LogStatement?
    public var verdict: Verdict
    /// Shown by `nft list`; ztpol writes the policy line the rule comes from.
    public var comment: String?

    public init(_ matches: [Match], counter: Bool = false, log: LogStatement? = nil, verdict: Verdict,
                comment: String? = nil) {
        self.matches = matches
        self.counter = counter
        self.log = log
        self.verdict = verdict
        self.comment = comment
    }
}

/// `limit rate N/minute log prefix "..."`.
public struct LogStatement: Sendable, Hashable, Codable {
    public var prefix: String
    public var ratePerMinute: UInt32

    public init(prefix: String, ratePerMinute: UInt32) {
        self.prefix = prefix
        self.ratePerMinute = ratePerMinute
    }
}

/// Connection-tracking states ztpol matches on.
public struct ConnectionState: OptionSet, Sendable, Hashable, Codable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    // The kernel's NF_CT_STATE_* bits.
    public static let invalid = ConnectionState(rawValue: 1 << 0)
    public static let established = ConnectionState(rawValue: 1 << 1)
    public static let related = ConnectionState(rawValue: 1 << 2)
    public static let new = ConnectionState(rawValue: 1 << 3)
    public static let untracked = ConnectionState(rawValue: 1 << 6)
}

/// Which address or port of a packet a match reads.
public enum Direction: String, Sendable, Hashable, Codable {
    case source, destination
}

/// Layer-4 protocols ztpol matches on, with their IANA numbers.
public enum L4Protocol: UInt8, Sendable, Hashable, Codable, Comparable {
    case icmp = 1
    case tcp = 6
    case udp = 17
    case icmpv6 = 58

    public var name: String {
        switch self {
        case .icmp: "icmp"
        case .tcp: "tcp"
        case .udp: "udp"
        case .icmpv6: "ipv6-icmp"
        }
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// One condition of a rule. Each case is one nft selector and maps to a fixed netlink expression list,
/// so that rendering, building and reading back stay in step.
public enum Match: Sendable, Hashable, Codable {
    /// `iifname "lo"` / `oifname "lo"`.
    case interface(Direction, name: String)
    /// `ct state established,related` (or a single state).
    case connectionState(ConnectionState)
    /// `meta nfproto ipv4`.
    case family(IPFamily)
    /// `meta l4proto tcp`.
    case l4Protocol(L4Protocol)
    /// `ip saddr @set` / `ip6 daddr @set`: membership in a named set of this table.
    case addressInSet(Direction, IPFamily, set: String)
    /// `tcp dport 443` / `udp dport { 53, 8000-8999 }`: ranges are normalised, never empty.
    case ports(L4Protocol, Direction, [PortRange])
    /// `icmp type { echo-request }` / `icmpv6 type { nd-neighbor-solicit }` by number.
    case icmpTypes(IPFamily, [UInt8])
    /// Expressions read back from the kernel that no case above describes (someone edited the table
    /// with nft), in libnftnl's debug notation, e.g. `[meta load mark => reg 1] [cmp eq reg 1 0x1]`.
    case unrecognised(String)
}
