import NetworkAddresses

// The message catalogue: every diagnostic the policy front end produces, alphabetised by id.
// Messages are lowercase, quote the source text with '…', say what was expected and what was found, and
// end with "did you mean …?" when the fix is obvious (the diagnostic then carries the fix-it too).

extension DiagnosticMessage {
    public static func acmeDirectoryByName(_ host: String) -> Self {
        Self(.warning, id: "acme-directory-by-name",
             "the acme directory's host '\(host)' is a name: its flows can only be proven once it is resolved")
    }

    public static func acmeHostCannotReachDirectory(zone: String, address: String, service: String) -> Self {
        Self(.error, id: "acme-host-to-directory",
             "the flows do not let '\(zone)' reach the acme directory \(address) on \(service)")
    }

    public static func acmeRACannotReachHost(ra: String, zone: String, families: [IPFamily], missing: String)
        -> Self {
        Self(.error, id: "acme-ra-to-host",
             "the flows do not let the acme server '\(ra)' reach '\(zone)' on tcp/443 over \(Self.families(families))"
                + " for tls-alpn-01 validation (missing \(missing))")
    }

    public static func acmeRALacksFamily(ra: String, zone: String, family: IPFamily, hostAddress: String) -> Self {
        Self(.error, id: "acme-ra-lacks-family",
             "the acme server '\(ra)' has no \(family) address in the policy, but '\(zone)' has one (\(hostAddress));"
                + " validation comes over \(family) when the name has such an address, and would be dropped")
    }

    public static func acmeZoneLacksFamily(zone: String, family: IPFamily, address: String) -> Self {
        Self(.error, id: "acme-zone-lacks-family",
             "zone '\(zone)' has no \(family) address to reach the acme directory \(address)")
    }

    public static func addressLeadingZero(_ text: String, fixed: String) -> Self {
        Self(.error, id: "address-leading-zero",
             "leading zeros in '\(text)' are ambiguous (octal or decimal?); did you mean '\(fixed)'?")
    }

    public static func cannotRead(_ path: String, reason: String) -> Self {
        Self(.error, id: "cannot-read", "cannot read policy file '\(path)': \(reason)")
    }

    public static func directoryNotHTTPS(_ text: String) -> Self {
        Self(.error, id: "directory-not-https", "the acme directory '\(text)' must be an https url")
    }

    public static func duplicateBlock(_ keyword: String, zone: String) -> Self {
        Self(.error, id: "duplicate-block", "a second '\(keyword)' block for zone '\(zone)'")
    }

    public static func duplicateName(_ name: String, kind: String) -> Self {
        Self(.error, id: "duplicate-name", "duplicate name '\(name)': a \(kind) of that name already exists")
    }

    public static func duplicateSetting(_ name: String) -> Self {
        Self(.error, id: "duplicate-setting", "'\(name)' is set twice")
    }

    public static func emptyZone(_ name: String, afterExceptions: Bool) -> Self {
        Self(.error, id: "empty-zone",
             "zone '\(name)' has no addresses" + (afterExceptions ? " left after 'except'" : ""))
    }

    public static func expectationAllowFails(missing: String, more: Int) -> Self {
        Self(.error, id: "expectation-allow-failed",
             "expectation failed: no flow admits \(missing)" + (more > 0 ? " (and \(more) more)" : ""))
    }

    public static func expectationDenyFails(flow: String, at location: SourceLocation, sample: String) -> Self {
        Self(.error, id: "expectation-deny-failed",
             "expectation failed: flow '\(flow)' at line \(location.line) admits \(sample)")
    }

    public static func expectationList(_ what: String) -> Self {
        Self(.error, id: "expectation-list",
             "an expectation names one \(what); write one 'expect' for each")
    }

    public static func expected(_ what: String, found token: Token) -> Self {
        Self(.error, id: "expected", "expected \(what), found \(token.quoted)")
    }

    public static func fileMissing(_ path: String, resolved: String) -> Self {
        Self(.warning, id: "file-missing",
             "file '\(path)' does not exist" + (path == resolved ? "" : " (looked for '\(resolved)')"))
    }

    public static func fileNotPEM(_ path: String) -> Self {
        Self(.warning, id: "file-not-pem", "file '\(path)' is not a pem certificate")
    }

    public static func firstDeclaredHere(_ name: String) -> Self {
        Self(.note, id: "first-declared-here", "'\(name)' is first declared here")
    }

    public static func firstSetHere(_ name: String) -> Self {
        Self(.note, id: "first-set-here", "'\(name)' is first set here")
    }

    public static func flowAdmitsIt() -> Self {
        Self(.note, id: "flow-admits", "this flow admits it")
    }

    public static func hostBitsSet(_ text: String, masked: String) -> Self {
        Self(.error, id: "host-bits-set", "host bits set in '\(text)'; did you mean '\(masked)'?")
    }

    public static func icmpTypeOfOtherFamily(_ text: String, protocol proto: String, other: String) -> Self {
        Self(.error, id: "unknown-icmp-type", "'\(text)' is an \(other) type, not an \(proto) type")
    }

    public static func icmpTypeOutOfRange(_ text: String) -> Self {
        Self(.error, id: "icmp-type-out-of-range", "icmp type '\(text)' is out of range (0-255)")
    }

    public static func ipv4MappedAddress(_ text: String, fixed: String) -> Self {
        Self(.error, id: "ipv4-mapped-address",
             "'\(text)' is an ipv4-mapped ipv6 address, which never appears in ipv6 packets; did you mean '\(fixed)'?")
    }

    public static func invalidAddress(_ text: String, reason: String? = nil) -> Self {
        Self(.error, id: "invalid-address", "invalid address '\(text)'" + (reason.map { ": \($0)" } ?? ""))
    }

    public static func invalidDirectory(_ text: String, reason: String) -> Self {
        Self(.error, id: "invalid-directory", "invalid acme directory url '\(text)': \(reason)")
    }

    public static func invalidDomain(_ text: String) -> Self {
        Self(.error, id: "invalid-domain", "invalid domain name '\(text)'")
    }

    public static func invalidPort(_ text: String, in literal: String) -> Self {
        Self(.error, id: "invalid-port", "invalid port '\(text)' in '\(literal)'")
    }

    public static func invalidPrefixLength(_ text: String, family: IPFamily) -> Self {
        Self(.error, id: "invalid-prefix-length",
             "invalid prefix length '\(text)' for \(family) (0-\(family.bitWidth))")
    }

    public static func invalidSettingValue(_ setting: String, value: String, expected: String) -> Self {
        Self(.error, id: "invalid-setting-value", "invalid value '\(value)' for '\(setting)': expected \(expected)")
    }

    public static func missingComma(after previous: Token, before next: Token) -> Self {
        Self(.error, id: "missing-comma", "expected ',' between \(previous.quoted) and \(next.quoted)")
    }

    public static func missingPort(_ proto: String) -> Self {
        Self(.error, id: "missing-port", "'\(proto)' needs a port or port range, e.g. '\(proto)/443'")
    }

    public static func missingSetting(_ keyword: String, zone: String, setting: String) -> Self {
        Self(.error, id: "missing-setting", "'\(keyword) \(zone)' has no '\(setting)'")
    }

    public static func mixedFamilyRange(_ text: String) -> Self {
        Self(.error, id: "mixed-family-range", "address range '\(text)' mixes ipv4 and ipv6")
    }

    public static func nestingTooDeep(kind: String, first: String, last: String, limit: Int) -> Self {
        Self(.error, id: "nesting-too-deep",
             "\(kind)s nest more than \(limit) deep ('\(first)' includes '\(last)' through \(limit - 1) others); "
                + "flatten the chain")
    }

    public static func nameCycle(kind: String, path: [String]) -> Self {
        let chain = path.map { "'\($0)'" }.joined(separator: " -> ")
        return Self(.error, id: "\(kind)-cycle", "\(kind)s include each other: \(chain)")
    }

    public static func neverMatchesServices(_ what: String, shared: [IPFamily]) -> Self {
        Self(.error, id: "\(what)-never-matches",
             "\(what) can never match: none of its services exists over \(families(shared)), the only family"
                + " both sides have")
    }

    public static func neverMatchesSides(_ what: String, sources: [IPFamily], destinations: [IPFamily]) -> Self {
        Self(.error, id: "\(what)-never-matches",
             "\(what) can never match: the sources are \(families(sources)) only and the destinations are"
                + " \(families(destinations)) only")
    }

    public static func notUTF8(_ path: String, byte: UInt8? = nil) -> Self {
        let what = byte.map { ": byte 0x" + String($0, radix: 16) + " here starts no utf-8 character" } ?? ""
        return Self(.error, id: "not-utf8", "policy file '\(path)' is not utf-8 text\(what); save it as utf-8")
    }

    public static func portOutOfRange(_ text: String) -> Self {
        Self(.error, id: "port-out-of-range", "port '\(text)' is out of range (1-65535)")
    }

    public static func portWithoutProtocol(_ text: String) -> Self {
        Self(.error, id: "port-without-protocol", "port '\(text)' needs a protocol: 'tcp/\(text)' or 'udp/\(text)'")
    }

    public static func reservedWord(_ text: String) -> Self {
        Self(.error, id: "reserved-word", "'\(text)' is a reserved word and cannot be used as a name")
    }

    public static func reservedWordInZone(_ text: String) -> Self {
        Self(.error, id: "reserved-word", "'\(text)' cannot be part of a zone")
    }

    public static func reversedAddressRange(_ text: String, fixed: String) -> Self {
        Self(.error, id: "reversed-address-range", "address range '\(text)' is reversed; did you mean '\(fixed)'?")
    }

    public static func reversedPortRange(_ text: String, fixed: String) -> Self {
        Self(.error, id: "reversed-port-range", "port range '\(text)' is reversed; did you mean '\(fixed)'?")
    }

    public static func serviceNeverMatches(_ service: String, shared: [IPFamily]) -> Self {
        Self(.warning, id: "service-never-matches",
             "'\(service)' can never match here: both sides meet only over \(families(shared))")
    }

    public static func settingWithoutValue(_ name: String) -> Self {
        Self(.error, id: "setting-without-value", "'\(name)' needs a value")
    }

    public static func settingTakesOneValue(_ name: String) -> Self {
        Self(.error, id: "setting-takes-one-value", "'\(name)' takes one value")
    }

    public static func unclosedBlock(_ keyword: String) -> Self {
        Self(.error, id: "unclosed-block", "'\(keyword)' block has no closing '}'")
    }

    public static func tooManyErrors(limit: Int) -> Self {
        Self(.error, id: Diagnostic.tooManyErrorsID,
             "too many errors: only the first \(limit) are reported; is this file a policy? fix them and check again")
    }

    public static func unexpectedCharacter(_ character: Character) -> Self {
        // A character that shows as nothing or as a blank (a zero-width space, a no-break space pasted from
        // a web page, a control character) is named by its code point, or the message would quote nothing.
        let hidden: Set<Unicode.GeneralCategory> = [.control, .format, .spaceSeparator, .lineSeparator,
                                                    .paragraphSeparator, .privateUse, .unassigned, .surrogate]
        guard character.unicodeScalars.contains(where: { hidden.contains($0.properties.generalCategory) }) else {
            return Self(.error, id: "unexpected-character", "unexpected character '\(character)'")
        }
        let named = character.unicodeScalars.map { scalar in
            let code = "U+" + String(String(scalar.value, radix: 16, uppercase: true).reversed())
                .padding(toLength: 4, withPad: "0", startingAt: 0).reversed()
            return scalar.properties.name.map { "\(String(code)) (\($0.lowercased()))" } ?? String(code)
        }
        return Self(.error, id: "unexpected-character",
                    "unexpected invisible character \(named.joined(separator: " "))")
    }

    public static func unknownEscape(_ character: Character) -> Self {
        Self(.error, id: "unknown-escape", "unknown escape '\\\(character)' in string; only '\\\"' and '\\\\' exist")
    }

    public static func unknownIcmpType(_ text: String, protocol proto: String, suggestion: String?) -> Self {
        Self(.error, id: "unknown-icmp-type", "unknown \(proto) type '\(text)'" + didYouMean(suggestion))
    }

    /// - Parameter known: the names of that kind that are declared, named when none is near enough to suggest.
    public static func unknownName(_ name: String, kind: String, suggestion: String?, known: [String] = []) -> Self {
        guard suggestion == nil else {
            return Self(.error, id: "unknown-\(kind)", "unknown \(kind) '\(name)'" + didYouMean(suggestion))
        }
        let declare = kind == "service" ? "'service \(name) tcp/PORT', or write the port itself (tcp/443)"
            : "'\(kind) \(name) ADDRESS, …'"
        let listed = known.prefix(8).joined(separator: ", ") + (known.count > 8 ? ", …" : "")
        let others = known.isEmpty ? "no \(kind) is declared" : "the \(kind)s declared are \(listed)"
        return Self(.error, id: "unknown-\(kind)", "unknown \(kind) '\(name)': declare it with \(declare); \(others)")
    }

    public static func unknownProtocol(_ name: String, in literal: String, suggestion: String?) -> Self {
        Self(.error, id: "unknown-protocol",
             "unknown protocol '\(name)' in '\(literal)'" + (suggestion.map { "; did you mean '\($0)'?" }
                ?? "; expected tcp, udp, icmp or icmpv6"))
    }

    public static func unknownSetting(_ name: String, block: String, suggestion: String?) -> Self {
        Self(.error, id: "unknown-setting", "unknown \(block) setting '\(name)'" + didYouMean(suggestion))
    }

    public static func unknownStatement(_ word: String, suggestion: String) -> Self {
        Self(.error, id: "unknown-statement", "unknown statement '\(word)'; did you mean '\(suggestion)'?")
    }

    public static func unknownTrustStore(_ name: String, suggestion: String?) -> Self {
        Self(.error, id: "unknown-trust-store",
             "unknown trust store '\(name)'" + (suggestion.map { "; did you mean '\($0)'?" }
                ?? "; expected system, python, pip, node or env"))
    }

    public static func unterminatedString() -> Self {
        Self(.error, id: "unterminated-string", "string has no closing '\"'")
    }

    public static func wildcardDomain(_ text: String) -> Self {
        Self(.error, id: "wildcard-domain",
             "wildcard domain '\(text)' needs the dns-01 challenge; ztpol validates with tls-alpn-01 only")
    }

    public static func wrongKind(_ name: String, is actual: String, expected: String) -> Self {
        Self(.error, id: "not-a-\(expected)", "'\(name)' is a \(actual), not a \(expected)")
    }

    private static func families(_ list: [IPFamily]) -> String {
        list.map(\.rawValue).joined(separator: " and ")
    }

    private static func didYouMean(_ suggestion: String?) -> String {
        suggestion.map { "; did you mean '\($0)'?" } ?? ""
    }
}
