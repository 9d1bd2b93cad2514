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
        Array(IntervalElements(ranges: ranges, maximum: maximum, leadingZero: leadingZero))
    }

    /// The elements of an address interval set, made one at a time as they are written.
    static func intervals(_ ranges: [AddressRange], family: IPFamily, leadingZero: Bool = true)
        -> IntervalElements<LazyMapSequence<[AddressRange], (first: UInt128, last: UInt128)>> {
        IntervalElements(ranges: ranges.lazy.map { ($0.first.value, $0.last.value) }, maximum: family.maxValue,
                         leadingZero: leadingZero)
    }
}

/// The elements of an interval set (see `SetElement.intervals`), made as they are asked for: a 100k-prefix
/// table's 200k elements, made as an array first, took 10 MB of fresh memory on the way to the kernel.
struct IntervalElements<Ranges: Sequence>: Sequence where Ranges.Element == (first: UInt128, last: UInt128) {
    let ranges: Ranges
    let maximum: UInt128
    let leadingZero: Bool

    func makeIterator() -> Iterator {
        Iterator(ranges: ranges.makeIterator(), maximum: maximum, leadingZero: leadingZero)
    }

    struct Iterator: IteratorProtocol {
        var ranges: Ranges.Iterator
        let maximum: UInt128
        /// Whether the first range is still to come, with a leading end at 0 in front of it.
        var leadingZero: Bool
        /// Elements of the last range read that are still to be handed out, in order.
        var queued: (SetElement?, SetElement?) = (nil, nil)

        mutating func next() -> SetElement? {
            if let element = queued.0 {
                queued = (queued.1, nil)
                return element
            }
            guard let range = ranges.next() else { return nil }
            let start: SetElement, end: SetElement?
            if range.last == maximum {
                (start, end) = (SetElement(key: range.first, opensInterval: true), nil)
            } else {
                (start, end) = (SetElement(key: range.first), SetElement(key: range.last + 1, endsInterval: true))
            }
            if leadingZero {
                leadingZero = false
                if range.first != 0 {
                    queued = (start, end)
                    return SetElement(key: 0, endsInterval: true)
                }
            }
            queued = (end, nil)
            return start
        }
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
