import CShims
import Glibc
import Foundation
import XCTest

/// `ztpol_release_after_exit`: a child holds the descriptor, and nothing else of the process's, until the
/// process has exited, then closes it. The test forks a process that plays the command: it calls the shim,
/// reports the child's process id, and exits a little later. The ends of pipes and /proc show who holds what.
final class ReleaseAfterExitTests: XCTestCase {
    func testAChildHoldsOnlyTheDescriptorUntilTheProcessExits() throws {
        let released = try makePipe()
        let report = try makePipe()
        let command = fork()
        if command == 0 {
            close(released.read)
            close(report.read)
            var child = ztpol_release_after_exit(released.write)
            _ = write(report.write, &child, MemoryLayout<Int32>.size)
            close(report.write)
            usleep(800_000)  // the command's remaining work, its own copy of the descriptor still open
            _exit(0)
        }
        close(released.write)
        close(report.write)
        var child: Int32 = -1
        XCTAssertEqual(read(report.read, &child, MemoryLayout<Int32>.size), MemoryLayout<Int32>.size)
        close(report.read)
        XCTAssertGreaterThan(child, 0, "no child was started")

        // While the command runs: the child is there, and holds the descriptor and its pidfd of the command,
        // nothing else (the report pipe and the standard streams included).
        XCTAssertEqual(eventually { self.openDescriptors(of: child) == 2 }, true,
                       "the child holds \(openDescriptors(of: child) ?? -1) descriptors")
        usleep(300_000)
        XCTAssertTrue(isRunning(child), "the child exited before the command")
        XCTAssertFalse(isClosed(released.read, within: 0), "the descriptor was released while the command ran")

        var status: Int32 = 0
        while waitpid(command, &status, 0) < 0 && errno == EINTR {}
        XCTAssertEqual(status, 0)
        // Then the child closes the last copy and is gone.
        XCTAssertTrue(isClosed(released.read, within: 5_000), "nobody released the descriptor after the exit")
        XCTAssertEqual(eventually { !self.isRunning(child) }, true, "the child outlived its work")
        close(released.read)
    }

    // MARK: helpers

    private func makePipe() throws -> (read: Int32, write: Int32) {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        return (ends[0], ends[1])
    }

    private func isReady(_ descriptor: Int32, within milliseconds: Int32) -> Bool {
        var ready = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        return poll(&ready, 1, milliseconds) == 1
    }

    /// True when every write end of the pipe is closed within `milliseconds`: a read then returns end of file.
    private func isClosed(_ readEnd: Int32, within milliseconds: Int32) -> Bool {
        guard isReady(readEnd, within: milliseconds) else { return false }
        var byte: UInt8 = 0
        return read(readEnd, &byte, 1) == 0
    }

    /// Whether `process` exists and has not exited (a zombie has; whoever adopted it reaps it).
    private func isRunning(_ process: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(process)/stat", encoding: .utf8),
              let end = stat.lastIndex(of: ")") else { return false }
        return !stat[end...].hasPrefix(") Z") && !stat[end...].hasPrefix(") X")
    }

    private func openDescriptors(of process: Int32) -> Int? {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(process)/fd") else {
            return nil
        }
        return entries.count
    }

    /// Whether `condition` holds within five seconds.
    private func eventually(_ condition: () -> Bool) -> Bool {
        for _ in 0..<500 {
            if condition() { return true }
            usleep(10_000)
        }
        return false
    }
}
