import NetworkAddresses
import Nftables
import PolicyModel

/// Hands out named sets for the address sides of flows, one per (side, family), reusing a set when
/// two sides hold the same addresses so that a zone used by many flows is loaded into the kernel once.
struct SetAllocator {
    private(set) var sets: [NamedSet] = []
    private var byContent: [Elements: String] = [:]
    private var usedNames: Set<String> = []
    private var indexOfName: [String: Int] = [:]
    private var commentParts: [[String]] = []
    /// Sets handed out to a second endpoint (each endpoint and family asks once, see `AddressMatches`).
    private(set) var sharedSets: Set<String> = []

    /// The set for `addresses` of `family`, named after `preferredName` (a zone name, or a flow's side).
    mutating func set(for addresses: AddressSet, family: IPFamily, preferredName: String, comment: String) -> String {
        let elements = addresses.ranges(family)
        // Ranges carry their family, so equal element lists are always of the same family.
        if let existing = byContent[Elements(elements)] {
            sharedSets.insert(existing)
            // The set's comment names every endpoint that uses it, not just the first.
            if let index = indexOfName[existing], !commentParts[index].contains(comment) {
                commentParts[index].append(comment)
                sets[index].comment = FittingText.comment(commentParts[index].joined(separator: ", "))
            }
            return existing
        }
        // Names are cut to a stem (a zone's name may be any length); a cut that collides gets a suffix.
        let base = FittingText.setNameStem(SetAllocator.sanitise(preferredName)) + (family == .ipv4 ? "_v4" : "_v6")
        var name = base
        var suffix = 2
        while usedNames.contains(name) {
            name = "\(base)_\(suffix)"
            suffix += 1
        }
        usedNames.insert(name)
        byContent[Elements(elements)] = name
        indexOfName[name] = sets.count
        commentParts.append([comment])
        sets.append(NamedSet(name: name, family: family, elements: elements, comment: FittingText.comment(comment)))
        return name
    }

    /// An element list as a dictionary key, hashed by its size and three elements only: hashing every
    /// interval of a few hundred large sets cost more than the rest of compiling. Keys still compare whole.
    private struct Elements: Hashable {
        let ranges: [AddressRange]

        init(_ ranges: [AddressRange]) { self.ranges = ranges }

        func hash(into hasher: inout Hasher) {
            hasher.combine(ranges.count)
            if !ranges.isEmpty {
                hasher.combine(ranges[0])
                hasher.combine(ranges[ranges.count / 2])
                hasher.combine(ranges[ranges.count - 1])
            }
        }
    }

    /// nft identifiers take letters, digits and underscores; anything else becomes `_`.
    static func sanitise(_ text: String) -> String {
        let mapped = text.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") ? $0 : "_" }
        let name = String(mapped)
        return name.first?.isLetter == true ? name : "z_" + name
    }
}
