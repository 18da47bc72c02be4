import Glibc

/// Starts a program the way a shell would, for every child irctl runs (git, a command through
/// `exec`, a status update hook): no shell, arguments as an array, the given environment, the
/// signals irctl itself ignores or blocks back at their defaults (ignored dispositions and the
/// signal mask survive exec, and a child ignoring SIGPIPE would never see a closed pipe).
public enum ChildProcess {
    /// Spawns `arguments` (the first looked up on `PATH` when `searchPath`), with the file
    /// actions `setUp` adds (the redirections). Returns the pid, or the error number.
    public static func spawn(
        _ arguments: [String], environment: [String: String], searchPath: Bool,
        fileActions setUp: (inout posix_spawn_file_actions_t) -> Void
    ) -> Result<pid_t, SpawnError> {
        guard let program = arguments.first else { return .failure(SpawnError(code: ENOENT)) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        setUp(&actions)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGXFSZ, SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGCHLD] {
            sigaddset(&defaults, signal)
        }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] =
            environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let spawned =
            searchPath
            ? posix_spawnp(&pid, program, &actions, &attributes, argv, envp)
            : posix_spawn(&pid, program, &actions, &attributes, argv, envp)
        return spawned == 0 ? .success(pid) : .failure(SpawnError(code: spawned))
    }

    /// Why a program could not be started: an `errno` value.
    public struct SpawnError: Error, Hashable, Sendable {
        public var code: Int32
        public var reason: String {
            String(
                decoding: Array(
                    UnsafeBufferPointer(start: strerror(code), count: strlen(strerror(code)))
                ).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
    }
}
