import Foundation

/// Starts this same executable again in a new session, detached from the terminal, so that it
/// outlives the run that started it — even a run ended by Ctrl-C, which signals the whole process
/// group, or by SIGKILL.
enum DetachedProcess {
    /// glibc's POSIX_SPAWN_SETSID (since 2.26); its header hides it behind _GNU_SOURCE, so it does not import.
    private static let spawnNewSession: Int16 = 0x80

    /// Spawns `/proc/self/exe ARGUMENTS` with standard input from /dev/null and output appended to `log`.
    static func spawnSelf(_ arguments: [String], log: String) throws -> pid_t {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, spawnNewSession)

        var files = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&files)
        defer { posix_spawn_file_actions_destroy(&files) }
        posix_spawn_file_actions_addopen(&files, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&files, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        posix_spawn_file_actions_adddup2(&files, 1, 2)

        let executable = "/proc/self/exe"
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable, &files, &attributes, argv, environ)
        guard status == 0 else { throw HostError.systemCall("posix_spawn", errno: status) }
        return pid
    }
}
