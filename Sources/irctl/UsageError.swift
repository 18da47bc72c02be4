import IncidentKit

/// The command line itself is wrong (exit 2). The message is followed by the command's usage line.
struct UsageError: DescribedError {
    var message: String
    /// The command whose usage to show, if known.
    var command: String?
    var isUsageError: Bool { true }

    init(_ message: String, command: String? = nil) {
        self.message = message
        self.command = command
    }
}
