/// One irctl command: its help, its options and what it does.
struct Command: Sendable {
    var name: String
    var aliases: [String] = []
    /// One line for `irctl help`.
    var summary: String
    /// Usage lines, without the leading "irctl ".
    var usage: [String]
    /// Paragraphs shown by `irctl help <command>`.
    var discussion: String = ""
    var options: [OptionSpec] = []
    /// Accepts `--json` (every read command and every mutating one does).
    var json = true
    var examples: [String] = []
    /// An unknown word starting with one '-' is a positional (`search`'s -excluded words).
    var dashWords = false
    var run: @Sendable (Invocation) throws -> Int32
}

/// Options every command takes.
enum GlobalOptions {
    static let all: [OptionSpec] = [
        .value(
            "--dir", value: "DIR",
            help:
                "use the store in DIR (else IRCTL_DIR, the nearest .irctl/, or ~/.local/share/irctl)"
        ),
        .flag("--json", help: "print JSON (documented shapes, stable for scripts)"),
        .value(
            "--as", value: "NAME",
            help: "author of the change (else IRCTL_USER, the store's defaultAuthor, $USER)"),
        .flag("--utc", help: "show times in UTC instead of local time"),
        .flag("--no-color", help: "no colours (also: NO_COLOR set in the environment)"),
        .flag("--help", "-h", help: "show help for the command"),
    ]
}
