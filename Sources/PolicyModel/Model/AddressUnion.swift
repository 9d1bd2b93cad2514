import NetworkAddresses
import Synchronization

/// The union of a flow side's sets (its zones and literals), merged the first time it is asked for and
/// then kept. At 100k prefixes, merging every multi-zone side when checking cost 60 ms and a copy of
/// each zone per flow, which checking (it needs only the families) and a compiler that loads each zone
/// once never use.
final class AddressUnion: Sendable {
    let parts: [AddressSet]
    private let merged: Mutex<AddressSet?>

    init(_ parts: [AddressSet]) {
        self.parts = parts
        merged = Mutex(parts.count <= 1 ? parts.first ?? AddressSet() : nil)
    }

    var value: AddressSet {
        merged.withLock { merged in
            if let merged { return merged }
            let union = parts.dropFirst().reduce(parts[0]) { $0.union($1) }
            merged = union
            return union
        }
    }

    /// The families with an address in any part, without merging.
    var families: [IPFamily] { IPFamily.allCases.filter { family in parts.contains { !$0.ranges(family).isEmpty } } }
}
