import Testing
import PolicyModel
import PolicyLanguage
import Foundation

@Test func smoke() {
    let path = repositoryRoot.appendingPathComponent("policies/webserver.zt").path
    let (policy, diags) = PolicyLoader.load(path: path)
    print(DiagnosticRenderer().render(diags))
    print(policy as Any)
}
