import ACME
import PolicyModel

extension CertificateRequest {
    /// A policy's `acme ZONE { ... }` block as a request: the model has already resolved the trust
    /// root against the policy's folder and checked the names, so this is a field-by-field mapping.
    /// `ztpol cert POLICY [--zone NAME]` uses it once the policy loader is in place.
    init(_ block: AcmeBlock) {
        self.init(directoryURL: block.directory, trust: .only(rootFile: block.trustRoot),
                  identifiers: block.domains.map(Identifier.init))
        contactEmail = block.email
        if let keyID = block.eabKeyID, let hmac = block.eabHMACKey {
            externalAccountBinding = ExternalAccountBinding(keyID: keyID, hmacKey: hmac)
        }
        // Both enums spell the five types alike; ec256 is the default of either.
        keyType = KeyType(rawValue: block.keyType.rawValue) ?? .ec256
        stateDirectory = block.stateDirectory ?? StateDirectory.defaultPath
        reloadCommand = block.reloadCommand
    }
}
