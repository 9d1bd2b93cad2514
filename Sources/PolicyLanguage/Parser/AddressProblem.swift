/// What is wrong with text that is not an address, in words a reader can act on: the diagnostic then says
/// which part to fix, not just that the whole is invalid.
enum AddressProblem {
    /// The first thing found wrong with `text`, or nil when nothing more specific can be said.
    static func reason(_ text: Substring) -> String? {
        text.contains(":") ? ipv6Reason(text) : ipv4Reason(text)
    }

    private static func ipv4Reason(_ text: Substring) -> String? {
        guard text.allSatisfy({ $0 == "." || $0.isASCII && $0.isNumber }) else {
            return "expected an IPv4 address such as 192.0.2.1 or an IPv6 address such as 2001:db8::1"
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else {
            return "an IPv4 address has four numbers separated by dots; this has \(parts.count)"
        }
        guard !parts.contains(where: \.isEmpty) else { return "a number is missing between two dots" }
        if let over = parts.first(where: { $0.count > 3 || Int($0)! > 255 }) { return "\(over) is over 255" }
        return nil
    }

    private static func ipv6Reason(_ text: Substring) -> String? {
        if text.contains(".") { return nil }  // an embedded IPv4 address: said elsewhere, or nothing to add
        let compressed = text.ranges(of: "::").count
        guard compressed <= 1, !text.contains(":::") else {
            return "'::' may stand only once, for one run of zero groups"
        }
        let groups = text.split(separator: ":", omittingEmptySubsequences: true)
        if let bad = groups.first(where: { !$0.allSatisfy(\.isHexDigit) }) {
            let character = bad.first { !$0.isHexDigit }!
            return "'\(character)' in '\(bad)' is not a hexadecimal digit"
        }
        if let long = groups.first(where: { $0.count > 4 }) { return "group '\(long)' has more than four digits" }
        if compressed == 0 && groups.count != 8 {
            return "an IPv6 address has eight groups, or '::' for a run of zero groups; this has \(groups.count)"
        }
        if compressed == 1 && groups.count > 7 {
            return "with '::' an IPv6 address has at most seven groups; this has \(groups.count)"
        }
        return nil
    }
}
