import NetworkAddresses

/// The parts of an `acme` directory URL that the firewall cares about: which host, which port.
public struct AcmeDirectoryURL: Sendable, Hashable {
    public enum Host: Sendable, Hashable, CustomStringConvertible {
        /// An address literal: the static proof can run from the policy alone.
        case address(IPAddress)
        /// A DNS name: the proof needs the addresses it resolves to.
        case name(String)

        public var description: String {
            switch self {
            case .address(let address): address.description
            case .name(let name): name
            }
        }
    }

    public var host: Host
    /// The port from the URL, 443 when it names none.
    public var port: UInt16
    /// Everything from the first `/` after the host, e.g. `/dir`.
    public var path: String

    public init(host: Host, port: UInt16 = 443, path: String = "") {
        self.host = host
        self.port = port
        self.path = path
    }

    /// Why a directory URL was refused.
    public enum Problem: Error, Equatable {
        case notHTTPS
        case invalid(String)
    }

    /// Parses `https://HOST[:PORT][/PATH]`, HOST being an IPv4 address, `[IPv6]` or a DNS name.
    public static func parse(_ text: String) -> Result<AcmeDirectoryURL, Problem> {
        guard let schemeEnd = text.range(of: "://") else { return .failure(.invalid("it has no scheme")) }
        guard text[..<schemeEnd.lowerBound].lowercased() == "https" else { return .failure(.notHTTPS) }
        let rest = text[schemeEnd.upperBound...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let path = String(rest.dropFirst(authority.count))
        guard !authority.contains("@") else { return .failure(.invalid("user names are not supported")) }
        var hostText = Substring(authority), portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return .failure(.invalid("'[' has no ']'")) }
            hostText = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { return .failure(.invalid("unexpected text after ']'")) }
                portText = after.dropFirst()
            }
        } else if let colon = authority.firstIndex(of: ":") {
            hostText = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        }
        var port: UInt16 = 443
        if let portText {
            guard let value = UInt16(portText), value > 0, portText.allSatisfy(\.isNumber) else {
                return .failure(.invalid("port '\(portText)' is not 1-65535"))
            }
            port = value
        }
        guard !hostText.isEmpty else { return .failure(.invalid("it has no host")) }
        if authority.hasPrefix("[") {
            guard hostText.contains(":"), let address = IPAddress(hostText) else {
                return .failure(.invalid("'\(hostText)' is not an ipv6 address"))
            }
            return .success(AcmeDirectoryURL(host: .address(address), port: port, path: path))
        }
        if hostText.allSatisfy({ $0.isNumber || $0 == "." }) {
            guard let address = IPAddress(hostText) else {
                return .failure(.invalid("'\(hostText)' is not an address"))
            }
            return .success(AcmeDirectoryURL(host: .address(address), port: port, path: path))
        }
        guard DomainName.isValid(String(hostText)) else {
            return .failure(.invalid("'\(hostText)' is not a host name"))
        }
        return .success(AcmeDirectoryURL(host: .name(hostText.lowercased()), port: port, path: path))
    }
}

/// DNS names as certificates and URLs use them.
enum DomainName {
    /// Letters, digits and inner hyphens in labels of 1–63 characters, 253 in all; no trailing dot.
    static func isValid(_ name: String) -> Bool {
        guard !name.isEmpty, name.count <= 253 else { return false }
        return name.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            (1...63).contains(label.count) && label.first != "-" && label.last != "-"
                && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        }
    }
}

extension AcmeBlock {
    /// The directory URL's host and port; nil never happens for a block the checker built.
    public var directoryURL: AcmeDirectoryURL? { try? AcmeDirectoryURL.parse(directory).get() }
}
