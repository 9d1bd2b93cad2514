import NetworkAddresses

/// A valid address, prefix or range as written: `10.0.0.1`, `fd77::/64`, `10.0.0.5-10.0.0.9`.
///
/// The parser only builds one when the text is valid, so `range` always holds what the text means.
public struct AddressLiteralSyntax: Sendable, Hashable {
    public var text: String
    public var location: SourceLocation
    public var range: AddressRange

    public init(_ text: String, at location: SourceLocation, range: AddressRange) {
        self.text = text
        self.location = location
        self.range = range
    }

    public var length: Int { text.count }
}
