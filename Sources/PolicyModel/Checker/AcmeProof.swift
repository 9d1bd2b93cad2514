import NetworkAddresses
import PolicyLanguage

extension Policy {
    /// The static proof that an `acme` block's own traffic is admitted by the flows, before any firewall
    /// change: a certificate must never be locked out by the policy that needs it.
    ///
    /// For each address of the directory's host:
    /// - the zone's hosts may open connections to it on the directory's port (from the URL, 443 by default),
    ///   in its family — the zone must have an address of that family;
    /// - the RA — the most specific zone that holds the address (fewest addresses; the address alone when no
    ///   zone holds it) — may open tcp/443 to the zone's hosts, for every family both have, because the
    ///   TLS-ALPN-01 validation may come over any of them; and the RA must have an address of every family the
    ///   zone's hosts have, or validation over that family (an AAAA record suffices) has no flow to admit it.
    ///
    /// Each missing flow is an error at the block with the flow to add as a fix-it (`add: web -> ra https`).
    /// When the directory is given by name and `directoryAddresses` is nil, the proof cannot run and the result
    /// is a warning: the bootstrap command resolves the name and calls this again with the addresses.
    ///
    /// - Parameter directoryAddresses: the directory host's addresses, for a host given by name.
    public func acmeProof(for block: AcmeBlock, directoryAddresses: [IPAddress]? = nil) -> [Diagnostic] {
        guard let zone = zone(named: block.zone), let url = block.directoryURL else { return [] }
        let at = block.location, length = "acme".count
        let addresses: [IPAddress]
        switch (url.host, directoryAddresses) {
        case (_, let given?): addresses = given
        case (.address(let address), nil): addresses = [address]
        case (.name(let name), nil): return [Diagnostic(.acmeDirectoryByName(name), at: at, length: length)]
        }
        var diagnostics: [Diagnostic] = []
        var provenRAs: Set<String> = []
        for address in addresses {
            let zoneSide = AddressSet(zone.addresses.ranges(address.family))
            guard !zoneSide.isEmpty else {
                diagnostics.append(Diagnostic(.acmeZoneLacksFamily(zone: zone.name, family: address.family,
                                                                   address: address.description),
                                              at: at, length: length))
                continue
            }
            let ra = registrationAuthority(holding: address)
            let directoryService = serviceName(tcpPort: url.port)
            let outbound = TrafficBox(family: address.family, sources: zoneSide,
                                      destinations: AddressSet([AddressRange(address)]),
                                      services: ServiceSpace([.ports(.tcp, [PortRange(url.port)])]))
            if !Coverage.uncovered([outbound], by: flows).isEmpty {
                diagnostics.append(Diagnostic(
                    .acmeHostCannotReachDirectory(zone: zone.name, address: address.description,
                                                  service: "tcp/\(url.port)"),
                    at: at, length: length, fixIt: .addLine("\(zone.name) -> \(ra.name) \(directoryService)")))
            }
            guard provenRAs.insert(ra.name).inserted else { continue }
            var missing: [(family: IPFamily, box: TrafficBox)] = []
            for family in ra.addresses.families where !zone.addresses.ranges(family).isEmpty {
                let validation = TrafficBox(family: family, sources: AddressSet(ra.addresses.ranges(family)),
                                            destinations: AddressSet(zone.addresses.ranges(family)),
                                            services: ServiceSpace([.ports(.tcp, [PortRange(443)])]))
                if let box = Coverage.uncovered([validation], by: flows).first { missing.append((family, box)) }
            }
            // A family the host has and the RA lacks: the CA validates over it when the name has such an
            // address (an AAAA record makes pebble and real CAs try IPv6), and no flow can admit it.
            // Only an RA named by a zone is held to it: an address alone says nothing of its other family.
            for family in zone.addresses.families where ra.isZone && ra.addresses.ranges(family).isEmpty {
                let example = zone.addresses.ranges(family)[0].first.description
                diagnostics.append(Diagnostic(.acmeRALacksFamily(ra: ra.name, zone: zone.name, family: family,
                                                                 hostAddress: example),
                                              at: at, length: length,
                                              notes: ["add the RA's \(family) address to zone '\(ra.name)'"]))
            }
            if let first = missing.first {
                diagnostics.append(Diagnostic(
                    .acmeRACannotReachHost(ra: ra.name, zone: zone.name, families: missing.map(\.family),
                                           missing: first.box.description),
                    at: at, length: length, fixIt: .addLine("\(ra.name) -> \(zone.name) \(serviceName(tcpPort: 443))")))
            }
        }
        return diagnostics
    }

    /// The most specific zone holding `address`, or the address itself as a one-address "zone".
    private func registrationAuthority(holding address: IPAddress)
        -> (name: String, addresses: AddressSet, isZone: Bool) {
        let holders = zones.filter { $0.addresses.contains(address) }
        guard let best = holders.min(by: { Policy.size($0.addresses) < Policy.size($1.addresses) }) else {
            return (address.description, AddressSet([AddressRange(address)]), false)
        }
        return (best.name, best.addresses, true)
    }

    /// A declared service that is exactly tcp/PORT, else the literal: what a fix-it should write.
    private func serviceName(tcpPort port: UInt16) -> String {
        let wanted: [ServiceItem] = [.ports(.tcp, [PortRange(port)])]
        return services.first { $0.items == wanted }?.name ?? "tcp/\(port)"
    }

    /// How many addresses a set holds, IPv6 counted as more than any IPv4 set; saturating at the top.
    private static func size(_ set: AddressSet) -> (UInt128, UInt128) {
        func count(_ ranges: [AddressRange]) -> UInt128 {
            ranges.reduce(UInt128(0)) { total, range in
                let (span, overflow) = (range.last.value - range.first.value).addingReportingOverflow(1)
                let (sum, more) = total.addingReportingOverflow(overflow ? UInt128.max : span)
                return more ? UInt128.max : sum
            }
        }
        return (count(set.ipv6), count(set.ipv4))
    }
}
