import ACME

/// Prints the ACME client's progress on standard error, one line per step: `acme order: ...`.
struct ProgressPrinter {
    let console: Console

    var handler: ACMEProgressHandler {
        { [console] progress in console.err("acme \(progress.step.rawValue): \(progress.message)") }
    }
}
