import Foundation

/// What a certificate is for: a DNS name, or an IP address (RFC 8738).
public struct Identifier: Codable, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Codable, Sendable {
        case dns, ip
    }

    public let type: Kind
    public let value: String

    public init(type: Kind, value: String) {
        self.type = type
        self.value = value
    }

    /// An IP address literal becomes an `ip` identifier, anything else a lower-cased `dns` name.
    public init(_ text: String) {
        if Self.isIPAddress(text) {
            self.init(type: .ip, value: text)
        } else {
            self.init(type: .dns, value: text.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: ".")))
        }
    }

    public var description: String { value }

    /// A DNS name is letters, digits, hyphens and dots (A-labels only) with a wildcard label first
    /// at most; an IP address must parse. ztpol puts names into an OpenSSL configuration string, so
    /// this check also keeps anything else out of it.
    public var isWellFormed: Bool {
        switch type {
        case .ip:
            return Self.isIPAddress(value)
        case .dns:
            let labels = value.split(separator: ".", omittingEmptySubsequences: false)
            guard value.count <= 253, labels.count >= 1 else { return false }
            return labels.enumerated().allSatisfy { index, label in
                if index == 0 && label == "*" && labels.count > 2 { return true }
                return (1...63).contains(label.count) && !label.hasPrefix("-") && !label.hasSuffix("-")
                    && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
            }
        }
    }

    static func isIPAddress(_ text: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, text, &v4) == 1 || inet_pton(AF_INET6, text, &v6) == 1
    }
}
