import Foundation
import PolicyModel
import XCTest

/// The fixture policies: one folder per edit, each with `before/policy.zt` and `after/policy.zt`
/// (the same file name, as a CI job gets it from `git show`, so rule comments name the same file).
let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

/// Loads a policy that must check.
func policy(_ path: String, file: StaticString = #filePath, line: UInt = #line) throws -> Policy {
    let (policy, diagnostics) = PolicyLoader.load(path: fixtures.appendingPathComponent(path).path)
    return try XCTUnwrap(policy, "\(path): \(diagnostics.map(\.headline))", file: file, line: line)
}

/// A policy from text, for tests that need a shape no fixture has.
func policy(text: String, path: String = "policy.zt", file: StaticString = #filePath,
            line: UInt = #line) throws -> Policy {
    let (policy, diagnostics) = PolicyLoader.load(text: text, path: path)
    return try XCTUnwrap(policy, "\(diagnostics.map(\.headline))", file: file, line: line)
}
