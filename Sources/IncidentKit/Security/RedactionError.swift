/// Why a set of redaction rules could not be used.
public enum RedactionError: Error, Hashable, Sendable {
    /// A rule's `pattern` is not a valid regular expression.
    case invalidPattern(kind: String, pattern: String, reason: String)
}

extension RedactionError {
    /// A short lowercase phrase that reads after "irctl: error: " and says how to fix it.
    public var message: String {
        switch self {
        case let .invalidPattern(kind, pattern, reason):
            return "redaction rule '\(kind)' in config.json has an invalid pattern '\(pattern)': \(reason); fix or remove it"
        }
    }
}

extension RedactionError: DescribedError {}
