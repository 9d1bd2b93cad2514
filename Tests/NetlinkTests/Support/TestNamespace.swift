import Foundation
import Nftables
import XCTest

/// A network namespace of its own for one test (`ip netns add ztt-<random>`), deleted afterwards, with
/// `nft` run inside it. The kernel in it is real; nothing outside it is touched.
final class TestNamespace {
    let name: String

    init() throws {
        name = "ztt-" + String(UInt32.random(in: 0...UInt32.max), radix: 16)
        try TestNamespace.run(["ip", "netns", "add", name])
    }

    func delete() {
        _ = try? TestNamespace.run(["ip", "netns", "delete", name])
    }

    /// `nft ARGS` inside the namespace; its standard output.
    @discardableResult
    func nft(_ arguments: String...) throws -> String {
        try TestNamespace.run(["ip", "netns", "exec", name, "nft"] + arguments)
    }

    /// `nft -f` of `text` inside the namespace.
    func load(_ text: String) throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString).nft")
        try text.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        try TestNamespace.run(["ip", "netns", "exec", name, "nft", "-f", file.path])
    }

    /// `nft list table FAMILY NAME`.
    func listTable(_ family: String = "inet", _ table: String = "ztpol") throws -> String {
        try nft("list", "table", family, table)
    }

    struct CommandFailed: Error, CustomStringConvertible {
        let command: [String]
        let status: Int32
        let error: String
        var description: String { "\(command.joined(separator: " ")) exited \(status): \(error)" }
    }

    @discardableResult
    static func run(_ command: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = command
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        // Read before waiting: a full pipe would block the child forever.
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CommandFailed(command: command, status: process.terminationStatus,
                                error: String(decoding: errorData, as: UTF8.self))
        }
        return String(decoding: outputData, as: UTF8.self)
    }
}

/// A test case that gets fresh namespaces and deletes them afterwards.
class NamespaceTestCase: XCTestCase {
    private var namespaces: [TestNamespace] = []

    func makeNamespace() throws -> TestNamespace {
        let namespace = try TestNamespace()
        namespaces.append(namespace)
        return namespace
    }

    override func tearDown() {
        namespaces.forEach { $0.delete() }
        namespaces = []
        super.tearDown()
    }
}

/// Equality of two tables, reported as the lines (one nft statement per object) that differ.
func assertTablesEqual(_ actual: Nftables.Table, _ expected: Nftables.Table,
                       file: StaticString = #filePath, line: UInt = #line) {
    guard actual != expected else { return }
    let renderer = NftRenderer()
    let actualLines = renderer.statements(actual) + actual.unrecognised
    let expectedLines = renderer.statements(expected) + expected.unrecognised
    let missing = expectedLines.filter { !actualLines.contains($0) }.map { "- \($0)" }
    let extra = actualLines.filter { !expectedLines.contains($0) }.map { "+ \($0)" }
    XCTFail("tables differ:\n" + (missing + extra).joined(separator: "\n"), file: file, line: line)
}
