import PolicyLanguage

extension PolicyChecker {
    static let trustRules: [SettingRule] = [
        SettingRule(name: "root"), SettingRule(name: "name"),
        SettingRule(name: "stores", aliases: ["store"]), SettingRule(name: "python", repeatable: true),
    ]

    /// The trust stores a root can be installed into.
    static let trustStores = ["system", "python", "pip", "node", "env"]

    /// Reads `trust ZONE { ... }` into the model; nil after an error.
    mutating func checkTrust(_ block: BlockDeclaration, seen: [TrustBlock]) -> TrustBlock? {
        var ok = true
        checkBlockZone(block.zone, keyword: "trust", taken: seen.map(\.zone), ok: &ok)
        let settings = readSettings(block.settings, block: "trust", rules: Self.trustRules, ok: &ok)
        let root = singleValue(settings["root"]?.first, ok: &ok)
        requireSetting(root, "root", keyword: "trust", zone: block.zone, at: block.location, ok: &ok)
        let name = singleValue(settings["name"]?.first, ok: &ok)
        let stores = settings["stores"]?.first?.values ?? []
        for store in stores where !Self.trustStores.contains(store.text) {
            let suggestion = Suggestions.nearest(to: store.text, in: Self.trustStores)
            report(.unknownTrustStore(store.text, suggestion: suggestion), at: store.location,
                   length: store.length,
                   fixIt: suggestion.map { Diagnostic.FixIt(replacement: $0, length: store.length) })
            ok = false
        }
        let pythons = (settings["python"] ?? []).flatMap(\.values).map(\.text)
        let rootFile = root.map { certificateFile($0) }
        guard ok, let rootFile else { return nil }
        return TrustBlock(zone: block.zone.text, root: rootFile, name: name?.text, stores: stores.map(\.text),
                          pythons: pythons, location: block.location)
    }
}
