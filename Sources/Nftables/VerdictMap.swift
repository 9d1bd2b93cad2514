import NetworkAddresses

/// `tcp dport vmap { 22 : jump input_tcp_22, 5840-6312 : jump input_tcp_5840_6312 }`: one lookup of a
/// packet's port in an anonymous interval map whose values are verdicts. This is what keeps a new
/// connection's path through a chain short however many flows there are: the port picks the one chain
/// that holds the address checks for that service.
///
/// A packet whose port is in no entry (or that is not of `transport`) gets no verdict from the map and
/// goes on to the next rule.
public struct VerdictMap: Sendable, Hashable, Codable {
    public struct Entry: Sendable, Hashable, Codable {
        public var ports: PortRange
        /// `jump CHAIN` (or `accept` / `drop`); never another map.
        public var verdict: Verdict

        public init(ports: PortRange, verdict: Verdict) {
            self.ports = ports
            self.verdict = verdict
        }
    }

    /// `.tcp` or `.udp`.
    public var transport: L4Protocol
    /// Whose port is looked up; ztpol always looks up the destination port.
    public var direction: Direction
    /// Sorted by port, disjoint, never empty.
    public var entries: [Entry]

    public init(transport: L4Protocol, direction: Direction = .destination, entries: [Entry]) {
        self.transport = transport
        self.direction = direction
        self.entries = entries
    }
}
