import CNetfilter

/// An expression being built. It is freed here unless it is moved into a rule, which owns it from then on.
struct NftnlExpression: ~Copyable {
    let pointer: OpaquePointer

    init(_ name: String) throws(NetlinkError) {
        guard let pointer = nftnl_expr_alloc(name) else { throw .system("nftnl_expr_alloc(\(name))") }
        self.pointer = pointer
    }

    deinit { nftnl_expr_free(pointer) }

    func set(_ attribute: Int, bytes: [UInt8]) throws(NetlinkError) {
        let status = bytes.withUnsafeBytes {
            nftnl_expr_set(pointer, UInt16(attribute), $0.baseAddress, UInt32($0.count))
        }
        if status < 0 { throw .system("nftnl_expr_set(\(attribute))") }
    }

    func set(_ attribute: Int, string: String) throws(NetlinkError) {
        if nftnl_expr_set_str(pointer, UInt16(attribute), string) < 0 {
            throw .system("nftnl_expr_set_str(\(attribute))")
        }
    }

    func set(_ attribute: Int, u32 value: UInt32) { nftnl_expr_set_u32(pointer, UInt16(attribute), value) }

    func set(_ attribute: Int, u64 value: UInt64) { nftnl_expr_set_u64(pointer, UInt16(attribute), value) }

    /// Hands the expression to `rule`, which appends it and frees it with itself.
    consuming func move(into rule: borrowing NftnlRule) {
        nftnl_rule_add_expr(rule.pointer, pointer)
        discard self
    }
}

/// An expression of a parsed rule, readable while the rule lives.
struct NftnlExpressionView {
    let pointer: OpaquePointer

    var name: String { nftnl_expr_get_str(pointer, UInt16(NFTNL_EXPR_NAME)).map { String(cString: $0) } ?? "?" }

    func isSet(_ attribute: Int) -> Bool { nftnl_expr_is_set(pointer, UInt16(attribute)) }

    func u32(_ attribute: Int) -> UInt32? { isSet(attribute) ? nftnl_expr_get_u32(pointer, UInt16(attribute)) : nil }

    func u64(_ attribute: Int) -> UInt64? { isSet(attribute) ? nftnl_expr_get_u64(pointer, UInt16(attribute)) : nil }

    func string(_ attribute: Int) -> String? {
        isSet(attribute) ? nftnl_expr_get_str(pointer, UInt16(attribute)).map { String(cString: $0) } : nil
    }

    func bytes(_ attribute: Int) -> [UInt8]? {
        guard isSet(attribute) else { return nil }
        var length: UInt32 = 0
        guard let data = nftnl_expr_get(pointer, UInt16(attribute), &length) else { return nil }
        return Array(UnsafeRawBufferPointer(start: data, count: Int(length)))
    }

    /// libnftnl's debug notation, as `nft --debug=netlink` prints it: `meta load mark => reg 1`.
    var debugText: String {
        var buffer = [CChar](repeating: 0, count: 512)
        let count = nftnl_expr_snprintf(&buffer, buffer.count, pointer, UInt32(NFTNL_OUTPUT_DEFAULT.rawValue), 0)
        guard count > 0 else { return name }
        let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return "\(name) \(text.trimmingTrailingSpaces)"
    }
}

extension NftnlObject where Calls == RuleCalls {
    /// Calls `body` with each expression of the rule, in order.
    func forEachExpression(_ body: (NftnlExpressionView) -> Void) throws(NetlinkError) {
        guard let iterator = nftnl_expr_iter_create(pointer) else { throw .system("nftnl_expr_iter_create") }
        defer { nftnl_expr_iter_destroy(iterator) }
        while let expression = nftnl_expr_iter_next(iterator) { body(NftnlExpressionView(pointer: expression)) }
    }
}

extension String {
    var trimmingTrailingSpaces: String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
