import CShims
import Foundation

// Large blocks from the heap, and freed memory kept: see heap_shims.h.
ztpol_keep_heap_for_short_run()

exit(Dispatcher.run(Array(CommandLine.arguments.dropFirst()), console: Console()).rawValue)
