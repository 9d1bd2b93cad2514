import PolicyLanguage

extension PolicyChecker {
    /// The settings a block allows: canonical name, other spellings, whether it may appear more than once.
    struct SettingRule {
        var name: String
        var aliases: [String] = []
        var repeatable = false
    }

    /// Groups a block's settings by canonical name, reporting unknown names (with the nearest known one) and
    /// settings given twice that may be given once (pointing at both). `ok` turns false after an error.
    mutating func readSettings(_ settings: [SettingSyntax], block: String, rules: [SettingRule],
                               ok: inout Bool) -> [String: [SettingSyntax]] {
        var result: [String: [SettingSyntax]] = [:]
        for setting in settings {
            let name = setting.name
            guard let rule = rules.first(where: { $0.name == name.text || $0.aliases.contains(name.text) }) else {
                let suggestion = Suggestions.nearest(to: name.text, in: rules.flatMap { [$0.name] + $0.aliases })
                report(.unknownSetting(name.text, block: block, suggestion: suggestion), at: name.location,
                       length: name.length,
                       fixIt: suggestion.map { Diagnostic.FixIt(replacement: $0, length: name.length) })
                ok = false
                continue
            }
            if let first = result[rule.name]?.first, !rule.repeatable {
                let note = Diagnostic(.firstSetHere(first.name.text), at: first.name.location,
                                      length: first.name.length)
                report(.duplicateSetting(name.text), at: name.location, length: name.length, related: [note])
                ok = false
                continue
            }
            result[rule.name, default: []].append(setting)
        }
        return result
    }

    /// The one value of a setting that takes one; nil (reported) when it has several.
    mutating func singleValue(_ setting: SettingSyntax?, ok: inout Bool) -> SettingSyntax.Value? {
        guard let setting else { return nil }
        guard setting.values.count == 1 else {
            report(.settingTakesOneValue(setting.name.text), at: setting.values[1].location,
                   length: setting.values[1].length)
            ok = false
            return nil
        }
        return setting.values[0]
    }

    /// Reports a setting a block cannot do without.
    mutating func requireSetting(_ value: Any?, _ name: String, keyword: String, zone: NameSyntax,
                                 at location: SourceLocation, ok: inout Bool) {
        guard value == nil else { return }
        report(.missingSetting(keyword, zone: zone.text, setting: name), at: location, length: keyword.count)
        ok = false
    }

    /// Resolves a certificate file named in a setting and warns when it is missing or not PEM.
    mutating func certificateFile(_ value: SettingSyntax.Value) -> String {
        let resolved = PolicyFiles.resolve(value.text, relativeTo: path)
        if let problem = PolicyFiles.problem(withCertificate: value.text, resolved: resolved) {
            report(problem, at: value.location, length: value.length)
        }
        return resolved
    }

    /// The block's zone must exist, be valid, and have no other block of the same kind.
    mutating func checkBlockZone(_ zone: NameSyntax, keyword: String, taken: [String], ok: inout Bool) {
        guard lookUp(zone, as: .zone), resolveZone(zone.text) != nil else {
            ok = false
            return
        }
        if taken.contains(zone.text) {
            report(.duplicateBlock(keyword, zone: zone.text), at: zone.location, length: zone.length)
            ok = false
        }
    }
}
