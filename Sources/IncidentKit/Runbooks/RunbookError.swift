/// Why a runbook could not be found or used.
public enum RunbookError: DescribedError, Hashable, Sendable {
    case notFound(String, available: [String])
    case unreadable(path: String, reason: String)
    case invalid(name: String, problems: [RunbookProblem])
    /// A name with characters other than `[a-z0-9-]` (it could escape the directory).
    case invalidName(String)
}

extension RunbookError {
    /// A name that could never be a runbook is a bad value on the command line (exit 2).
    public var isUsageError: Bool {
        if case .invalidName = self { return true }
        return false
    }

    /// A message that reads after `irctl: error: `, naming the value and the fix.
    public var message: String {
        switch self {
        case .notFound(let name, let available):
            let list = available.isEmpty ? "none" : available.joined(separator: ", ")
            return "no runbook named '\(name)'; available: \(list) (see 'irctl runbook list')"
        case .unreadable(let path, let reason):
            return "cannot read runbook '\(path)': \(reason)"
        case .invalid(let name, let problems):
            let first = problems.first.map { ": \($0)" } ?? ""
            let more = problems.count > 1 ? " (and \(problems.count - 1) more)" : ""
            return
                "runbook '\(name)' is invalid\(first)\(more); run 'irctl runbook lint' and fix the "
                + "file"
        case .invalidName(let name):
            return
                "invalid runbook name '\(name)'; use lower-case letters, digits and '-' (e.g. "
                + "disk-full)"
        }
    }
}
