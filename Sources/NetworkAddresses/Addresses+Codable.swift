/// Addresses are stored as their text (`10.0.0.1`, `fd77::1`): readable in state files, and the family
/// comes back with the parse.
extension IPAddress: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let address = IPAddress(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "'\(text)' is not an IP address"))
        }
        self = address
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension IPFamily: Codable {}

/// A range is stored as `first-last` (or one address when they are equal).
extension AddressRange: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        let ends = text.split(separator: "-", maxSplits: 1).map(String.init)
        guard let first = IPAddress(ends[0]), let last = ends.count == 2 ? IPAddress(ends[1]) : first,
              first.family == last.family, first <= last else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "'\(text)' is not an address range"))
        }
        self.init(first: first, last: last)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(first == last ? first.description : "\(first)-\(last)")
    }
}

/// A port range is stored as `[first, last]`.
extension PortRange: Codable {
    public init(from decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        let first = try container.decode(UInt16.self), last = try container.decode(UInt16.self)
        guard first <= last else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "reversed port range \(first)-\(last)"))
        }
        self.init(first, last)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.unkeyedContainer()
        try container.encode(first)
        try container.encode(last)
    }
}
