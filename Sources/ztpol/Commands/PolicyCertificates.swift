import ACME
import PolicyModel

/// The certificate requests a policy makes for this host: one per `acme` block of its zones.
enum PolicyCertificates {
    enum Failure: Error, CustomStringConvertible {
        case noAcmeBlock(zones: [String], blocks: [String])

        var description: String {
            switch self {
            case let .noAcmeBlock(zones, blocks):
                "no acme block for zone \(zones.joined(separator: ", ")) in the policy"
                    + (blocks.isEmpty ? "" : " (there are acme blocks for \(blocks.joined(separator: ", ")))")
            }
        }
    }

    static func requests(_ policy: Policy, zones given: [String], refinedBy refinements: CertFlags.Refinements)
        throws -> [CertificateRequest] {
        let zones = try HostZones.resolve(policy, given: given)
        let blocks = policy.acme.filter { zones.contains($0.zone) }
        guard !blocks.isEmpty else { throw Failure.noAcmeBlock(zones: zones, blocks: policy.acme.map(\.zone)) }
        return blocks.map { block in
            var request = CertificateRequest(block)
            refinements.apply(to: &request)
            return request
        }
    }
}
