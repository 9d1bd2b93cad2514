import Foundation
import TestSupport

/// A generated policy, as lines, and the random edits a person makes to one: for comparing the
/// incremental front end with the full one.
struct PolicyEdits {
    var rng: SeededGenerator

    /// Zones `g0`… of prefixes over continued lines (4 to a line), small zones with references and
    /// `except`, services, flows, an expectation, and `acme` and `trust` blocks (whose root must exist
    /// at `certs/root.pem` beside the policy for the policy to load without a warning).
    mutating func policy(zones: Int = 8) -> [String] {
        var lines = ["# generated for IncrementalLoaderTests", "zone ra   10.77.0.1, fd77::1",
                     "zone web  10.77.0.2, fd77::2  # the host", "service https  tcp/443", ""]
        for zone in 0..<zones {
            let items = (0..<Int.random(in: 6...30, using: &rng)).map { _ in prefix() }
            let rows = stride(from: 0, to: items.count, by: 4).map {
                items[$0..<min($0 + 4, items.count)].joined(separator: ", ")
            }
            lines.append("zone g\(zone)  " + rows[0] + (rows.count > 1 ? "," : ""))
            for (index, row) in rows.enumerated().dropFirst() {
                lines.append("    " + row + (index < rows.count - 1 ? "," : ""))
            }
        }
        lines += ["zone both  g0, g1 except g2", "zone some  g3, 198.19.255.1 except 198.18.0.0/24", "",
                  "service ssh    tcp/22", "service admin  ssh, https, udp/500-600", "",
                  "web -> ra https", "ra -> web https", "g0, g1 ->", "    web  admin", "web -> both, some  ssh",
                  "g4 -> web  tcp/8000-8999, https", "expect ra -> web https allow", "",
                  "acme web {", "  directory  \"https://10.77.0.1/dir\"  # a comment, with \"quotes\"",
                  "  trust      \"certs/root.pem\"", "  domain     web.test, www.web.test", "}",
                  "trust web { root \"certs/root.pem\" }", "g5 -> web  ssh"]
        return lines
    }

    mutating func prefix() -> String {
        if Bool.random(using: &rng) {
            let length = [16, 20, 24, 24, 28, 32].randomElement(using: &rng)!
            let host = UInt32(198) << 24 | UInt32(18) << 16 | UInt32.random(in: 0..<(1 << 17), using: &rng) << 8
            let value = (host >> (32 - length)) << (32 - length)
            return "\((value >> 24) & 255).\((value >> 16) & 255).\((value >> 8) & 255).\(value & 255)/\(length)"
        }
        return "2001:db8:\(String(UInt16.random(in: 0...0xffff, using: &rng), radix: 16))::/48"
    }

    /// One random edit: most keep the policy valid, some break it.
    mutating func edit(_ lines: [String]) -> [String] {
        var lines = lines
        let index = Int.random(in: 0..<lines.count, using: &rng)
        let zoneLines = lines.indices.filter { lines[$0].hasPrefix("zone g") || lines[$0].hasPrefix("    ") }
        let another = prefix()
        switch Int.random(in: 0..<16, using: &rng) {
        case 0, 1: editItems(&lines, zoneLines) { items, rng in items.insert(another, at: .random(in: 0...items.count,
                                                                                                  using: &rng)) }
        case 2: editItems(&lines, zoneLines) { items, _ in if items.count > 1 { items.remove(at: 0) } }
        case 3: editItems(&lines, zoneLines) { items, _ in items[items.count - 1] = another }
        case 4:
            let other = Int.random(in: 0..<lines.count, using: &rng)
            lines.swapAt(index, other)
        case 5: lines[index] += "   # note, -> \"x\" {"
        case 6: lines.insert(["# a comment line", "", "   ", "#,"].randomElement(using: &rng)!, at: index)
        case 7: lines[index] = String(lines[index].dropLast(Int.random(in: 0...3, using: &rng)))
        case 8: lines[index] = lines[index].replacingOccurrences(of: ",", with: "", options: [], range: nil)
        case 9:
            let zone = "g\(Int.random(in: 0..<8, using: &rng))"
            let renamed = "h\(Int.random(in: 0..<3, using: &rng))"
            lines = lines.map { Bool.random(using: &rng) ? $0.replacingOccurrences(of: zone + " ", with: renamed + " ")
                : $0.replacingOccurrences(of: zone, with: renamed) }
        case 10:
            let zone = "g\(Int.random(in: 0..<8, using: &rng))"
            editItems(&lines, zoneLines) { items, _ in items.append(zone) }
        case 11: lines.insert("zone extra\(index)  g\(index % 8), 198.19.\(index % 256).0/24", at: index)
        case 12: lines.insert(lines[index], at: index)
        case 13: lines[index] += ["\r", " é", "\t", " zone", ",", " ->", " {", " }", "\""]
            .randomElement(using: &rng)!
        case 14: editItems(&lines, zoneLines) { items, _ in items[0] = "198.18.0.1/24" }
        default: lines.remove(at: index)
        }
        return lines
    }

    /// Applies `change` to the items of one line of a generated zone's list.
    private mutating func editItems(_ lines: inout [String], _ candidates: [Int],
                                    _ change: (inout [String], inout SeededGenerator) -> Void) {
        guard let index = candidates.randomElement(using: &rng) else { return }
        let line = lines[index]
        let header = line.hasPrefix("zone g") ? String(line.prefix(upTo: line.range(of: "  ")?.upperBound
                                                                   ?? line.endIndex)) : "    "
        let body = line.dropFirst(header.count)
        let continued = body.hasSuffix(",")
        var items = (continued ? body.dropLast() : body).components(separatedBy: ", ")
        change(&items, &rng)
        lines[index] = header + items.joined(separator: ", ") + (continued ? "," : "")
    }
}
