#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NetworkAddresses

/// Large `zone` statements already read, each kept with its exact text and the addresses it resolves
/// to, so that an unchanged statement costs a comparison of bytes instead of parsing and normalising
/// thousands of prefixes. An entry is found by the statement's length and confirmed by comparing every
/// byte: no digest has to be trusted.
public struct ParsedZones: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        /// The statement as written: whole lines, from the line of `zone` to its line end.
        public var text: [UInt8]
        public var name: String
        /// The name's column on the statement's first line.
        public var nameColumn: Int
        public var addresses: AddressSet
        /// How many loads in a row have not used it: the previous version of an edited statement is kept
        /// for a few loads, so that switching between two versions of a policy (or two policies) finds both.
        public var unused: Int

        public init(text: [UInt8], name: String, nameColumn: Int, addresses: AddressSet, unused: Int = 0) {
            self.text = text
            self.name = name
            self.nameColumn = nameColumn
            self.addresses = addresses
            self.unused = unused
        }
    }

    /// Entries no load has used for more than this many loads are dropped.
    static let keptUnused = 2
    public private(set) var entries: [Entry] = []
    private var byLength: [Int: [Int]] = [:]

    public init(_ entries: [Entry] = []) {
        for entry in entries { add(entry) }
    }

    mutating func add(_ entry: Entry) {
        byLength[entry.text.count, default: []].append(entries.count)
        entries.append(entry)
    }

    /// The index of the entry whose text is exactly `text`.
    func index(of text: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let base = text.baseAddress else { return nil }
        return byLength[text.count]?.first { index in
            entries[index].text.withUnsafeBufferPointer { memcmp($0.baseAddress!, base, text.count) == 0 }
        }
    }

    /// What to keep after a load that used the entries at `used` and read `learned` anew: those, and
    /// the others while they have not gone unused too long.
    func updated(used: Set<Int>, learned: [Entry]) -> ParsedZones {
        var next = ParsedZones()
        for (index, var entry) in entries.enumerated() {
            entry.unused = used.contains(index) ? 0 : entry.unused + 1
            if entry.unused <= ParsedZones.keptUnused { next.add(entry) }
        }
        for entry in learned where next.index(of: entry.text) == nil { next.add(entry) }
        return next
    }

    public static func == (lhs: ParsedZones, rhs: ParsedZones) -> Bool { lhs.entries == rhs.entries }
}

extension ParsedZones {
    fileprivate func index(of text: [UInt8]) -> Int? { text.withUnsafeBufferPointer { index(of: $0) } }
}
