import CNetfilter
import NetworkAddresses

// The elements of an address set, written straight from its ranges: the messages that
// `addElements(SetElement.intervals(ranges, family:), ...)` writes, byte for byte (NetlinkTests compare the
// two), without a `SetElement` and a generic sequence between each range and its bytes. Through those, the
// 200k elements of a 100k-prefix table took 44M instructions, the longest stretch of a first apply's own
// work that runs on one core.

extension BatchBuilder {
    /// Adds (or with `delete`, deletes) the interval elements of `ranges` (sorted and disjoint) to set `set`,
    /// with a leading end element at 0 unless `leadingZero` is false or the first range starts there.
    func addAddressIntervals(_ ranges: [AddressRange], family: IPFamily, leadingZero: Bool = true, to set: String,
                             setID: UInt32? = nil, delete: Bool = false) throws(NetlinkError) {
        let keyWidth = family.bitWidth / 8
        let maximum = family.maxValue
        // Where the writing stands: the leading end still to come, the next range, or the end of the range
        // before it (one past its last address).
        var leading = leadingZero && !ranges.isEmpty && ranges[0].first.value != 0
        var index = 0
        var pendingEnd: UInt128?
        try addElementMessages(to: set, setID: setID, delete: delete, as: nil,
                               while: { leading || pendingEnd != nil || index < ranges.count }) { message, listStart in
            while leading || pendingEnd != nil || index < ranges.count,
                  Int(message.pointee.nlmsg_len) - listStart + BatchBuilder.largestElement
                    <= BatchBuilder.elementListLimit {
                if leading {
                    leading = false
                    BatchBuilder.writePlainElement(key: 0, endsInterval: true, opensInterval: false, keyWidth: keyWidth,
                                                   into: message)
                } else if let end = pendingEnd {
                    pendingEnd = nil
                    BatchBuilder.writePlainElement(key: end, endsInterval: true, opensInterval: false,
                                                   keyWidth: keyWidth, into: message)
                } else {
                    let range = ranges[index]
                    index += 1
                    // The range that reaches the top of the family has no end element: its start opens it.
                    let last = range.last.value
                    let opens = last == maximum
                    if !opens { pendingEnd = last + 1 }
                    BatchBuilder.writePlainElement(key: range.first.value, endsInterval: false, opensInterval: opens,
                                                   keyWidth: keyWidth, into: message)
                }
            }
        }
    }
}
