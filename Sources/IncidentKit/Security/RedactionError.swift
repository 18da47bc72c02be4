/// Why a set of redaction rules could not be used.
public enum RedactionError: Error, Hashable, Sendable {
    /// A rule's `pattern` is not a valid regular expression.
    case invalidPattern(kind: String, pattern: String, reason: String)
    /// A rule's `pattern` could take too long on some text (a shape that backtracks without bound,
    /// or more engine steps than allowed on a hostile line).
    case tooSlow(kind: String, pattern: String, reason: String)
}

extension RedactionError {
    /// A short lowercase phrase that reads after "irctl: error: " and says how to fix it.
    public var message: String {
        switch self {
        case .invalidPattern(let kind, let pattern, let reason):
            return
                "redaction rule '\(kind)' in config.json has an invalid pattern '\(pattern)': "
                + "\(reason); fix or remove it"
        case .tooSlow(let kind, let pattern, let reason):
            return
                "redaction rule '\(kind)' in config.json is too slow: on some text pattern "
                + "'\(pattern)' would take seconds or hang "
                + "(\(reason)); rewrite it without nested or stacked repetition, for example 'a+' "
                + "instead of '(a+)+' or 'a*a*'"
        }
    }
}

extension RedactionError: DescribedError {}
