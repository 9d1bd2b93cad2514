import CNetfilter
import Glibc

/// The type-length-value "user data" nft stores beside tables, sets, elements and rules: comments,
/// byte orders, flags. The kernel keeps it opaque; nft reads it to list objects the way it wrote them.
enum UserData {
    /// One field: a string (stored NUL-terminated), a host-order `u32` as nft writes them, or raw bytes.
    enum Field {
        case string(UInt8, String)
        case u32(UInt8, UInt32)
        case bytes(UInt8, [UInt8])
    }

    /// The encoded fields, in order.
    static func encode(_ fields: [Field]) throws(NetlinkError) -> [UInt8] {
        // nft's limit for user data; one comment and a few flags fit easily.
        guard let buffer = nftnl_udata_buf_alloc(256) else { throw .system("nftnl_udata_buf_alloc") }
        defer { nftnl_udata_buf_free(buffer) }
        for field in fields {
            let ok = switch field {
            case .string(let type, let text): nftnl_udata_put_strz(buffer, type, text)
            case .u32(let type, let value): nftnl_udata_put_u32(buffer, type, value)
            case .bytes(let type, let bytes): nftnl_udata_put(buffer, type, UInt32(bytes.count), bytes)
            }
            if !ok {
                throw NetlinkError(.systemCall, call: "nftnl_udata_put", errno: E2BIG, detail: "user data too long")
            }
        }
        let data = nftnl_udata_buf_data(buffer)
        return Array(UnsafeRawBufferPointer(start: data, count: Int(nftnl_udata_buf_len(buffer))))
    }

    /// The fields by type; a malformed buffer yields what could be read before the damage.
    static func decode(_ bytes: [UInt8]) -> [UInt8: [UInt8]] {
        final class Fields { var values: [UInt8: [UInt8]] = [:] }
        let fields = Fields()
        bytes.withUnsafeBytes { raw in
            _ = nftnl_udata_parse(raw.baseAddress, UInt32(raw.count), { attribute, context in
                guard let attribute, let context else { return -1 }
                let fields = Unmanaged<Fields>.fromOpaque(context).takeUnretainedValue()
                let length = Int(nftnl_udata_len(attribute))
                let value = UnsafeRawBufferPointer(start: nftnl_udata_get(attribute), count: length)
                fields.values[nftnl_udata_type(attribute)] = Array(value)
                return 0
            }, Unmanaged.passUnretained(fields).toOpaque())
        }
        return fields.values
    }

    /// A NUL-terminated string field.
    static func string(_ value: [UInt8]?) -> String? {
        value.map { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }

    /// A host-order u32 field.
    static func u32(_ value: [UInt8]?) -> UInt32? {
        guard let value, value.count == 4 else { return nil }
        return value.withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }
    }
}
