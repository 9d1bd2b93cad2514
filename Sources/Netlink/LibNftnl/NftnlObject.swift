import CNetfilter
import Glibc

/// The libnftnl functions of one object type. libnftnl gives tables, chains, sets, rules and the
/// generation the same shape of API (alloc, free, set/get by attribute, build, parse), so one generic
/// owner wraps them all and each type only lists its functions.
protocol NftnlCalls {
    /// For error messages: "table", "chain", ...
    static var kind: String { get }
    static func alloc() -> OpaquePointer?
    static func free(_ object: OpaquePointer)
    static func set(_ object: OpaquePointer, _ attribute: UInt16, _ data: UnsafeRawPointer?, _ length: UInt32) -> Int32
    static func get(_ object: OpaquePointer, _ attribute: UInt16, _ length: UnsafeMutablePointer<UInt32>)
        -> UnsafeRawPointer?
    static func isSet(_ object: OpaquePointer, _ attribute: UInt16) -> Bool
    static func build(_ message: UnsafeMutablePointer<nlmsghdr>, _ object: OpaquePointer)
    static func parse(_ message: UnsafePointer<nlmsghdr>, _ object: OpaquePointer) -> Int32
}

/// Owns one libnftnl object and frees it when it goes away.
struct NftnlObject<Calls: NftnlCalls>: ~Copyable {
    let pointer: OpaquePointer

    init() throws(NetlinkError) {
        guard let pointer = Calls.alloc() else { throw .system("nftnl_\(Calls.kind)_alloc") }
        self.pointer = pointer
    }

    /// The object a kernel message describes (one reply of a dump).
    init(parsing message: UnsafePointer<nlmsghdr>) throws(NetlinkError) {
        guard let pointer = Calls.alloc() else { throw .system("nftnl_\(Calls.kind)_alloc") }
        guard Calls.parse(message, pointer) >= 0 else {
            let number = errno
            Calls.free(pointer)
            throw .system("nftnl_\(Calls.kind)_nlmsg_parse", errno: number)
        }
        self.pointer = pointer
    }

    deinit { Calls.free(pointer) }

    // MARK: Attributes

    func set(_ attribute: UInt16, bytes: [UInt8]) throws(NetlinkError) {
        let status = bytes.withUnsafeBytes { Calls.set(pointer, attribute, $0.baseAddress, UInt32($0.count)) }
        if status < 0 { throw .system("nftnl_\(Calls.kind)_set_data(\(attribute))") }
    }

    /// A string attribute, NUL-terminated as libnftnl expects.
    func set(_ attribute: UInt16, string: String) throws(NetlinkError) {
        try set(attribute, bytes: Array(string.utf8) + [0])
    }

    func set<Value: FixedWidthInteger>(_ attribute: UInt16, _ value: Value) throws(NetlinkError) {
        try set(attribute, bytes: withUnsafeBytes(of: value) { Array($0) })
    }

    func isSet(_ attribute: UInt16) -> Bool { Calls.isSet(pointer, attribute) }

    func string(_ attribute: UInt16) -> String? {
        guard isSet(attribute) else { return nil }
        var length: UInt32 = 0
        return Calls.get(pointer, attribute, &length).map { String(cString: $0.assumingMemoryBound(to: CChar.self)) }
    }

    func integer<Value: FixedWidthInteger>(_ attribute: UInt16, as type: Value.Type = Value.self) -> Value? {
        guard isSet(attribute) else { return nil }
        var length: UInt32 = 0
        guard let data = Calls.get(pointer, attribute, &length), length == MemoryLayout<Value>.size else { return nil }
        return data.loadUnaligned(as: Value.self)
    }

    func bytes(_ attribute: UInt16) -> [UInt8]? {
        guard isSet(attribute) else { return nil }
        var length: UInt32 = 0
        guard let data = Calls.get(pointer, attribute, &length) else { return nil }
        return Array(UnsafeRawBufferPointer(start: data, count: Int(length)))
    }

    /// Writes the object's attributes into a message whose header is already there.
    func build(into message: UnsafeMutablePointer<nlmsghdr>) { Calls.build(message, pointer) }
}

/// Attribute numbers are C enums of several types; libnftnl takes them as `uint16_t`.
func attribute<Number: RawRepresentable>(_ value: Number) -> UInt16 where Number.RawValue: BinaryInteger {
    UInt16(value.rawValue)
}

func attribute(_ value: Int) -> UInt16 { UInt16(value) }
