/// A bootstrap that stopped, and at which step: the message and exit code say which and why.
struct BootstrapFailure: Error, CustomStringConvertible {
    enum Step: String {
        case check = "check"
        case firewall = "firewall"
        case certificate = "certificate"
        case trust = "trust"
        case confirm = "confirm"

        var number: Int {
            switch self {
            case .check: 1
            case .firewall: 2
            case .certificate: 3
            case .trust: 4
            case .confirm: 5
            }
        }
    }

    var step: Step
    var reason: String
    /// What happened to the firewall because of the failure, when anything did.
    var firewall: String?

    var description: String {
        "bootstrap failed at step \(step.number) (\(step.rawValue)): \(reason)"
            + (firewall.map { "\n  firewall: \($0)" } ?? "")
    }
}
