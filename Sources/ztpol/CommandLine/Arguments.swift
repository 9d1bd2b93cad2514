import PolicyLanguage

/// The words after a subcommand, consumed as options are read.
///
/// Hand-written because no Swift package can be fetched here; it knows flags (`--json`), options with a
/// value (`--zone web` or `--zone=web`), repeatable options, and positionals. Anything left over when a
/// command has taken what it knows is a usage error naming the word.
struct Arguments {
    private var words: [String]
    /// The options and flags the command asked for, to suggest one for a misspelt word.
    private var asked: [String] = []

    init(_ words: [String]) { self.words = words }

    /// True when `--help` or `-h` is present.
    var wantsHelp: Bool { words.contains("--help") || words.contains("-h") }

    /// Removes a boolean flag and says whether it was there.
    mutating func flag(_ name: String) -> Bool {
        asked.append(name)
        guard let index = words.firstIndex(of: name) else { return false }
        words.remove(at: index)
        return true
    }

    /// Removes `--name VALUE` or `--name=VALUE` and returns VALUE; the last one wins.
    mutating func option(_ name: String) throws -> String? {
        try options(name).last
    }

    /// Removes every `--name VALUE` / `--name=VALUE` and returns the values in order.
    mutating func options(_ name: String) throws -> [String] {
        asked.append(name)
        var values: [String] = []
        var index = 0
        while index < words.count {
            let word = words[index]
            if word == name {
                guard index + 1 < words.count, !words[index + 1].hasPrefix("--") else {
                    throw UsageError("option '\(name)' needs a value")
                }
                values.append(words[index + 1])
                words.removeSubrange(index...(index + 1))
            } else if word.hasPrefix(name + "=") {
                values.append(String(word.dropFirst(name.count + 1)))
                words.remove(at: index)
            } else {
                index += 1
            }
        }
        return values
    }

    /// Removes and parses an integer option within `range`.
    mutating func integer(_ name: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let text = try option(name) else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw UsageError("option '\(name)' takes a whole number from \(range.lowerBound) to "
                             + "\(range.upperBound), not '\(text)'")
        }
        return value
    }

    /// Removes and returns the remaining positional words; refuses unknown options.
    mutating func positionals() throws -> [String] {
        if let unknown = words.first(where: { $0.hasPrefix("-") && $0 != "-" }) {
            let name = String(unknown.prefix { $0 != "=" })
            throw UsageError("unknown option '\(unknown)'" + (Suggestions.hint(for: name, in: asked) ?? ""))
        }
        defer { words.removeAll() }
        return words
    }

    /// Takes exactly `count` positionals, named in the message when missing or extra.
    mutating func positionals(exactly names: [String]) throws -> [String] {
        let values = try positionals()
        if values.count < names.count {
            throw UsageError("missing \(names[values.count])")
        }
        if values.count > names.count {
            throw UsageError("unexpected argument '\(values[names.count])'")
        }
        return values
    }
}

/// A command line that does not fit the command's usage; printed with the usage line, exit code 1.
struct UsageError: Error {
    var message: String
    init(_ message: String) { self.message = message }
}
