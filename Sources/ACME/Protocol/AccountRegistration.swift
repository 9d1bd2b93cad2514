/// Finds or creates the account for the connection's key (RFC 8555 §7.3), with External Account
/// Binding when the server asks for it.
enum AccountRegistration {
    /// Registers the key (or finds it registered: the server answers 200 with the same URL) and
    /// returns the account URL.
    static func register(_ connection: Connection, contactEmail: String?,
                         binding: ExternalAccountBinding?) throws -> String {
        let directory = connection.directory
        if directory.meta?.externalAccountRequired == true && binding == nil {
            throw ACMEError.invalidRequest(
                "the server requires External Account Binding: give the key ID and HMAC key your CA issued "
                    + "(--eab-kid and --eab-hmac)")
        }
        let eab = try binding.map { try $0.jws(accountKey: connection.jwk, newAccountURL: directory.newAccount) }
        let body = NewAccount(contact: contactEmail.map { ["mailto:\($0)"] }, termsOfServiceAgreed: true,
                              externalAccountBinding: eab)
        let response = try connection.post(directory.newAccount, body: body, request: "newAccount",
                                           signedWithJWK: true)
        guard let url = response.header("location") else {
            throw ACMEError.unexpectedResponse(request: "newAccount", status: response.status,
                                               excerpt: "no Location header")
        }
        let account = try Connection.decode(Account.self, from: response, request: "newAccount")
        guard account.status == "valid" else {
            throw ACMEError.invalidRequest("the account \(url) is \(account.status)")
        }
        return url
    }
}
