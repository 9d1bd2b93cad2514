import RulesetCompiler
import XCTest

/// `CompilerOptions.identity` stands for the options in the digest that lets apply skip an unchanged
/// policy: an option it left out would let a changed option pass for no change.
final class CompilerOptionsTests: XCTestCase {
    func testIdentityNamesEveryOption() {
        XCTAssertEqual(Mirror(reflecting: CompilerOptions()).children.count, 3,
                       "a new option: add it to CompilerOptions.identity, then count it here")
        let base = CompilerOptions()
        let variants = [CompilerOptions(tableName: "other"), CompilerOptions(logDropped: true),
                        CompilerOptions(logRatePerMinute: 11), CompilerOptions(tableName: "ztpol log-dropped true")]
        XCTAssertEqual(Set(([base] + variants).map(\.identity)).count, 5)
    }
}
