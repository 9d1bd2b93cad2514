#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Cuts policy text into pieces of whole lines at statement boundaries, looking at bytes only, so that a
/// front end can re-read just the statements that changed. Each large `zone` statement gets a piece of
/// its own; everything between them is one piece.
///
/// The cut is a guess made for speed (a few passes of `memchr` over the text): what keeps the result
/// right is that every piece is then parsed on its own with `Parser.parseLines`, which must report no
/// diagnostic and end between statements. A wrong cut shows up there, and the caller reads the whole file.
public enum StatementSplitter {
    public struct Piece: Sendable, Equatable {
        /// Byte offsets in the text: whole lines, the last one with its line end (unless the text has none).
        public var bytes: Range<Int>
        /// The line the piece starts on, counting from 1.
        public var firstLine: Int
        /// True for a piece holding one `zone` statement of at least the minimum size, and nothing else.
        public var isZone: Bool
    }

    /// The pieces of `text`, in order, covering all of it; nil when the text is not plain ASCII with `\n`
    /// line ends (where columns would not be bytes: the caller then reads the whole file).
    /// - Parameter minimumZoneBytes: smaller zone statements stay in the pieces around them.
    public static func split(_ text: UnsafeBufferPointer<UInt8>, minimumZoneBytes: Int) -> [Piece]? {
        guard let base = text.baseAddress else { return [] }
        guard isPlain(text) else { return nil }
        var pieces: [Piece] = []
        var runStart = 0, runLine = 1
        var line = 1, start = 0
        var continuing = false, depth = 0
        var zone: (start: Int, line: Int)?
        // Comments, strings and braces are rare in address lists: found once over the whole text, so that
        // most lines cost one memchr for their end and a look at their last bytes.
        var special = SpecialBytes(base, count: text.count)
        while start < text.count {
            let end = find(UInt8(ascii: "\n"), in: base, from: start, to: text.count) ?? text.count
            let next = min(end + 1, text.count)
            let shape = LineShape(base, start, end, plain: special.none(before: end, from: start))
            if zone == nil && !continuing && depth == 0 && shape.startsZone { zone = (start, line) }
            depth = max(0, depth + shape.braces)
            if shape.last != .none { continuing = shape.last == .continuation }
            if let statement = zone, !continuing {
                if next - statement.start >= minimumZoneBytes {
                    if runStart < statement.start {
                        pieces.append(Piece(bytes: runStart..<statement.start, firstLine: runLine, isZone: false))
                    }
                    pieces.append(Piece(bytes: statement.start..<next, firstLine: statement.line, isZone: true))
                    runStart = next
                    runLine = line + 1
                }
                zone = nil
            }
            line += 1
            start = next
        }
        if runStart < text.count {
            pieces.append(Piece(bytes: runStart..<text.count, firstLine: runLine, isZone: false))
        }
        return pieces
    }

    /// ASCII only, and no line end but `\n` (the lexer also ends lines at `\r`, vertical tab and form feed).
    /// One pass, eight bytes at a time: it looks at every byte of the policy.
    static func isPlain(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        let base = UnsafeRawPointer(text.baseAddress!)
        let highBits: UInt64 = 0x8080_8080_8080_8080
        var index = 0
        while index + 8 <= text.count {
            let word = base.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            // For bytes under 0x80, adding 0x80 - k sets a byte's high bit exactly when it is k or more, and
            // carries into no other byte: a byte in 0x0B...0x0D is at least 0x0B and not at least 0x0E.
            let atLeastVT = word &+ 0x7575_7575_7575_7575, atLeastSO = word &+ 0x7272_7272_7272_7272
            if word & highBits != 0 || atLeastVT & ~atLeastSO & highBits != 0 { return false }
            index += 8
        }
        while index < text.count {
            if text[index] >= 0x80 || (0x0B...0x0D).contains(text[index]) { return false }
            index += 1
        }
        return true
    }

    /// The offsets of `#`, `"`, `{` and `}` in the text, merged in order, consumed line by line.
    struct SpecialBytes {
        private var offsets: [Int] = []
        private var next = 0

        init(_ base: UnsafePointer<UInt8>, count: Int) {
            for byte in ["#", "\"", "{", "}"] as [Character] {
                var from = 0
                while let found = StatementSplitter.find(byte.asciiValue!, in: base, from: from, to: count) {
                    offsets.append(found)
                    from = found + 1
                }
            }
            offsets.sort()
        }

        /// True when none is in `start..<end`; lines must be asked about in order.
        mutating func none(before end: Int, from start: Int) -> Bool {
            while next < offsets.count && offsets[next] < start { next += 1 }
            return next == offsets.count || offsets[next] >= end
        }
    }

    static func find(_ byte: UInt8, in base: UnsafePointer<UInt8>, from: Int, to end: Int) -> Int? {
        guard from < end, let found = memchr(base + from, Int32(byte), end - from) else { return nil }
        return UnsafeRawPointer(found) - UnsafeRawPointer(base)
    }
}

/// What the splitter needs to know of one line: whether it starts a `zone` statement, how it changes
/// the depth of braces, and whether its last token carries the statement on to the next line.
struct LineShape {
    enum Last {
        /// Blank, or only a comment: the line changes nothing.
        case none
        /// `,` or `->`.
        case continuation
        case other
    }

    var startsZone = false
    var braces = 0
    var last = Last.none

    /// - Parameter plain: the line holds no `#`, `"`, `{` or `}`.
    init(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int, plain: Bool) {
        if plain {
            scanPlain(base, start, end)
        } else {
            scanWithStrings(base, start, end)
        }
        var first = start
        while first < end && (base[first] == UInt8(ascii: " ") || base[first] == UInt8(ascii: "\t")) { first += 1 }
        // Byte by byte: an array of the keyword cost an allocation per line.
        if first + 4 <= end, base[first] == UInt8(ascii: "z"), base[first + 1] == UInt8(ascii: "o"),
           base[first + 2] == UInt8(ascii: "n"), base[first + 3] == UInt8(ascii: "e") {
            startsZone = first + 4 == end || !Lexer.isWordCharacter(base[first + 4])
        }
    }

    /// A line without comments, strings or braces: its last token read backwards from its end.
    private mutating func scanPlain(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) {
        var index = end - 1
        while index >= start && (base[index] == UInt8(ascii: " ") || base[index] == UInt8(ascii: "\t")) { index -= 1 }
        guard index >= start else { return }
        let isArrow = base[index] == UInt8(ascii: ">") && index > start && base[index - 1] == UInt8(ascii: "-")
        last = base[index] == UInt8(ascii: ",") || isArrow ? .continuation : .other
    }

    /// Any other line: read byte by byte, as the lexer would (comments, strings and their escapes, braces).
    private mutating func scanWithStrings(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) {
        var index = start
        var inString = false
        while index < end {
            let byte = base[index]
            index += 1
            if inString {
                if byte == UInt8(ascii: "\\") {
                    index += 1
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "#"): return
            case UInt8(ascii: " "), UInt8(ascii: "\t"): continue
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"): braces += 1
            case UInt8(ascii: "}"): braces -= 1
            default: break
            }
            let isArrow = byte == UInt8(ascii: ">") && index >= start + 2 && base[index - 2] == UInt8(ascii: "-")
            last = byte == UInt8(ascii: ",") || isArrow ? .continuation : .other
        }
    }
}
