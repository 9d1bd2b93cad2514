import CShims
import Foundation

// Before anything is opened: a closed standard descriptor must not be taken by a file or socket.
ztpol_open_standard_descriptors()

// Large blocks from the heap, and freed memory kept: see heap_shims.h.
ztpol_keep_heap_for_short_run()

exit(Dispatcher.run(Array(CommandLine.arguments.dropFirst()), console: Console()).rawValue)
