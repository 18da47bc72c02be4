/// An error a person can act on: `message` reads after "irctl: error: " and carries the offending
/// value and the fix.
public protocol DescribedError: Error {
    var message: String { get }
    /// True when the input was wrong (exit 2) rather than the operation failing (exit 1).
    var isUsageError: Bool { get }
}

extension DescribedError {
    public var isUsageError: Bool { false }
}

/// A value given on the command line (or stdin) that irctl can't accept.
public enum ValueError: DescribedError, Hashable, Sendable {
    case invalidIncidentID(String)
    case invalidSeverity(String, known: [String])
    case invalidPhase(String)
    case invalidKind(String, allowed: [String])
    case invalidRole(String)
    case empty(what: String)
    case futureTime(String)
    case tooLarge(what: String, limit: Int)
    case invalidUTF8(what: String)
    case invalidValue(option: String, value: String, expected: String)

    public var isUsageError: Bool { true }

    public var message: String {
        switch self {
        case .invalidIncidentID(let text):
            "invalid incident id '\(Self.shown(text))'; use INC-<number>, inc-<number> or "
                + "<number>, e.g. INC-7"
        case .invalidSeverity(let text, let known):
            "unknown severity '\(Self.shown(text))'; use one of \(known.joined(separator: ", ")) "
                + "(or its number, e.g. 2 or P2)"
        case .invalidPhase(let text):
            "unknown phase '\(Self.shown(text))'; use one of "
                + "\(Phase.working.map(\.rawValue).joined(separator: ", "))"
        case .invalidKind(let text, let allowed):
            "unknown entry kind '\(Self.shown(text))'; use one of "
                + "\(allowed.joined(separator: ", "))"
        case .invalidRole(let text):
            "unknown role '\(Self.shown(text))'; use one of "
                + "\(Role.allCases.map(\.rawValue).joined(separator: ", "))"
        case .empty(let what):
            "\(what) is empty; give some text"
        case .futureTime(let text):
            "time '\(Self.shown(text))' is in the future; give a past time (for example 'yesterday "
                + "23:10' or '10m ago')"
        case .tooLarge(let what, let limit):
            "\(what) is larger than \(limit / 1024) KiB; shorten it or attach it elsewhere and log "
                + "a link"
        case .invalidUTF8(let what):
            "\(what) is not valid UTF-8 text; convert it first (for example with iconv -t UTF-8)"
        case .invalidValue(let option, let value, let expected):
            "invalid value '\(Self.shown(value))' for \(option); expected \(expected)"
        }
    }
}

extension ValueError {
    /// A value as an error quotes it: on one line, control characters escaped, long input cut
    /// short, so a hostile argument can neither drive the terminal nor flood it.
    static func shown(_ text: String) -> String {
        let cut = text.count > 60 ? String(text.prefix(60)) + "…" : text
        return TerminalText.singleLine(cut)
    }
}

extension TimeInputError: DescribedError {
    public var isUsageError: Bool { true }
}
