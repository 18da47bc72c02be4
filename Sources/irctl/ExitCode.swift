/// irctl's exit statuses.
enum ExitCode {
    static let success: Int32 = 0
    /// The operation failed: not found, refused transition, store error.
    static let failure: Int32 = 1
    /// The command line was wrong: unknown option, bad value.
    static let usage: Int32 = 2
}
