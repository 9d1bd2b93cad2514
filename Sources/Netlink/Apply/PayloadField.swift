import CNetfilter
import NetworkAddresses
import Nftables

/// The header fields ztpol reads, with where they sit: the same table serves writing and reading back.
enum PayloadField: Hashable, CaseIterable {
    case address(Direction, IPFamily)
    case port(Direction)
    case icmpType

    static let allCases: [PayloadField] = [
        .address(.source, .ipv4), .address(.destination, .ipv4), .address(.source, .ipv6),
        .address(.destination, .ipv6), .port(.source), .port(.destination), .icmpType,
    ]

    var base: nft_payload_bases {
        switch self {
        case .address: NFT_PAYLOAD_NETWORK_HEADER
        case .port, .icmpType: NFT_PAYLOAD_TRANSPORT_HEADER
        }
    }

    var offset: UInt32 {
        switch self {
        case .address(let direction, .ipv4): direction == .source ? 12 : 16
        case .address(let direction, .ipv6): direction == .source ? 8 : 24
        case .port(let direction): direction == .source ? 0 : 2
        case .icmpType: 0
        }
    }

    var length: UInt32 {
        switch self {
        case .address(_, let family): UInt32(family.bitWidth / 8)
        case .port: 2
        case .icmpType: 1
        }
    }

    /// The field at this place, if ztpol knows it.
    init?(base: UInt32, offset: UInt32, length: UInt32) {
        guard let field = PayloadField.allCases.first(where: {
            $0.base.rawValue == base && $0.offset == offset && $0.length == length
        }) else { return nil }
        self = field
    }
}

/// The anonymous set nft writes for a match on several values: `tcp dport { 80, 443 }`.
struct AnonymousSet {
    let keyType: UInt32
    let keyWidth: Int
    let isInterval: Bool
    let elements: [SetElement]

    /// The set `match` needs, or nil when it compares a single value or range.
    init?(_ match: Match) {
        switch match {
        case .ports(_, _, let ranges) where ranges.count > 1:
            keyType = DataType.inetService
            keyWidth = 2
            // Like nft: an interval set only when a member is a range.
            isInterval = ranges.contains { $0.first != $0.last }
            let keys = ranges.map { (first: UInt128($0.first), last: UInt128($0.last)) }
            elements = isInterval
                ? SetElement.intervals(keys, maximum: UInt128(UInt16.max))
                : keys.map { SetElement(key: $0.first) }
        case .icmpTypes(let family, let types) where types.count > 1:
            keyType = family == .ipv4 ? DataType.icmpType : DataType.icmpv6Type
            keyWidth = 1
            isInterval = false
            elements = types.map { SetElement(key: UInt128($0)) }
        default:
            return nil
        }
    }
}
