import CShims
import Foundation

// Before anything is opened: a closed standard descriptor must not be taken by a file or socket.
ztpol_open_standard_descriptors()

// Large blocks from the heap, and freed memory kept: see heap_shims.h.
ztpol_keep_heap_for_short_run()

let console = Console()
let code = Dispatcher.run(Array(CommandLine.arguments.dropFirst()), console: console)
// Output that could not be written (a full disk, say) is a failure even when the work was done.
if let error = Console.outputError {
    console.error("could not write to standard output: \(String(cString: strerror(error)))")
    exit(code == .success ? ExitCode.failure.rawValue : code.rawValue)
}
exit(code.rawValue)
