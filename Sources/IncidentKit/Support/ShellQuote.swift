/// Command lines as a POSIX shell reads them, for recording what was run.
public enum ShellQuote {
    /// `kubectl rollout undo 'deploy/my app'`: each argument quoted only when it needs it.
    public static func join(_ arguments: [String]) -> String {
        arguments.map(quote).joined(separator: " ")
    }

    /// One argument: kept bare when it is made only of characters no shell treats specially,
    /// else in single quotes (a `'` inside becomes `'\''`).
    public static func quote(_ argument: String) -> String {
        guard !argument.isEmpty else { return "''" }
        let plain = argument.unicodeScalars.allSatisfy { scalar in
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9": return true
            default: return "_@%+=:,./-".unicodeScalars.contains(scalar)
            }
        }
        if plain { return argument }
        return "'"
            + argument.split(separator: "'", omittingEmptySubsequences: false).joined(
                separator: "'\\''") + "'"
    }
}
