import Foundation
import Glibc

/// Runs the `git` executable as a child process: no shell, the arguments as an array, stdout and
/// stderr captured, the exit status returned. Everything in irctl that talks to git goes through
/// this one type, so git stays at arm's length.
///
/// git runs with `LC_ALL=C` (messages parse the same everywhere), `GIT_TERMINAL_PROMPT=0` and no
/// editor or pager: it never waits for a person. Credentials helpers and SSH keys configured by
/// the user still work, since the rest of the environment is passed on.
public struct Git: Sendable {
    /// The environment git runs in (and whose `PATH` finds it).
    public var environment: [String: String]
    /// The repository directory every command runs in (`git -C directory …`).
    public var directory: String

    public init(directory: String, environment: [String: String]) {
        self.directory = directory
        self.environment = environment
    }

    /// What one git command did.
    public struct Result: Sendable {
        public var status: Int32
        /// stdout's bytes as git wrote them (file contents from `cat-file` are not always text).
        public var stdoutBytes: [UInt8]
        public var stderr: String
        public var stdout: String { String(decoding: stdoutBytes, as: UTF8.self) }
        public var succeeded: Bool { status == 0 }
        /// stdout without its trailing newline.
        public var output: String {
            stdout.hasSuffix("\n") ? String(stdout.dropLast()) : stdout
        }
        /// stdout's non-empty lines.
        public var lines: [String] {
            stdout.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        }
    }

    /// Runs `git -C directory arguments…` and returns what it did, whatever its exit status.
    /// Throws only when git cannot be started at all.
    public func attempt(_ arguments: [String], input: [UInt8]? = nil) throws(GitError) -> Result {
        guard let executable = Self.find("git", path: environment["PATH"]) else {
            throw .notInstalled(path: environment["PATH"] ?? "")
        }
        return try Self.spawn(
            [executable, "-C", directory] + arguments, environment: childEnvironment, input: input)
    }

    /// Runs `git -C directory arguments…` and returns its output; a non-zero exit is a
    /// ``GitError/failed(arguments:status:message:)`` carrying git's own message.
    @discardableResult
    public func run(_ arguments: [String], input: [UInt8]? = nil) throws(GitError) -> Result {
        let result = try attempt(arguments, input: input)
        guard result.succeeded else {
            throw .failed(
                arguments: arguments, status: result.status, message: Self.message(of: result))
        }
        return result
    }

    /// git's explanation of a failure: stderr's meaningful lines (else stdout's), on one line.
    public static func message(of result: Result) -> String {
        let text = result.stderr.isEmpty ? result.stdout : result.stderr
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("hint:") }
        let joined = lines.prefix(6).joined(separator: " / ")
        return joined.isEmpty ? "exit status \(result.status)" : joined
    }

    var childEnvironment: [String: String] {
        var env = environment
        env["LC_ALL"] = "C"
        env["LANGUAGE"] = "C"
        env["GIT_TERMINAL_PROMPT"] = "0"
        // Never an editor or a pager: irctl gives every message itself and reads every output.
        env["GIT_EDITOR"] = "true"
        env["GIT_SEQUENCE_EDITOR"] = "true"
        env["GIT_MERGE_AUTOEDIT"] = "no"
        env["GIT_PAGER"] = "cat"
        env["PAGER"] = "cat"
        // SSH asks on the terminal for a passphrase or a host key; in batch mode it fails instead,
        // and an unreachable host fails after a while rather than never.
        if env["GIT_SSH_COMMAND"] == nil, env["GIT_SSH"] == nil {
            env["GIT_SSH_COMMAND"] = "ssh -o BatchMode=yes -o ConnectTimeout=20"
        }
        return env
    }

    /// The first executable `name` on `path` (a `PATH` value), like a shell finds it.
    static func find(_ name: String, path: String?) -> String? {
        for directory in (path ?? "").split(separator: ":", omittingEmptySubsequences: true) {
            let candidate = directory + "/" + name
            var st = stat()
            if stat(candidate, &st) == 0, st.st_mode & S_IFMT == S_IFREG,
                access(candidate, X_OK) == 0
            {
                return candidate
            }
        }
        return nil
    }

    /// Starts the program with pipes for stdin, stdout and stderr, feeds it `input`, reads both
    /// outputs until they close, and reaps it.
    private static func spawn(
        _ arguments: [String], environment: [String: String], input: [UInt8]?
    ) throws(GitError) -> Result {
        var outPipe: [Int32] = [-1, -1]
        var errPipe: [Int32] = [-1, -1]
        var inPipe: [Int32] = [-1, -1]
        func closeAll() { for fd in outPipe + errPipe + inPipe where fd >= 0 { close(fd) } }
        guard makePipe(&outPipe), makePipe(&errPipe), makePipe(&inPipe) else {
            let reason = String(cString: strerror(errno))
            closeAll()
            throw .cannotStart(reason: "could not create a pipe: \(reason)")
        }
        let spawned = ChildProcess.spawn(arguments, environment: environment, searchPath: false) {
            actions in
            posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0)
            posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
            posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        }
        close(outPipe[1])
        outPipe[1] = -1
        close(errPipe[1])
        errPipe[1] = -1
        close(inPipe[0])
        inPipe[0] = -1
        let pid: pid_t
        switch spawned {
        case .success(let started): pid = started
        case .failure(let error):
            closeAll()
            if error.code == ENOENT { throw .notInstalled(path: environment["PATH"] ?? "") }
            throw .cannotStart(reason: error.reason)
        }
        let (out, err) = pump(input: input ?? [], to: inPipe[1], out: outPipe[0], err: errPipe[0])
        inPipe[1] = -1
        outPipe[0] = -1
        errPipe[0] = -1
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR {
                status = 127 << 8
                break
            }
        }
        let signal = status & 0x7F
        let exit = signal == 0 ? (status >> 8) & 0xFF : 128 + signal
        return Result(status: exit, stdoutBytes: out, stderr: String(decoding: err, as: UTF8.self))
    }

    /// Writes `input` to the child's stdin (then closes it) while reading its stdout and stderr,
    /// so that neither side blocks on a full pipe. Closes all three descriptors.
    private static func pump(
        input: [UInt8], to inFD: Int32, out: Int32, err: Int32
    ) -> ([UInt8], [UInt8]) {
        // Non-blocking, so a write never waits for a child that is busy writing its own output.
        _ = fcntl(inFD, F_SETFL, fcntl(inFD, F_GETFL) | O_NONBLOCK)
        var fds = [
            pollfd(fd: out, events: Int16(POLLIN), revents: 0),
            pollfd(fd: err, events: Int16(POLLIN), revents: 0),
            pollfd(fd: input.isEmpty ? -1 : inFD, events: Int16(POLLOUT), revents: 0),
        ]
        if input.isEmpty { close(inFD) }
        var collected: [[UInt8]] = [[], []]
        var written = 0
        var buffer = [UInt8](repeating: 0, count: 65536)
        while fds.contains(where: { $0.fd >= 0 }) {
            let ready = poll(&fds, nfds_t(fds.count), -1)
            if ready < 0 {
                if errno == EINTR { continue }
                break
            }
            for index in 0..<2 where fds[index].fd >= 0 && fds[index].revents != 0 {
                let count = buffer.withUnsafeMutableBytes {
                    read(fds[index].fd, $0.baseAddress, $0.count)
                }
                if count < 0, errno == EINTR || errno == EAGAIN { continue }
                if count <= 0 {
                    close(fds[index].fd)
                    fds[index].fd = -1
                    continue
                }
                collected[index] += buffer[0..<count]
            }
            if fds[2].fd >= 0, fds[2].revents != 0 {
                let count = input.withUnsafeBytes {
                    write(fds[2].fd, $0.baseAddress! + written, min(65536, input.count - written))
                }
                if count > 0 { written += count }
                if (count < 0 && errno != EINTR && errno != EAGAIN) || written >= input.count {
                    close(fds[2].fd)
                    fds[2].fd = -1
                }
            }
        }
        for pollfd in fds where pollfd.fd >= 0 { close(pollfd.fd) }
        return (collected[0], collected[1])
    }

    private static func makePipe(_ fds: inout [Int32]) -> Bool {
        guard pipe(&fds) == 0 else { return false }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        return true
    }
}
