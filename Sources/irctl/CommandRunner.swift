import Glibc
import IncidentKit

/// Runs a command as if the user had typed it: stdin is the user's own, stdout and stderr are
/// forwarded to irctl's as the bytes arrive and also kept in a bounded tail for the timeline.
///
/// The child's stdout and stderr are pipes, not the terminal: a program that checks `isatty`
/// (colours, pagers, progress bars) behaves as it would in a pipeline. That is the price of
/// recording the output without a pseudo-terminal.
struct CommandRunner {
    /// The child's environment.
    var environment: [String: String]
    var tailLines = 50
    var tailBytes = 8 * 1024

    struct Outcome {
        var exitStatus: Int32?
        var signal: Int32?
        /// Set when the command could not be started; `exitStatus` is then 127 or 126, as a shell
        /// says.
        var startError: String?
        var durationMs: Int
        var tail: OutputTail
    }

    func run(_ arguments: [String]) -> Outcome {
        let started = Self.monotonicMs()
        var tail = OutputTail(maxLines: tailLines, maxBytes: tailBytes)
        func failed(_ status: Int32, _ reason: String) -> Outcome {
            Outcome(
                exitStatus: status, startError: reason, durationMs: Self.monotonicMs() - started,
                tail: tail)
        }
        guard let program = arguments.first, !program.isEmpty else {
            return failed(127, "empty command")
        }

        var outPipe: [Int32] = [-1, -1]
        var errPipe: [Int32] = [-1, -1]
        guard Self.makePipe(&outPipe), Self.makePipe(&errPipe) else {
            let reason = String(cString: strerror(errno))
            for fd in outPipe + errPipe where fd >= 0 { close(fd) }
            return failed(126, "could not create a pipe: \(reason)")
        }

        // Ctrl-C at the terminal goes to the whole foreground group: let it stop the command,
        // not irctl, so that what happened is still recorded.
        let oldInt = signal(SIGINT, SIG_IGN)
        let oldQuit = signal(SIGQUIT, SIG_IGN)
        defer {
            signal(SIGINT, oldInt)
            signal(SIGQUIT, oldQuit)
        }

        let spawned = ChildProcess.spawn(arguments, environment: environment, searchPath: true) {
            actions in
            posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
            posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        }
        close(outPipe[1])
        close(errPipe[1])
        let pid: pid_t
        switch spawned {
        case .success(let started): pid = started
        case .failure(let error):
            close(outPipe[0])
            close(errPipe[0])
            switch error.code {
            case ENOENT: return failed(127, "command not found")
            case EACCES, ENOEXEC, EISDIR: return failed(126, "not executable (\(error.reason))")
            default: return failed(126, error.reason)
            }
        }

        let status = forward(pid: pid, out: outPipe[0], err: errPipe[0], tail: &tail)
        let durationMs = Self.monotonicMs() - started
        let signalNumber = status & 0x7F
        if signalNumber == 0 {
            return Outcome(exitStatus: (status >> 8) & 0xFF, durationMs: durationMs, tail: tail)
        }
        return Outcome(signal: signalNumber, durationMs: durationMs, tail: tail)
    }

    /// Copies the child's output to fds 1 and 2 and into `tail` until both pipes close, then
    /// reaps the child and returns its wait status. If the child has exited but something it
    /// started in the background still holds the pipes, irctl stops reading after 100 ms of
    /// silence instead of waiting for that process too.
    private func forward(pid: pid_t, out: Int32, err: Int32, tail: inout OutputTail) -> Int32 {
        var fds = [
            pollfd(fd: out, events: Int16(POLLIN), revents: 0),
            pollfd(fd: err, events: Int16(POLLIN), revents: 0),
        ]
        let targets: [Int32] = [1, 2]
        var buffer = [UInt8](repeating: 0, count: 65536)
        var status: Int32 = 0
        var reaped = false
        func reap(blocking: Bool) {
            while !reaped {
                let result = waitpid(pid, &status, blocking ? 0 : WNOHANG)
                if result == pid {
                    reaped = true
                    return
                }
                if result < 0, errno == EINTR { continue }
                if result < 0 {
                    reaped = true
                    status = 127 << 8
                }  // not our child any more: nothing to wait for
                return
            }
        }
        while fds.contains(where: { $0.fd >= 0 }) {
            let ready = poll(&fds, nfds_t(fds.count), reaped ? 100 : 200)
            if ready < 0 {
                if errno == EINTR { continue }
                break
            }
            if ready == 0 {
                if reaped { break }
                reap(blocking: false)
                continue
            }
            for index in fds.indices where fds[index].fd >= 0 && fds[index].revents != 0 {
                let count = buffer.withUnsafeMutableBytes {
                    read(fds[index].fd, $0.baseAddress, $0.count)
                }
                if count < 0, errno == EINTR || errno == EAGAIN { continue }
                if count <= 0 {
                    close(fds[index].fd)
                    fds[index].fd = -1
                    continue
                }
                tail.append(buffer[0..<count])
                if !Self.writeAll(targets[index], buffer, count: count) {
                    // Whoever read irctl's output went away (`irctl exec … | head`): close the
                    // pipe so the command sees that too, as it would have without irctl.
                    close(fds[index].fd)
                    fds[index].fd = -1
                }
            }
        }
        for pollfd in fds where pollfd.fd >= 0 { close(pollfd.fd) }
        reap(blocking: true)
        return status
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8], count: Int) -> Bool {
        var offset = 0
        while offset < count {
            let written = bytes.withUnsafeBytes {
                write(fd, $0.baseAddress! + offset, count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += written
        }
        return true
    }

    private static func makePipe(_ fds: inout [Int32]) -> Bool {
        guard pipe(&fds) == 0 else { return false }
        // Close-on-exec: the child gets only the copies made as its fds 1 and 2.
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        return true
    }

    static func monotonicMs() -> Int {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Int(time.tv_sec) * 1000 + Int(time.tv_nsec) / 1_000_000
    }

    /// Reads one line typed at the terminal (for a confirmation); nil at end of input.
    static func readAnswer() -> String? {
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while true {
            let count = read(0, &byte, 1)
            if count < 0, errno == EINTR { continue }
            if count <= 0 { return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self) }
            if byte == UInt8(ascii: "\n") { return String(decoding: bytes, as: UTF8.self) }
            if bytes.count < 1024 { bytes.append(byte) }
        }
    }

    static func signalName(_ number: Int32) -> String {
        switch number {
        case SIGHUP: "SIGHUP"
        case SIGINT: "SIGINT"
        case SIGQUIT: "SIGQUIT"
        case SIGKILL: "SIGKILL"
        case SIGPIPE: "SIGPIPE"
        case SIGTERM: "SIGTERM"
        case SIGSEGV: "SIGSEGV"
        case SIGABRT: "SIGABRT"
        default: "signal \(number)"
        }
    }
}
