import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Files of the system being changed, addressed by their path *inside* it: `/` itself or a container image or
/// chroot tree mounted somewhere on this host. Every change is atomic (a temporary name, then `rename`).
struct RootFilesystem: Sendable {
    /// The host directory holding the root, without a trailing slash except for `/` itself.
    let root: String

    init(root: String) {
        var root = root
        while root.count > 1, root.hasSuffix("/") { root.removeLast() }
        self.root = root
    }

    var isHostRoot: Bool { root == "/" }

    /// Where a path of the root is on this host.
    func hostPath(_ path: String) -> String {
        isHostRoot ? path : root + path
    }

    /// What is at `path` now, without following a final symbolic link.
    func state(at path: String) throws(TrustError) -> FileState {
        let host = hostPath(path)
        var info = stat()
        guard lstat(host, &info) == 0 else {
            if errno == ENOENT || errno == ENOTDIR { return .absent }
            throw Self.failure("lstat", host)
        }
        let mode = UInt32(info.st_mode) & 0o7777
        switch UInt32(info.st_mode) & UInt32(S_IFMT) {
        case UInt32(S_IFLNK):
            return .symlink(target: try readLink(host))
        case UInt32(S_IFDIR):
            return .directory(mode: mode)
        case UInt32(S_IFREG):
            guard let data = FileManager.default.contents(atPath: host) else {
                throw TrustError(.fileSystem, "cannot read \(host)")
            }
            return .file(contents: data, mode: mode)
        default:
            throw TrustError(.fileSystem, "\(host) is neither a file, a link nor a directory: refusing to touch it")
        }
    }

    /// Makes `path` hold `state`, atomically for files and links. A directory is only removed when empty.
    func apply(_ state: FileState, at path: String) throws(TrustError) {
        let host = hostPath(path)
        let directory = (host as NSString).deletingLastPathComponent
        let temporary = directory + "/.ztpol-new-" + (host as NSString).lastPathComponent
        switch state {
        case .absent:
            switch try self.state(at: path) {
            case .absent: return
            case .directory: guard rmdir(host) == 0 else { throw Self.failure("rmdir", host) }
            case .file, .symlink: guard unlink(host) == 0 else { throw Self.failure("unlink", host) }
            }
        case .directory(let mode):
            guard mkdir(host, mode_t(mode)) == 0 || errno == EEXIST else { throw Self.failure("mkdir", host) }
            guard chmod(host, mode_t(mode)) == 0 else { throw Self.failure("chmod", host) }
        case .symlink(let target):
            unlink(temporary)
            guard symlink(target, temporary) == 0 else { throw Self.failure("symlink", temporary) }
            guard rename(temporary, host) == 0 else {
                let error = Self.failure("rename", host)
                unlink(temporary)
                throw error
            }
        case .file(let contents, let mode):
            try writeFile(contents, mode: mode, temporary: temporary, host: host)
        }
    }

    private func writeFile(_ contents: Data, mode: UInt32, temporary: String, host: String) throws(TrustError) {
        unlink(temporary)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode_t(mode))
        guard descriptor >= 0 else { throw Self.failure("open", temporary) }
        var failure: TrustError?
        contents.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = Self.failure("write", temporary)
                    return
                }
                offset += written
            }
        }
        if failure == nil, fchmod(descriptor, mode_t(mode)) != 0 { failure = Self.failure("fchmod", temporary) }
        if failure == nil, fsync(descriptor) != 0 { failure = Self.failure("fsync", temporary) }
        close(descriptor)
        if failure == nil, rename(temporary, host) != 0 { failure = Self.failure("rename", host) }
        if let failure {
            unlink(temporary)
            throw failure
        }
    }

    /// Follows symbolic links inside the root (an absolute target means the root's `/`), component by
    /// component. Returns the root path of what `path` finally names, or nil when a component is missing or
    /// the links loop.
    func resolve(_ path: String) -> String? {
        var pending = path.split(separator: "/").map(String.init)
        var resolved: [String] = []
        var hops = 0
        while !pending.isEmpty {
            let component = pending.removeFirst()
            if component == "." || component.isEmpty { continue }
            if component == ".." {
                _ = resolved.popLast()
                continue
            }
            let candidate = "/" + (resolved + [component]).joined(separator: "/")
            guard case .some(let state) = try? state(at: candidate) else { return nil }
            switch state {
            case .absent:
                return nil
            case .symlink(let target):
                hops += 1
                guard hops <= 40 else { return nil }
                let targetComponents = target.split(separator: "/").map(String.init)
                if target.hasPrefix("/") { resolved = [] }
                pending = targetComponents + pending
            case .file, .directory:
                resolved.append(component)
            }
        }
        return "/" + resolved.joined(separator: "/")
    }

    /// The bytes of the file `path` names, following links inside the root; nil if there is none.
    func contentsFollowingLinks(_ path: String) -> Data? {
        guard let real = resolve(path), case .some(.file(let contents, _)) = try? state(at: real) else { return nil }
        return contents
    }

    /// Whether `path` names an executable regular file, following links inside the root.
    func isExecutableFile(_ path: String) -> Bool {
        guard let real = resolve(path), case .some(.file(_, let mode)) = try? state(at: real) else { return false }
        return mode & 0o111 != 0
    }

    /// Whether `path` is a directory, following links inside the root.
    func isDirectory(_ path: String) -> Bool {
        guard let real = resolve(path), case .some(.directory) = try? state(at: real) else { return false }
        return true
    }

    /// The names in directory `path` (not following a final link), sorted; empty if it is not a directory.
    func entries(of path: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: hostPath(path))) ?? []).sorted()
    }

    private func readLink(_ host: String) throws(TrustError) -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink(host, &buffer, buffer.count - 1)
        guard length >= 0 else { throw Self.failure("readlink", host) }
        return String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func failure(_ call: String, _ path: String) -> TrustError {
        TrustError(.fileSystem, "\(call) \(path): \(String(cString: strerror(errno)))")
    }
}
