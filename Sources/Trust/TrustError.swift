/// Why a trust operation was refused or failed. Equality compares the code only, so tests stay simple;
/// the reason says what is wrong and what would be right.
public struct TrustError: Error, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        // The root certificate.
        case unreadableRoot
        case notPEM
        case notACertificate
        case moreThanOneCertificate
        case privateKeyIncluded
        case notACertificateAuthority
        case leafCertificate
        case notSelfSigned
        case expired
        case notYetValid
        // The request.
        case invalidName
        case nameTaken
        case rootAlreadyInstalled
        case notInstalled
        case unknownStore
        case storesNeedSystem
        case interpreterNotFound
        // The host or root directory.
        case missingOSRelease
        case unsupportedDistribution
        case missingBundle
        case refreshFailed
        case interpreterFailed
        case fileSystem
        case corruptJournal
    }

    public let code: Code
    public let reason: String
    public let file: String
    public let line: Int

    public init(_ code: Code, _ reason: String, file: String = #fileID, line: Int = #line) {
        self.code = code
        self.reason = reason
        self.file = file
        self.line = line
    }

    public static func == (lhs: TrustError, rhs: TrustError) -> Bool {
        lhs.code == rhs.code
    }

    public var description: String { reason }
}
