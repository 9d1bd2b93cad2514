import CNetfilter
import Glibc
import NetworkAddresses
import Nftables

/// One element as the kernel keeps it in a set. An interval set stores an interval as two elements:
/// its first key, and the key one past its end flagged as an interval end.
struct SetElement: Hashable {
    /// The key as a number; it is written big-endian in the set's key width.
    var key: UInt128
    var endsInterval = false
    /// Starts the last interval, which runs to the top of the key space so no end element follows.
    /// nft records this in the element's user data to list the interval correctly.
    var opensInterval = false
    /// The value of a verdict map's element; nil in a plain set and on interval ends.
    var verdict: KernelVerdict?

    /// The elements for sorted, disjoint ranges of keys up to `maximum`, as nft writes them: a
    /// leading end element at 0 (when `leadingZero` and the first range does not start there), then
    /// start and end+1 of each range.
    static func intervals(_ ranges: [(first: UInt128, last: UInt128)], maximum: UInt128,
                          leadingZero: Bool = true) -> [SetElement] {
        var elements: [SetElement] = []
        elements.reserveCapacity(ranges.count * 2 + 1)
        if leadingZero, let first = ranges.first, first.first != 0 {
            elements.append(SetElement(key: 0, endsInterval: true))
        }
        for range in ranges {
            if range.last == maximum {
                elements.append(SetElement(key: range.first, opensInterval: true))
            } else {
                elements.append(SetElement(key: range.first))
                elements.append(SetElement(key: range.last + 1, endsInterval: true))
            }
        }
        return elements
    }

    /// The elements of an address interval set.
    static func intervals(_ ranges: [AddressRange], family: IPFamily, leadingZero: Bool = true) -> [SetElement] {
        intervals(ranges.map { ($0.first.value, $0.last.value) }, maximum: family.maxValue, leadingZero: leadingZero)
    }
}

/// A verdict as the kernel takes it, in an `immediate` expression or a map element (`NFTA_DATA_VERDICT`):
/// its code, and the chain of a jump.
struct KernelVerdict: Hashable {
    var code: Int32
    var chain: String?

    /// nil for what is no single verdict (a map, `continue`).
    init?(_ verdict: Verdict) {
        switch verdict {
        case .accept: code = NF_ACCEPT
        case .drop: code = NF_DROP
        case .return: code = NFT_RETURN.rawValue
        case .jump(let target):
            code = NFT_JUMP.rawValue
            chain = target
        case .map, .continue: return nil
        }
    }

    init(code: Int32, chain: String?) {
        self.code = code
        self.chain = chain
    }

    /// The model's verdict, or nil for a code ztpol never writes (goto, queue, ...).
    var verdict: Verdict? {
        switch code {
        case NF_ACCEPT: .accept
        case NF_DROP: .drop
        case NFT_RETURN.rawValue: .return
        case NFT_JUMP.rawValue: chain.map { .jump($0) }
        default: nil
        }
    }
}
