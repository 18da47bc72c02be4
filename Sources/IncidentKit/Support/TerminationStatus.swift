import Glibc

/// How a child process ended: the one answer every program irctl runs gives.
public enum TerminationStatus: Hashable, Sendable {
    /// It exited with this status.
    case exited(Int32)
    /// A signal ended it.
    case signalled(Int32)
    /// It ran past its timeout and irctl killed it.
    case timedOut
    /// It never ran: `code` is the error number, `reason` says it in words.
    case couldNotStart(code: Int32, reason: String)

    /// True for exit status 0 alone.
    public var succeeded: Bool { self == .exited(0) }

    /// The status a shell would report: the exit status, 128 + a signal, 124 for a timeout (as
    /// `timeout` reports it), 127 for a program not found and 126 for one that can't be run.
    public var shellStatus: Int32 {
        switch self {
        case .exited(let code): code
        case .signalled(let signal): 128 + signal
        case .timedOut: 124
        case .couldNotStart(let code, _): code == ENOENT ? 127 : 126
        }
    }

    /// `exit 3`, `killed by SIGTERM`, `timed out`, `not started: …`.
    public var summary: String {
        switch self {
        case .exited(let code): "exit \(code)"
        case .signalled(let signal): "killed by \(Self.signalName(signal))"
        case .timedOut: "timed out"
        case .couldNotStart(_, let reason): "not started: \(reason)"
        }
    }

    /// The signal's usual name, e.g. `SIGTERM`; `signal 42` for one without.
    public static func signalName(_ number: Int32) -> String {
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
