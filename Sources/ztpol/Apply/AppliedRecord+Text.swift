/// The file form of an `AppliedRecord`: one `key value` line each, sets and files repeated. Written and read
/// by hand, because JSON through Codable cost every apply 5 ms of type lookups in this large binary. Any line
/// that does not fit makes the whole record unknown, which only costs the next apply a read-back.
///
///     ztpol applied record 3
///     fingerprint 1234  generation 56  shape 789  chains 82  rules 1011  elements 99105   (one line each)
///     commentless 4567                   (when known)
///     set 4242 zone_web_v4
///     digest 3f2a…                       (with inputs)
///     file 2049:1311:1234:1700000000.0 /etc/ztpol/root.pem
///     checksum 5d41…                     (SHA-256 of every line above, line ends included)
///
/// The kernel confirms the fingerprint and generation; the checksum keeps a damaged shape, set or
/// commentless fingerprint from being believed.
extension AppliedRecord {
    static let header = "ztpol applied record 3"

    var text: String {
        var lines = ["fingerprint \(fingerprint)", "generation \(generation)", "shape \(shape)",
                     "chains \(chains)", "rules \(rules)", "elements \(elements)"]
        if let commentless { lines.append("commentless \(commentless)") }
        lines += sets.sorted { $0.key < $1.key }.map { "set \($0.value) \($0.key)" }
        // A path with a line break cannot be written on one line: without inputs, the next run compiles.
        if let inputs, !inputs.files.keys.contains(where: { $0.contains("\n") }) {
            lines.append("digest \(inputs.digest)")
            lines += inputs.files.sorted { $0.key < $1.key }.map { "file \($0.value) \($0.key)" }
        }
        return ChecksummedLines.text(header: AppliedRecord.header, lines)
    }

    init?(text: Substring) {
        guard let lines = ChecksummedLines.lines(of: text, header: AppliedRecord.header) else { return nil }
        var numbers: [Substring: UInt64] = [:]
        var sets: [String: UInt64] = [:]
        var digest: String?
        var files: [String: String] = [:]
        for line in lines {
            guard let space = line.firstIndex(of: " ") else { return nil }
            let key = line[..<space], value = line[line.index(after: space)...]
            switch key {
            case "set", "file":
                guard let split = value.firstIndex(of: " ") else { return nil }
                let first = value[..<split], rest = String(value[value.index(after: split)...])
                if key == "set" {
                    guard let number = UInt64(first), !rest.isEmpty else { return nil }
                    sets[rest] = number
                } else {
                    files[rest] = String(first)
                }
            case "digest":
                digest = String(value)
            default:
                guard let number = UInt64(value), numbers.updateValue(number, forKey: key) == nil else { return nil }
            }
        }
        guard let fingerprint = numbers["fingerprint"],
              let generation = numbers["generation"].flatMap(UInt32.init(exactly:)), let shape = numbers["shape"],
              let chains = numbers["chains"].flatMap(Int.init(exactly:)),
              let rules = numbers["rules"].flatMap(Int.init(exactly:)),
              let elements = numbers["elements"].flatMap(Int.init(exactly:)),
              numbers.count == (numbers["commentless"] == nil ? 6 : 7), digest != nil || files.isEmpty
        else { return nil }
        self.init(fingerprint: fingerprint, generation: generation, shape: shape, commentless: numbers["commentless"],
                  sets: sets, chains: chains,
                  rules: rules, elements: elements, inputs: digest.map { ApplyInputs(digest: $0, files: files) })
    }
}
