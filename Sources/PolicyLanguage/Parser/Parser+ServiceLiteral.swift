import NetworkAddresses

extension Parser {
    /// A service where one is expected: a service's name, `PROTOCOL/SPEC`, or a bare `icmp` / `icmpv6`.
    /// Returns nil after reporting; `fatal` is set when the rest of the line cannot be read.
    mutating func parseServiceReference(fatal: inout Bool) -> ServiceReferenceSyntax? {
        let token = current
        switch token.kind {
        case .identifier where token.text == "icmp" || token.text == "icmpv6":
            advance()
            let spec = ServiceLiteralSyntax.Spec.icmp(token.text == "icmp" ? .icmp : .icmpv6, type: nil)
            return .literal(ServiceLiteralSyntax(token.text, at: token.location, spec: spec))
        case .identifier where token.text == "tcp" || token.text == "udp":
            advance()
            report(.missingPort(token.text), at: token)
            return nil
        case .identifier where PolicySyntax.reservedWords.contains(token.text):
            report(.expected("a service", found: token), at: token)
            fatal = true
            return nil
        case .identifier:
            advance()
            return .name(NameSyntax(token.text, at: token.location))
        case .serviceLiteral:
            advance()
            return parseServiceLiteral(token).map { .literal($0) }
        case .number:
            advance()
            report(.portWithoutProtocol(token.text), at: token)
            return nil
        default:
            report(.expected("a service", found: token), at: token)
            fatal = true
            return nil
        }
    }

    /// `tcp/443`, `udp/8000-8999`, `icmp/echo-request`, `icmpv6/128`.
    mutating func parseServiceLiteral(_ token: Token) -> ServiceLiteralSyntax? {
        let text = token.text
        let slash = text.firstIndex(of: "/")!
        let name = String(text[..<slash]), spec = String(text[text.index(after: slash)...])
        let specOffset = name.count + 1
        guard let proto = ServiceProtocolSyntax(rawValue: name) else {
            let known = ServiceProtocolSyntax.allCases.map(\.rawValue)
            let suggestion = Suggestions.nearest(to: name, in: known)
            report(.unknownProtocol(name, in: text, suggestion: suggestion), at: token.location, length: name.count,
                   fixIt: suggestion.map { Diagnostic.FixIt(replacement: $0, length: name.count) })
            return nil
        }
        switch proto {
        case .tcp, .udp:
            guard let ports = parsePorts(spec, token: token, offset: specOffset) else { return nil }
            return ServiceLiteralSyntax(text, at: token.location, spec: .ports(proto, ports))
        case .icmp, .icmpv6:
            guard let type = parseIcmpType(spec, ipv6: proto == .icmpv6, token: token, offset: specOffset) else {
                return nil
            }
            return ServiceLiteralSyntax(text, at: token.location, spec: .icmp(proto, type: type))
        }
    }

    /// `443` or `8000-8999`, each port 1–65535, a range not reversed.
    private mutating func parsePorts(_ spec: String, token: Token, offset: Int) -> PortRange? {
        let parts = spec.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        var ports: [UInt16] = []
        var partOffset = offset
        for part in parts {
            let at = location(in: token, offset: partOffset)
            guard !part.isEmpty, part.allSatisfy(\.isASCIIDigit) else {
                report(.invalidPort(part, in: token.text), at: at, length: max(1, part.count))
                return nil
            }
            guard part.count <= 5, let port = Int(part), (1...65535).contains(port) else {
                report(.portOutOfRange(part), at: at, length: part.count)
                return nil
            }
            ports.append(UInt16(port))
            partOffset += part.count + 1
        }
        if ports.count == 2 && ports[0] > ports[1] {
            let fixed = "\(ports[1])-\(ports[0])"
            report(.reversedPortRange(spec, fixed: fixed), at: location(in: token, offset: offset), length: spec.count,
                   fixIt: Diagnostic.FixIt(replacement: fixed, length: spec.count))
            return nil
        }
        return PortRange(ports[0], ports.last!)
    }

    /// A type's name (`echo-request`) or number (`8`); the outer optional is nil after an error.
    private mutating func parseIcmpType(_ spec: String, ipv6: Bool, token: Token, offset: Int) -> UInt8?? {
        let at = location(in: token, offset: offset)
        let proto = ipv6 ? "icmpv6" : "icmp"
        if !spec.isEmpty && spec.allSatisfy(\.isASCIIDigit) {
            guard spec.count <= 3, let number = Int(spec), number <= 255 else {
                report(.icmpTypeOutOfRange(spec), at: at, length: spec.count)
                return nil
            }
            return .some(UInt8(number))
        }
        if let number = IcmpTypes.number(of: spec, ipv6: ipv6) { return .some(number) }
        if IcmpTypes.number(of: spec, ipv6: !ipv6) != nil {
            report(.icmpTypeOfOtherFamily(spec, protocol: proto, other: ipv6 ? "icmp" : "icmpv6"), at: at,
                   length: spec.count)
            return nil
        }
        let suggestion = Suggestions.nearest(to: spec, in: IcmpTypes.table(ipv6: ipv6).map(\.key))
        report(.unknownIcmpType(spec, protocol: proto, suggestion: suggestion), at: at, length: max(1, spec.count),
               fixIt: suggestion.map { Diagnostic.FixIt(replacement: $0, length: spec.count) })
        return nil
    }
}
