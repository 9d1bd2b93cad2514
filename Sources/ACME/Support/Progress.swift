/// One step of an issuance or renewal, reported to the caller as it happens.
///
/// Library code never prints: the command line decides where these lines go. Messages name URLs,
/// identifiers and file paths, never a private key, an HMAC or a challenge token.
public struct ACMEProgress: Sendable, Equatable {
    public enum Step: String, Sendable, Codable {
        case directory, account, order, authorization, challenge, validation, finalize, download, store
        case renewal, reload
    }

    public let step: Step
    public let message: String

    public init(_ step: Step, _ message: String) {
        self.step = step
        self.message = message
    }
}

/// Receives progress lines; called on the thread doing the work.
public typealias ACMEProgressHandler = @Sendable (ACMEProgress) -> Void
