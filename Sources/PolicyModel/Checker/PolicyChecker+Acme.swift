import PolicyLanguage

extension PolicyChecker {
    static let acmeRules: [SettingRule] = [
        SettingRule(name: "directory"), SettingRule(name: "trust"),
        SettingRule(name: "domain", aliases: ["domains"], repeatable: true),
        SettingRule(name: "email"), SettingRule(name: "eab"), SettingRule(name: "key"),
        SettingRule(name: "state"), SettingRule(name: "reload"),
    ]

    /// Reads `acme ZONE { ... }` into the model; nil after an error.
    mutating func checkAcme(_ block: BlockDeclaration, seen: [AcmeBlock]) -> AcmeBlock? {
        var ok = true
        checkBlockZone(block.zone, keyword: "acme", taken: seen.map(\.zone), ok: &ok)
        let settings = readSettings(block.settings, block: "acme", rules: Self.acmeRules, ok: &ok)
        let directory = singleValue(settings["directory"]?.first, ok: &ok)
        let trust = singleValue(settings["trust"]?.first, ok: &ok)
        let domains = (settings["domain"] ?? []).flatMap(\.values)
        for (value, name) in [(directory, "directory"), (trust, "trust"), (domains.first, "domain")] {
            requireSetting(value, name, keyword: "acme", zone: block.zone, at: block.location, ok: &ok)
        }
        if let directory { checkDirectory(directory, ok: &ok) }
        for domain in domains { checkDomain(domain, ok: &ok) }
        let email = singleValue(settings["email"]?.first, ok: &ok)
        if let email, !Self.isPlausibleEmail(email.text) {
            report(.invalidSettingValue("email", value: email.text, expected: "an address like 'ops@example.org'"),
                   at: email.location, length: email.length)
            ok = false
        }
        let eab = settings["eab"]?.first.flatMap { readEAB($0, ok: &ok) }
        let keyType = singleValue(settings["key"]?.first, ok: &ok).flatMap { readKeyType($0, ok: &ok) }
        let state = singleValue(settings["state"]?.first, ok: &ok)
        let reload = singleValue(settings["reload"]?.first, ok: &ok)
        let root = trust.map { certificateFile($0) }
        guard ok, let directory, let root else { return nil }
        return AcmeBlock(zone: block.zone.text, directory: directory.text, trustRoot: root,
                         domains: domains.map { $0.text.lowercased() }, email: email?.text, eabKeyID: eab?.kid,
                         eabHMACKey: eab?.hmac, keyType: keyType ?? .ec256,
                         stateDirectory: state.map { PolicyFiles.resolve($0.text, relativeTo: path) },
                         reloadCommand: reload?.text, location: block.location)
    }

    private mutating func checkDirectory(_ value: SettingSyntax.Value, ok: inout Bool) {
        switch AcmeDirectoryURL.parse(value.text) {
        case .success:
            return
        case .failure(.notHTTPS):
            report(.directoryNotHTTPS(value.text), at: value.location, length: value.length)
        case .failure(.invalid(let reason)):
            report(.invalidDirectory(value.text, reason: reason), at: value.location, length: value.length)
        }
        ok = false
    }

    private mutating func checkDomain(_ value: SettingSyntax.Value, ok: inout Bool) {
        if value.text.hasPrefix("*.") {
            report(.wildcardDomain(value.text), at: value.location, length: value.length)
            ok = false
        } else if !DomainName.isValid(value.text) {
            report(.invalidDomain(value.text), at: value.location, length: value.length)
            ok = false
        }
    }

    /// `eab kid "KEY-ID" hmac "BASE64URL-KEY"`
    private mutating func readEAB(_ setting: SettingSyntax, ok: inout Bool) -> (kid: String, hmac: String)? {
        let values = setting.values
        guard values.count == 4, values[0].text == "kid", values[2].text == "hmac", !values[0].isQuoted,
              !values[2].isQuoted, !values[1].text.isEmpty,
              !values[3].text.isEmpty, values[3].text.allSatisfy(Self.isBase64URL) else {
            let shown = values.map(\.text).joined(separator: " ")
            report(.invalidSettingValue("eab", value: shown, expected: "'kid \"ID\" hmac \"BASE64URL-KEY\"'"),
                   at: values[0].location, length: values[0].length)
            ok = false
            return nil
        }
        return (values[1].text, values[3].text)
    }

    private mutating func readKeyType(_ value: SettingSyntax.Value, ok: inout Bool) -> CertificateKeyType? {
        if let type = CertificateKeyType(rawValue: value.text) { return type }
        let known = CertificateKeyType.allCases.map(\.rawValue)
        report(.invalidSettingValue("key", value: value.text, expected: known.joined(separator: ", ")),
               at: value.location, length: value.length,
               fixIt: Suggestions.nearest(to: value.text, in: known).map {
                   Diagnostic.FixIt(replacement: $0, length: value.length)
               })
        ok = false
        return nil
    }

    private static func isPlausibleEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && DomainName.isValid(String(parts[1]))
            && !text.contains(where: \.isWhitespace)
    }

    private static func isBase64URL(_ c: Character) -> Bool {
        c.isASCII && (c.isLetter || c.isNumber || c == "-" || c == "_" || c == "=")
    }
}
