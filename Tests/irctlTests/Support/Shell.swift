import Foundation
import Glibc

/// Runs `/bin/sh -c script` for the tests that need a shell around irctl: a umask, a file-size
/// limit, a redirection to /dev/full, a pipe from `yes`, many processes at once. The script sees
/// the sandbox's environment plus `IRCTL`, the path of the built binary.
struct Shell {
    static func run(
        _ script: String, environment: [String: String], cwd: String,
        timeout: Double = 60
    ) throws -> RunResult {
        var environment = environment
        environment["IRCTL"] = Sandbox.binary
        let id = UUID().uuidString.prefix(8)
        let outPath = cwd + "/.sh-out-\(id)"
        let errPath = cwd + "/.sh-err-\(id)"
        defer {
            unlink(outPath)
            unlink(errPath)
        }
        let quoted = "'" + cwd.replacingOccurrences(of: "'", with: "'\\''") + "'"
        let pid = try spawn(
            ["/bin/sh", "-c", "cd \(quoted) || exit 99\n" + script], environment: environment,
            stdout: outPath, stderr: errPath)
        let status = wait(pid, timeout: timeout)
        var stderr = String(
            decoding: (try? Data(contentsOf: URL(fileURLWithPath: errPath))) ?? Data(),
            as: UTF8.self)
        if status == nil { stderr += "\n[timed out after \(timeout)s]" }
        return RunResult(
            status: status ?? -1,
            stdout: String(
                decoding: (try? Data(contentsOf: URL(fileURLWithPath: outPath))) ?? Data(),
                as: UTF8.self),
            stderr: stderr)
    }

    struct SpawnError: Error, CustomStringConvertible {
        var code: Int32
        var description: String { "posix_spawn failed: \(String(cString: strerror(code)))" }
    }

    /// Starts a process with a clean signal state. Foundation's `Process` passes on the test
    /// runner's blocked signals, and a shell whose SIGCHLD is blocked never returns from `wait`.
    static func spawn(
        _ arguments: [String], environment: [String: String],
        stdin: String = "/dev/null", stdout: String, stderr: String
    ) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdin, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv + envp { free(pointer) }
        }
        var pid: pid_t = 0
        let code = posix_spawn(&pid, arguments[0], &actions, &attributes, argv, envp)
        guard code == 0 else { throw SpawnError(code: code) }
        return pid
    }

    /// Waits for `pid` up to `timeout` seconds; kills it and returns nil when it takes longer.
    /// Returns the exit status, or 128 + the signal that ended it.
    static func wait(_ pid: pid_t, timeout: Double) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        var status: Int32 = 0
        while true {
            let done = waitpid(pid, &status, WNOHANG)
            if done == pid { break }
            if done < 0, errno != EINTR { return nil }
            if Date() > deadline {
                kill(pid, SIGKILL)
                waitpid(pid, &status, 0)
                return nil
            }
            usleep(2_000)
        }
        let signal = status & 0x7F
        return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
    }
}

extension Sandbox {
    /// Runs a shell script in the sandbox (see ``Shell``).
    @discardableResult
    func sh(_ script: String, env: [String: String] = [:], timeout: Double = 60) throws -> RunResult
    {
        try Shell.run(
            script, environment: environment.merging(env) { $1 }, cwd: root, timeout: timeout)
    }

    /// The bytes of a file, for "never overwritten" checks.
    func bytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    /// Names in the incidents directory, temporary files included.
    /// Every name under `incidents/`, one level into each incident's directory (so a stray
    /// temporary file anywhere shows).
    func incidentDirectoryNames() throws -> [String] {
        var names: [String] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: store + "/incidents") {
            var isDirectory: ObjCBool = false
            let path = store + "/incidents/" + name
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory),
                isDirectory.boolValue
            {
                names += try FileManager.default.contentsOfDirectory(atPath: path)
            } else {
                names.append(name)
            }
        }
        return names.sorted()
    }

    /// The name of the file this clone writes in each incident's directory.
    var ownFileName: String {
        Sandbox.replica(of: store) + ".json"
    }
}
