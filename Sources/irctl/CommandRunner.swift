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
        var status: TerminationStatus
        var durationMs: Int
        var tail: OutputTail

        /// The exit status a `command` entry records: the command's own, or a shell's 127 or 126
        /// when it could not be started.
        var exitStatus: Int32? {
            switch status {
            case .exited(let code): code
            case .couldNotStart: status.shellStatus
            case .signalled, .timedOut: nil
            }
        }

        /// The signal that ended it (exec sets no timeout, but a timeout's end is a SIGKILL).
        var signal: Int32? {
            switch status {
            case .signalled(let signal): signal
            case .timedOut: SIGKILL
            case .exited, .couldNotStart: nil
            }
        }

        /// Why it could not be started, as a shell would put it.
        var startError: String?
    }

    /// A start failure in a shell's words.
    static func startError(code: Int32, reason: String) -> String {
        switch code {
        case ENOENT: "command not found"
        case EACCES, ENOEXEC, EISDIR: "not executable (\(reason))"
        default: reason
        }
    }

    func run(_ arguments: [String]) -> Outcome {
        let started = Self.monotonicMs()
        var tail = OutputTail(maxLines: tailLines, maxBytes: tailBytes)
        guard let program = arguments.first, !program.isEmpty else {
            // Said as such, not as a program that was not found.
            return Outcome(
                status: .couldNotStart(code: ENOENT, reason: "empty command"), durationMs: 0,
                tail: tail, startError: "empty command")
        }
        // Ctrl-C at the terminal goes to the whole foreground group: let it stop the command,
        // not irctl, so that what happened is still recorded.
        let oldInt = signal(SIGINT, SIG_IGN)
        let oldQuit = signal(SIGQUIT, SIG_IGN)
        defer {
            signal(SIGINT, oldInt)
            signal(SIGQUIT, oldQuit)
        }
        let child = ChildProcess(
            arguments, environment: environment, input: .inherit, stdout: .stream,
            stderr: .stream)
        let ran = child.run { stream, bytes in
            tail.append(bytes)
            // Whoever read irctl's output went away (`irctl exec … | head`): stop, so the command
            // sees a closed pipe too, as it would have without irctl.
            return Self.writeAll(stream == .stdout ? 1 : 2, bytes)
        }
        var startError: String?
        if case .couldNotStart(let code, let reason) = ran.status {
            startError = Self.startError(code: code, reason: reason)
        }
        return Outcome(
            status: ran.status, durationMs: Self.monotonicMs() - started, tail: tail,
            startError: startError)
    }

    private static func writeAll(_ fd: Int32, _ bytes: ArraySlice<UInt8>) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes {
                write(fd, $0.baseAddress! + offset, bytes.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += written
        }
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
}
