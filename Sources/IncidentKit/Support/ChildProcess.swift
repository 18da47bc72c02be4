import Glibc

/// A program irctl runs: git, a command through `exec`, a status update hook. One loop starts it
/// the way a shell would (no shell, arguments as an array), feeds its standard input, captures or
/// streams its output, enforces a timeout and reaps it, so every caller reads how it ended from
/// the same ``TerminationStatus``.
///
/// The signals irctl itself ignores or blocks are back at their defaults in the child (ignored
/// dispositions and the signal mask survive exec, and a child ignoring SIGPIPE would never see a
/// closed pipe).
public struct ChildProcess: Sendable {
    /// The program and its arguments.
    public var arguments: [String]
    /// The child's whole environment (and, with ``searchPath``, the `PATH` that finds it).
    public var environment: [String: String]
    /// Looks the program up on `PATH` like a shell; otherwise `arguments[0]` is a path.
    public var searchPath: Bool
    public var input: Input
    public var stdout: Output
    public var stderr: Output
    /// Seconds after which the child is killed (SIGKILL) and ends ``TerminationStatus/timedOut``;
    /// nil waits however long it takes.
    public var timeout: Double?

    /// What the child reads on standard input.
    public enum Input: Sendable {
        /// irctl's own standard input (a command the user runs may ask them something).
        case inherit
        /// These bytes, then end of input; empty means end of input at once.
        case bytes([UInt8])
    }

    /// Where one of the child's outputs goes.
    public enum Output: Sendable {
        /// irctl's own descriptor of the same number.
        case inherit
        /// irctl's standard error (for a child whose output is not irctl's output).
        case standardError
        /// Kept whole, in ``Result``.
        case capture
        /// Handed to `run`'s `onOutput` as it arrives.
        case stream
    }

    /// Which of the child's outputs some bytes came from.
    public enum Stream: Sendable {
        case stdout
        case stderr
    }

    /// How the child ended and what it wrote to the outputs that were captured.
    public struct Result: Sendable {
        public var status: TerminationStatus
        public var stdout: [UInt8]
        public var stderr: [UInt8]
    }

    public init(
        _ arguments: [String], environment: [String: String], searchPath: Bool = true,
        input: Input = .bytes([]), stdout: Output = .capture,
        stderr: Output = .capture, timeout: Double? = nil
    ) {
        self.arguments = arguments
        self.environment = environment
        self.searchPath = searchPath
        self.input = input
        self.stdout = stdout
        self.stderr = stderr
        self.timeout = timeout
    }

    /// Runs the child to its end. `onOutput` receives the bytes of each ``Output/stream`` output
    /// as they arrive; returning false stops reading that output and closes it, so the child
    /// sees a closed pipe as it would writing to a reader that went away.
    ///
    /// Once the child has exited, output still arriving (from something it left running in the
    /// background with the same descriptors) is read until 100 ms pass without any: irctl does
    /// not wait for that process too.
    public func run(
        onOutput: (Stream, ArraySlice<UInt8>) -> Bool = { _, _ in true }
    ) -> Result {
        guard let program = arguments.first, !program.isEmpty else {
            return Result(
                status: .couldNotStart(code: ENOENT, reason: "no program given"), stdout: [],
                stderr: [])
        }
        var pipes = Pipes()
        defer { pipes.closeAll() }
        let bytes: [UInt8]?
        if case .bytes(let given) = input { bytes = given } else { bytes = nil }
        guard pipes.open(input: bytes != nil, stdout: stdout, stderr: stderr) else {
            let code = errno
            let reason = "could not create a pipe: " + Self.describe(code)
            return Result(
                status: .couldNotStart(code: code, reason: reason), stdout: [], stderr: [])
        }
        let started = spawn { actions in
            if let read = pipes.input?.read { posix_spawn_file_actions_adddup2(&actions, read, 0) }
            for (fd, output, pipe) in [(1, stdout, pipes.stdout), (2, stderr, pipes.stderr)] {
                if let write = pipe?.write {
                    posix_spawn_file_actions_adddup2(&actions, write, Int32(fd))
                } else if case .standardError = output {
                    posix_spawn_file_actions_adddup2(&actions, 2, Int32(fd))
                }
            }
        }
        pipes.closeChildEnds()
        switch started {
        case .failure(let failure):
            let code = failure.code
            return Result(
                status: .couldNotStart(code: code, reason: Self.describe(code)), stdout: [],
                stderr: [])
        case .success(let pid):
            var loop = Loop(pid: pid, timeout: timeout, input: bytes ?? [])
            return loop.run(
                pipes: &pipes, capture: (stdout.isCaptured, stderr.isCaptured), onOutput: onOutput)
        }
    }

    /// Spawns the child with the file actions `setUp` adds. Returns the pid, or the error number.
    private func spawn(
        fileActions setUp: (inout posix_spawn_file_actions_t) -> Void
    ) -> Swift.Result<pid_t, SpawnFailure> {
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
            ? posix_spawnp(&pid, arguments[0], &actions, &attributes, argv, envp)
            : posix_spawn(&pid, arguments[0], &actions, &attributes, argv, envp)
        return spawned == 0 ? .success(pid) : .failure(SpawnFailure(code: spawned))
    }

    /// The system's words for an error number.
    static func describe(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }
}

extension ChildProcess.Output {
    var isCaptured: Bool {
        if case .capture = self { return true }
        return false
    }

    var isPiped: Bool {
        switch self {
        case .capture, .stream: true
        case .inherit, .standardError: false
        }
    }
}

/// An error number from `posix_spawn`.
private struct SpawnFailure: Error {
    var code: Int32
}

/// The pipes between irctl and one child, close-on-exec so the child gets only its copies.
private struct Pipes {
    var input: (read: Int32, write: Int32)?
    var stdout: (read: Int32, write: Int32)?
    var stderr: (read: Int32, write: Int32)?

    mutating func open(
        input wantsInput: Bool, stdout out: ChildProcess.Output, stderr err: ChildProcess.Output
    ) -> Bool {
        func make() -> (read: Int32, write: Int32)? {
            var fds: [Int32] = [-1, -1]
            guard pipe(&fds) == 0 else { return nil }
            for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
            return (fds[0], fds[1])
        }
        if wantsInput {
            guard let made = make() else { return false }
            input = made
        }
        if out.isPiped {
            guard let made = make() else { return false }
            stdout = made
        }
        if err.isPiped {
            guard let made = make() else { return false }
            stderr = made
        }
        return true
    }

    /// Closes the ends the child now holds its own copies of.
    mutating func closeChildEnds() {
        if let fd = input?.read { close(fd) }
        if let fd = stdout?.write { close(fd) }
        if let fd = stderr?.write { close(fd) }
        input?.read = -1
        stdout?.write = -1
        stderr?.write = -1
    }

    mutating func closeAll() {
        for pipe in [input, stdout, stderr].compactMap({ $0 }) {
            for fd in [pipe.read, pipe.write] where fd >= 0 { close(fd) }
        }
        input = nil
        stdout = nil
        stderr = nil
    }
}

/// Feeding, reading and reaping one started child.
private struct Loop {
    let pid: pid_t
    let deadline: Int?
    let input: [UInt8]
    var written = 0
    var waitStatus: Int32 = 0
    var reaped = false
    var timedOut = false

    init(pid: pid_t, timeout: Double?, input: [UInt8]) {
        self.pid = pid
        self.input = input
        deadline = timeout.map { Self.monotonicMs() + Int(($0 * 1000).rounded(.up)) }
    }

    mutating func run(
        pipes: inout Pipes, capture: (stdout: Bool, stderr: Bool),
        onOutput: (ChildProcess.Stream, ArraySlice<UInt8>) -> Bool
    ) -> ChildProcess.Result {
        var inFD = pipes.input?.write ?? -1
        if inFD >= 0 {
            // Non-blocking, so a write never waits for a child that is busy writing its output.
            _ = fcntl(inFD, F_SETFL, fcntl(inFD, F_GETFL) | O_NONBLOCK)
            if input.isEmpty {
                close(inFD)
                inFD = -1
            }
        }
        var fds = [
            pollfd(fd: pipes.stdout?.read ?? -1, events: Int16(POLLIN), revents: 0),
            pollfd(fd: pipes.stderr?.read ?? -1, events: Int16(POLLIN), revents: 0),
            pollfd(fd: inFD, events: Int16(POLLOUT), revents: 0),
        ]
        // The loop closes these itself from here on.
        pipes.input = nil
        pipes.stdout = nil
        pipes.stderr = nil
        var collected: [[UInt8]] = [[], []]
        let captured = [capture.stdout, capture.stderr]
        let streams: [ChildProcess.Stream] = [.stdout, .stderr]
        var buffer = [UInt8](repeating: 0, count: 65536)
        func stop(_ index: Int) {
            close(fds[index].fd)
            fds[index].fd = -1
        }

        while fds.contains(where: { $0.fd >= 0 }) || !reaped {
            guard fds.contains(where: { $0.fd >= 0 }) else {
                // Nothing left to read or write: only the child's end to wait for.
                if deadline == nil {
                    reap(blocking: true)
                } else {
                    _ = poll(nil, 0, slice())
                    reap(blocking: false)
                }
                continue
            }
            let ready = poll(&fds, nfds_t(fds.count), reaped ? 100 : slice())
            if ready < 0 {
                if errno == EINTR { continue }
                break
            }
            if ready == 0 {
                // Silence after the child's end: what still holds the pipes is not waited for.
                if reaped { break }
                reap(blocking: false)
                continue
            }
            for index in 0..<2 where fds[index].fd >= 0 && fds[index].revents != 0 {
                let count = buffer.withUnsafeMutableBytes {
                    read(fds[index].fd, $0.baseAddress, $0.count)
                }
                if count < 0, errno == EINTR || errno == EAGAIN { continue }
                if count <= 0 {
                    stop(index)
                    continue
                }
                if captured[index] {
                    collected[index] += buffer[0..<count]
                } else if !onOutput(streams[index], buffer[0..<count]) {
                    stop(index)
                }
            }
            if fds[2].fd >= 0, fds[2].revents != 0 {
                let count = input.withUnsafeBytes {
                    write(fds[2].fd, $0.baseAddress! + written, min(65536, input.count - written))
                }
                if count > 0 { written += count }
                // A child that stops reading early is not an error: its exit status says.
                if (count < 0 && errno != EINTR && errno != EAGAIN) || written >= input.count {
                    stop(2)
                }
            }
        }
        for index in fds.indices where fds[index].fd >= 0 { stop(index) }
        reap(blocking: true)
        return ChildProcess.Result(status: status, stdout: collected[0], stderr: collected[1])
    }

    /// How long one wait may last: until the deadline, and at most 200 ms, so that the child's
    /// end is noticed even while something else holds its pipes.
    private mutating func slice() -> Int32 {
        guard let deadline, !timedOut else { return timedOut ? 10 : 200 }
        let left = deadline - Self.monotonicMs()
        if left <= 0, !reaped {
            timedOut = true
            kill(pid, SIGKILL)
            return 10
        }
        return Int32(max(0, min(200, left)))
    }

    private mutating func reap(blocking: Bool) {
        while !reaped {
            let result = waitpid(pid, &waitStatus, blocking ? 0 : WNOHANG)
            if result == pid {
                reaped = true
                return
            }
            if result < 0, errno == EINTR { continue }
            if result < 0 {
                // Not our child any more (someone set SIGCHLD to be ignored): as a shell says
                // of a command it could not run.
                reaped = true
                waitStatus = 127 << 8
            }
            return
        }
    }

    private var status: TerminationStatus {
        if timedOut { return .timedOut }
        let signal = waitStatus & 0x7F
        return signal == 0 ? .exited((waitStatus >> 8) & 0xFF) : .signalled(signal)
    }

    static func monotonicMs() -> Int {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Int(time.tv_sec) * 1000 + Int(time.tv_nsec) / 1_000_000
    }
}
