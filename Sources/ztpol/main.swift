import Foundation

exit(Dispatcher.run(Array(CommandLine.arguments.dropFirst()), console: Console()).rawValue)
