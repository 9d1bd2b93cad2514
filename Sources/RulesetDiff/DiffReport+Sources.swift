extension DiffReport.Source {
    /// `policies/web.zt`, `kernel: table inet ztpol (generation 12, handle 4) in netns web`.
    func label(table: String) -> String {
        switch self {
        case .policy(let path):
            return path
        case .kernel(let namespace, let generation, let handle):
            var label = "kernel: "
            if let generation, let handle {
                label += "table \(table) (generation \(generation), handle \(handle))"
            } else {
                label += "no table \(table)"
            }
            return label + (namespace.map { " in netns \($0)" } ?? "")
        }
    }
}

extension DiffReport {
    /// The table the report is about, for the kernel's label.
    var tableText: String { tables.first?.tableText ?? "inet ztpol" }
}
