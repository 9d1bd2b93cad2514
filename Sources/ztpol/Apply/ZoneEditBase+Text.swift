import NetworkAddresses

/// The file form of a `ZoneEditBase`, one `key value…` line each, written and read by hand as the record
/// is. Anything that does not fit makes the whole base unknown, which only costs the next edit the usual load.
/// Unlike the record, which the kernel's stamp confirms, nothing confirms a base's zones but the base: its
/// last line is the SHA-256 of the lines before it, so that a damaged or hand-edited base is not used.
///
///     ztpol zone edit base 1
///     record 1234   context 3f2a…            (one line each)
///     set zone_web_v4                          (every set, in the table's order)
///     host 4 a000001 a0000ff                   (the host's addresses, family and hexadecimal ends)
///     piece 12 9c1e…                           (line, digest)
///     zone 40 77b0… 1 4 zone_blocklist_v4 - blocklist
///         (line, digest, meets the host, its families, IPv4 set, IPv6 set, name; `-` none, `.` not asked)
///     checksum 5d41…                           (SHA-256 of every line above, line ends included)
extension ZoneEditBase {
    static let header = "ztpol zone edit base 1"

    var text: String {
        var lines = ["record \(record)", "context \(context)"]
        lines += setOrder.map { "set \($0)" }
        for family in [IPFamily.ipv4, .ipv6] {
            lines += hostAddresses.ranges(family).map {
                let ends = "\(String($0.first.value, radix: 16)) \(String($0.last.value, radix: 16))"
                return "host \(family == .ipv4 ? 4 : 6) \(ends)"
            }
        }
        for piece in pieces {
            guard let zone = piece.zone else {
                lines.append("piece \(piece.firstLine) \(piece.digest)")
                continue
            }
            let set = { (family: IPFamily) in zone.sets[family].map { $0 ?? "-" } ?? "." }
            let families = zone.families.sorted().map { $0 == .ipv4 ? "4" : "6" }.joined()
            lines.append("zone \(piece.firstLine) \(piece.digest) \(zone.meetsHost ? 1 : 0) \(families) \(set(.ipv4)) "
                         + "\(set(.ipv6)) \(zone.name)")
        }
        return ChecksummedLines.text(header: ZoneEditBase.header, lines)
    }

    init?(text: Substring) {
        guard let lines = ChecksummedLines.lines(of: text, header: ZoneEditBase.header) else { return nil }
        var record: UInt64?, context: String?
        var setOrder: [String] = [], pieces: [Piece] = []
        var host: [IPFamily: [AddressRange]] = [.ipv4: [], .ipv6: []]
        for line in lines {
            let fields = line.split(separator: " ")
            switch (fields.first, fields.count) {
            case ("record", 2):
                guard record == nil, let value = UInt64(fields[1]) else { return nil }
                record = value
            case ("context", 2):
                guard context == nil else { return nil }
                context = String(fields[1])
            case ("set", 2):
                setOrder.append(String(fields[1]))
            case ("host", 4):
                let family: IPFamily? = fields[1] == "4" ? .ipv4 : fields[1] == "6" ? .ipv6 : nil
                guard let family, let first = UInt128(fields[2], radix: 16), let last = UInt128(fields[3], radix: 16),
                      first <= last, last <= family.maxValue else { return nil }
                host[family]!.append(AddressRange(first: IPAddress(family: family, value: first),
                                                  last: IPAddress(family: family, value: last)))
            case ("piece", 3):
                guard let line = Int(fields[1]) else { return nil }
                pieces.append(Piece(firstLine: line, digest: String(fields[2]), zone: nil))
            case ("zone", 8):
                let families: [Substring: Set<IPFamily>] = ["4": [.ipv4], "6": [.ipv6], "46": [.ipv4, .ipv6]]
                guard let line = Int(fields[1]), fields[3] == "0" || fields[3] == "1",
                      let held = families[fields[4]] else { return nil }
                var sets: [IPFamily: String?] = [:]
                for (family, field) in [(IPFamily.ipv4, fields[5]), (.ipv6, fields[6])] where field != "." {
                    sets[family] = field == "-" ? .some(nil) : .some(String(field))
                }
                let zone = EditableZone(name: String(fields[7]), families: held, meetsHost: fields[3] == "1",
                                        sets: sets)
                pieces.append(Piece(firstLine: line, digest: String(fields[2]), zone: zone))
            default:
                return nil
            }
        }
        guard let record, let context,
              let hostAddresses = AddressSet(normalisedIPv4: host[.ipv4]!, ipv6: host[.ipv6]!) else { return nil }
        self.init(record: record, context: context, setOrder: setOrder, hostAddresses: hostAddresses, pieces: pieces)
    }
}
