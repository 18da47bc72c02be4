import IncidentKit

/// The command line itself is wrong (exit 2). A wrong shape (a missing argument, an unknown
/// option) is followed by the command's usage lines; a bad value only by where to read more.
struct UsageError: DescribedError {
    /// What follows the message.
    enum Followed: Sendable {
        case byUsage
        /// One line: the help to read.
        case byPointer
        /// Nothing: the message says it all (`irctl help` of an unknown name).
        case byNothing
    }

    var message: String
    /// The command whose usage to show, if known.
    var command: String?
    var subcommand: String?
    var followed = Followed.byUsage
    var isUsageError: Bool { true }

    init(
        _ message: String, command: String? = nil, subcommand: String? = nil,
        followed: Followed = .byUsage
    ) {
        self.message = message
        self.command = command
        self.subcommand = subcommand
        self.followed = followed
    }

    /// A value that is not accepted, in a command line of the right shape.
    static func badValue(_ message: String, command: String? = nil) -> UsageError {
        UsageError(message, command: command, followed: .byPointer)
    }
}
