import PolicyLanguage
import PolicyModel

/// One host zone seen in two versions of a policy: the same name, or a rename, or only on one side.
public struct ZonePair: Sendable, Hashable {
    /// The zone's name in the old policy; nil for a zone the new policy adds.
    public var old: String?
    /// The zone's name in the new policy; nil for a zone the new policy drops.
    public var new: String?

    public init(old: String?, new: String?) {
        self.old = old
        self.new = new
    }

    /// The name to show: the new one where there is one.
    public var name: String { new ?? old ?? "" }

    public var isRename: Bool { old != nil && new != nil && old != new }
}

/// Which zone of the old policy is which zone of the new one.
public enum ZonePairing {
    /// A zone named on the command line that neither policy has.
    public struct UnknownZone: Error, Sendable, Hashable, CustomStringConvertible {
        public var name: String
        public var known: [String]

        public var description: String {
            Suggestions.unknownZone(name, in: "either policy", known: known)
        }
    }

    /// Every zone of either policy, in the new policy's order and then the dropped ones in the old
    /// policy's order. Zones pair by name; a zone that left the old policy pairs with a zone that came
    /// into the new one holding exactly the same addresses, as a rename.
    public static func pairs(old: Policy, new: Policy) -> [ZonePair] {
        let oldNames = Set(old.zones.map(\.name)), newNames = Set(new.zones.map(\.name))
        var gone = old.zones.filter { !newNames.contains($0.name) }
        var pairs: [ZonePair] = []
        for zone in new.zones {
            if oldNames.contains(zone.name) {
                pairs.append(ZonePair(old: zone.name, new: zone.name))
            } else if let index = gone.firstIndex(where: { $0.addresses == zone.addresses }) {
                pairs.append(ZonePair(old: gone.remove(at: index).name, new: zone.name))
            } else {
                pairs.append(ZonePair(old: nil, new: zone.name))
            }
        }
        return pairs + gone.map { ZonePair(old: $0.name, new: nil) }
    }

    /// The pairs of the zones in `names`, each the old or the new name of a zone, in the order given.
    public static func pairs(named names: [String], old: Policy, new: Policy) throws(UnknownZone) -> [ZonePair] {
        let all = pairs(old: old, new: new)
        var chosen: [ZonePair] = []
        for name in names {
            guard let pair = all.first(where: { $0.old == name || $0.new == name }) else {
                throw UnknownZone(name: name, known: all.map(\.name))
            }
            if !chosen.contains(pair) { chosen.append(pair) }
        }
        return chosen
    }
}
