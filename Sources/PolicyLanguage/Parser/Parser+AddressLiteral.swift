import NetworkAddresses

extension Parser {
    /// Reads an address, prefix (`ADDRESS/LENGTH`) or range (`FIRST-LAST`) token; reports what is wrong and
    /// returns nil when it is not valid. Nothing is guessed: `10.0.0.1/24` is an error with a fix-it.
    mutating func parseAddressLiteral(_ token: Token) -> AddressLiteralSyntax? {
        if let literal = validAddressLiteral(token) { return literal }
        guard let literal = parseAnyAddressLiteral(token) else { return nil }
        // IPv4-mapped IPv6 addresses (::ffff:0:0/96) never appear in IPv6 packets: the kernel hands a mapped
        // socket's traffic to netfilter as IPv4, so a rule for them would silently never match.
        let range = literal.range
        guard range.family == .ipv6 else { return literal }
        let mapped = Parser.ipv4Mapped
        guard mapped.first <= range.first, range.last <= mapped.last else { return literal }
        func v4(_ address: IPAddress) -> String {
            IPAddress(family: .ipv4, value: address.value & 0xffff_ffff).description
        }
        let text = token.text
        let fixed: String
        if let slash = text.firstIndex(of: "/"), let length = Int(text[text.index(after: slash)...]) {
            fixed = "\(v4(range.first))/\(length - 96)"
        } else if range.first == range.last {
            fixed = v4(range.first)
        } else {
            fixed = "\(v4(range.first))-\(v4(range.last))"
        }
        report(.ipv4MappedAddress(text, fixed: fixed), at: token,
               fixIt: Diagnostic.FixIt(replacement: fixed, length: token.length))
        return nil
    }

    /// `::ffff:0:0/96`, worked out once rather than for every IPv6 literal.
    static let ipv4Mapped = Prefix(network: IPAddress(family: .ipv6, value: 0xffff_0000_0000), length: 96).range

    /// The fast path: the literal `token` holds when it is valid, read from its bytes; nil for anything else,
    /// which `parseAddressLiteral` then reads the general way to say what is wrong. Nearly every literal is
    /// valid, and this needs no `Substring`.
    func validAddressLiteral(_ token: Token) -> AddressLiteralSyntax? {
        validAddressLiteral(token.text, at: token.location)
    }

    /// The same for the literal at `tokens[index]`, read where it lies rather than from a copy of the token.
    func validAddressLiteral(at index: Int) -> AddressLiteralSyntax? {
        validAddressLiteral(tokens[index].text, at: tokens[index].location)
    }

    private func validAddressLiteral(_ text: String, at location: SourceLocation) -> AddressLiteralSyntax? {
        guard usesFastPaths,
              let range = text.utf8.withContiguousStorageIfAvailable(ValidAddressLiteral.range(of:)) ?? nil
        else { return nil }
        return AddressLiteralSyntax(text, at: location, range: range)
    }

    private mutating func parseAnyAddressLiteral(_ token: Token) -> AddressLiteralSyntax? {
        let text = token.text
        // One pass over the bytes for both separators; each is ASCII, so its byte offset is a character offset.
        let separators = { (bytes: UnsafeBufferPointer<UInt8>) in
            (bytes.firstIndex(of: UInt8(ascii: "-")), bytes.firstIndex(of: UInt8(ascii: "/")))
        }
        let (dash, slash) = text.utf8.withContiguousStorageIfAvailable(separators)
            ?? Array(text.utf8).withUnsafeBufferPointer(separators)
        if let dash {
            return parseAddressRange(token, dash: text.distance(from: text.startIndex, to: text.utf8.index(
                text.startIndex, offsetBy: dash)))
        }
        if let slash {
            return parsePrefix(token, slash: text.utf8.index(text.startIndex, offsetBy: slash))
        }
        guard let address = parseAddress(token, offset: 0, text: text[...]) else { return nil }
        return AddressLiteralSyntax(text, at: token.location, range: AddressRange(address))
    }

    private mutating func parseAddressRange(_ token: Token, dash: Int) -> AddressLiteralSyntax? {
        let text = token.text
        let firstText = text.prefix(dash), lastText = text.dropFirst(dash + 1)
        guard let first = parseAddress(token, offset: 0, text: firstText),
              let last = parseAddress(token, offset: dash + 1, text: lastText) else { return nil }
        guard first.family == last.family else {
            report(.mixedFamilyRange(text), at: token)
            return nil
        }
        guard first <= last else {
            report(.reversedAddressRange(text, fixed: "\(lastText)-\(firstText)"), at: token,
                   fixIt: Diagnostic.FixIt(replacement: "\(lastText)-\(firstText)", length: token.length))
            return nil
        }
        return AddressLiteralSyntax(text, at: token.location, range: AddressRange(first: first, last: last))
    }

    private mutating func parsePrefix(_ token: Token, slash: String.Index) -> AddressLiteralSyntax? {
        let text = token.text
        let lengthText = text[text.utf8.index(after: slash)...]
        guard let address = parseAddress(token, offset: 0, text: text[..<slash]) else { return nil }
        let width = address.family.bitWidth
        let digits = lengthText.utf8
        let isDigit = { (byte: UInt8) in byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        guard !digits.isEmpty, digits.count <= 3, digits.allSatisfy(isDigit),
              case let length = digits.reduce(0, { $0 * 10 + Int($1 - UInt8(ascii: "0")) }), length <= width else {
            let offset = text.distance(from: text.startIndex, to: slash) + 1
            report(.invalidPrefixLength(String(lengthText), family: address.family),
                   at: location(in: token, offset: offset), length: max(1, lengthText.count))
            return nil
        }
        guard !Prefix.hasHostBits(address, length: length) else {
            let masked = Prefix.masked(address, length: length).description
            report(.hostBitsSet(text, masked: masked), at: token,
                   fixIt: Diagnostic.FixIt(replacement: masked, length: token.length))
            return nil
        }
        return AddressLiteralSyntax(text, at: token.location, range: Prefix(network: address, length: length).range)
    }

    /// One address that starts `offset` characters into the token; reports leading zeros with a fix-it.
    private mutating func parseAddress(_ token: Token, offset: Int, text: Substring) -> IPAddress? {
        if let address = IPAddress(text) { return address }
        let at = location(in: token, offset: offset)
        let stripped = text.split(separator: ".", omittingEmptySubsequences: false).map { part in
            let digits = part.drop { $0 == "0" }
            return digits.isEmpty && !part.isEmpty ? "0" : String(digits)
        }.joined(separator: ".")
        if !text.contains(":"), stripped != text, IPAddress(stripped) != nil {
            report(.addressLeadingZero(String(text), fixed: stripped), at: at, length: text.count,
                   fixIt: Diagnostic.FixIt(replacement: stripped, length: text.count))
        } else {
            report(.invalidAddress(String(text), reason: AddressProblem.reason(text)), at: at,
                   length: max(1, text.count))
        }
        return nil
    }
}
