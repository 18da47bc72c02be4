/// Why git could not do what irctl asked of it.
public enum GitError: DescribedError, Hashable, Sendable {
    /// No `git` executable on the `PATH`.
    case notInstalled(path: String)
    /// The process could not be started (out of processes, descriptors …).
    case cannotStart(reason: String)
    /// git ran and failed; `message` is git's own.
    case failed(arguments: [String], status: Int32, message: String)

    public var message: String {
        switch self {
        case .notInstalled(let path):
            "git is not installed (no 'git' on PATH=\(path)); install it (for example 'apt-get "
                + "install git') and retry"
        case .cannotStart(let reason):
            "could not start git: \(reason)"
        case .failed(let arguments, let status, let message):
            "'git \(arguments.prefix(3).joined(separator: " "))\(arguments.count > 3 ? " …" : "")' "
                + "failed (exit \(status)): \(message)"
        }
    }
}
