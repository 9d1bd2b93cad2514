/// Names one object of a table, for problems and for the kernel's refusals: "set web_v4",
/// "rule 3 of chain input". Rules are numbered from 1 in chain order, as a person counts them.
public enum NftObject: Sendable, Hashable, CustomStringConvertible {
    case table(TableFamily, String)
    case set(String)
    /// One message's worth of a set's elements (large sets are split over several messages).
    case elements(set: String, part: Int, of: Int)
    case chain(String)
    case rule(Int, chain: String)
    /// The anonymous set nft would write for `tcp dport { 80, 443 }` in that rule.
    case anonymousSet(rule: Int, chain: String)

    public var description: String {
        switch self {
        case .table(let family, let name): "table \(family.rawValue) \(name)"
        case .set(let name): "set \(name)"
        case .elements(let set, let part, let count):
            count == 1 ? "elements of set \(set)" : "elements of set \(set) (part \(part) of \(count))"
        case .chain(let name): "chain \(name)"
        case .rule(let index, let chain): "rule \(index) of chain \(chain)"
        case .anonymousSet(let rule, let chain): "anonymous set of rule \(rule) of chain \(chain)"
        }
    }
}
