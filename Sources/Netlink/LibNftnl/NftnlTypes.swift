import CNetfilter

// The libnftnl functions of each object type, for `NftnlObject`.

enum TableCalls: NftnlCalls {
    static let kind = "table"
    static func alloc() -> OpaquePointer? { nftnl_table_alloc() }
    static func free(_ object: OpaquePointer) { nftnl_table_free(object) }
    static func set(_ object: OpaquePointer, _ attribute: UInt16, _ data: UnsafeRawPointer?,
                    _ length: UInt32) -> Int32 {
        nftnl_table_set_data(object, attribute, data, length)
    }
    static func get(_ object: OpaquePointer, _ attribute: UInt16, _ length: UnsafeMutablePointer<UInt32>)
        -> UnsafeRawPointer? { nftnl_table_get_data(object, attribute, length) }
    static func isSet(_ object: OpaquePointer, _ attribute: UInt16) -> Bool { nftnl_table_is_set(object, attribute) }
    static func build(_ message: UnsafeMutablePointer<nlmsghdr>, _ object: OpaquePointer) {
        nftnl_table_nlmsg_build_payload(message, object)
    }
    static func parse(_ message: UnsafePointer<nlmsghdr>, _ object: OpaquePointer) -> Int32 {
        nftnl_table_nlmsg_parse(message, object)
    }
}

enum ChainCalls: NftnlCalls {
    static let kind = "chain"
    static func alloc() -> OpaquePointer? { nftnl_chain_alloc() }
    static func free(_ object: OpaquePointer) { nftnl_chain_free(object) }
    static func set(_ object: OpaquePointer, _ attribute: UInt16, _ data: UnsafeRawPointer?,
                    _ length: UInt32) -> Int32 {
        nftnl_chain_set_data(object, attribute, data, length)
    }
    static func get(_ object: OpaquePointer, _ attribute: UInt16, _ length: UnsafeMutablePointer<UInt32>)
        -> UnsafeRawPointer? { nftnl_chain_get_data(object, attribute, length) }
    static func isSet(_ object: OpaquePointer, _ attribute: UInt16) -> Bool { nftnl_chain_is_set(object, attribute) }
    static func build(_ message: UnsafeMutablePointer<nlmsghdr>, _ object: OpaquePointer) {
        nftnl_chain_nlmsg_build_payload(message, object)
    }
    static func parse(_ message: UnsafePointer<nlmsghdr>, _ object: OpaquePointer) -> Int32 {
        nftnl_chain_nlmsg_parse(message, object)
    }
}

enum SetCalls: NftnlCalls {
    static let kind = "set"
    static func alloc() -> OpaquePointer? { nftnl_set_alloc() }
    static func free(_ object: OpaquePointer) { nftnl_set_free(object) }
    static func set(_ object: OpaquePointer, _ attribute: UInt16, _ data: UnsafeRawPointer?,
                    _ length: UInt32) -> Int32 {
        nftnl_set_set_data(object, attribute, data, length)
    }
    static func get(_ object: OpaquePointer, _ attribute: UInt16, _ length: UnsafeMutablePointer<UInt32>)
        -> UnsafeRawPointer? { nftnl_set_get_data(object, attribute, length) }
    static func isSet(_ object: OpaquePointer, _ attribute: UInt16) -> Bool { nftnl_set_is_set(object, attribute) }
    static func build(_ message: UnsafeMutablePointer<nlmsghdr>, _ object: OpaquePointer) {
        nftnl_set_nlmsg_build_payload(message, object)
    }
    static func parse(_ message: UnsafePointer<nlmsghdr>, _ object: OpaquePointer) -> Int32 {
        nftnl_set_nlmsg_parse(message, object)
    }
}

enum RuleCalls: NftnlCalls {
    static let kind = "rule"
    static func alloc() -> OpaquePointer? { nftnl_rule_alloc() }
    static func free(_ object: OpaquePointer) { nftnl_rule_free(object) }
    static func set(_ object: OpaquePointer, _ attribute: UInt16, _ data: UnsafeRawPointer?,
                    _ length: UInt32) -> Int32 {
        nftnl_rule_set_data(object, attribute, data, length)
    }
    static func get(_ object: OpaquePointer, _ attribute: UInt16, _ length: UnsafeMutablePointer<UInt32>)
        -> UnsafeRawPointer? { nftnl_rule_get_data(object, attribute, length) }
    static func isSet(_ object: OpaquePointer, _ attribute: UInt16) -> Bool { nftnl_rule_is_set(object, attribute) }
    static func build(_ message: UnsafeMutablePointer<nlmsghdr>, _ object: OpaquePointer) {
        nftnl_rule_nlmsg_build_payload(message, object)
    }
    static func parse(_ message: UnsafePointer<nlmsghdr>, _ object: OpaquePointer) -> Int32 {
        nftnl_rule_nlmsg_parse(message, object)
    }
}

enum GenerationCalls: NftnlCalls {
    static let kind = "gen"
    static func alloc() -> OpaquePointer? { nftnl_gen_alloc() }
    static func free(_ object: OpaquePointer) { nftnl_gen_free(object) }
    static func set(_ object: OpaquePointer, _ attribute: UInt16, _ data: UnsafeRawPointer?,
                    _ length: UInt32) -> Int32 {
        nftnl_gen_set_data(object, attribute, data, length)
    }
    static func get(_ object: OpaquePointer, _ attribute: UInt16, _ length: UnsafeMutablePointer<UInt32>)
        -> UnsafeRawPointer? { nftnl_gen_get_data(object, attribute, length) }
    static func isSet(_ object: OpaquePointer, _ attribute: UInt16) -> Bool { nftnl_gen_is_set(object, attribute) }
    /// A generation request carries no attributes.
    static func build(_ message: UnsafeMutablePointer<nlmsghdr>, _ object: OpaquePointer) {}
    static func parse(_ message: UnsafePointer<nlmsghdr>, _ object: OpaquePointer) -> Int32 {
        nftnl_gen_nlmsg_parse(message, object)
    }
}

typealias NftnlTable = NftnlObject<TableCalls>
typealias NftnlChain = NftnlObject<ChainCalls>
typealias NftnlSet = NftnlObject<SetCalls>
typealias NftnlRule = NftnlObject<RuleCalls>
typealias NftnlGeneration = NftnlObject<GenerationCalls>
