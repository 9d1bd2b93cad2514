import Foundation

/// One `-----BEGIN LABEL-----` … `-----END LABEL-----` block of a PEM text, decoded.
public struct PEMBlock: Equatable, Sendable {
    /// The label between `BEGIN` and the dashes, e.g. `CERTIFICATE` or `PRIVATE KEY`.
    public let label: String
    /// The base64 body, decoded.
    public let der: [UInt8]

    public init(label: String, der: [UInt8]) {
        self.label = label
        self.der = der
    }

    /// The canonical PEM text of this block: base64 in lines of 64 characters, ending with a newline.
    public var text: String {
        let body = Data(der).base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
        return "-----BEGIN \(label)-----\n\(body)\n-----END \(label)-----\n"
    }
}

/// Why a text could not be read as PEM.
public enum PEMError: Error, Equatable, CustomStringConvertible {
    /// No `-----BEGIN …-----` line at all.
    case noBlocks
    /// A block began but no matching `-----END …-----` line followed.
    case unterminated(label: String)
    /// A block's body is not base64.
    case badBase64(label: String)

    public var description: String {
        switch self {
        case .noBlocks:
            "no PEM block found: expected a '-----BEGIN CERTIFICATE-----' line"
        case .unterminated(let label):
            "PEM block '\(label)' has no '-----END \(label)-----' line"
        case .badBase64(let label):
            "PEM block '\(label)' does not hold valid base64"
        }
    }
}

/// Reads every PEM block of a text, in order; text between blocks (comments, as in CA bundles) is skipped,
/// and so is a byte order mark that some editors put first (OpenSSL reads such files too).
public func parsePEMBlocks(_ text: String) throws(PEMError) -> [PEMBlock] {
    var blocks: [PEMBlock] = []
    var open: (label: String, body: String)?
    let text = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
    for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
        let line = rawLine.trimmingCharacters(in: .whitespaces)
        if let current = open {
            if line == "-----END \(current.label)-----" {
                guard let der = Data(base64Encoded: current.body) else {
                    throw .badBase64(label: current.label)
                }
                blocks.append(PEMBlock(label: current.label, der: [UInt8](der)))
                open = nil
            } else {
                open = (current.label, current.body + line)
            }
        } else if line.hasPrefix("-----BEGIN "), line.hasSuffix("-----"), line.count > 16 {
            open = (String(line.dropFirst(11).dropLast(5)), "")
        }
    }
    if let current = open {
        throw .unterminated(label: current.label)
    }
    if blocks.isEmpty {
        throw .noBlocks
    }
    return blocks
}
