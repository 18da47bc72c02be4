import Foundation

/// Who is making a change, and when: passed into every mutation so the library never reads the
/// clock or the environment itself.
public struct EditContext: Sendable {
    public var author: String
    /// Whole seconds: timestamps are stored to the second.
    public var now: Date
    public var redactor: Redactor

    public init(author: String, now: Date, redactor: Redactor = .standard) {
        // The author is written on every entry: a secret pasted into --as is redacted like any
        // text.
        self.author = redactor.redact(author)
        self.now = Timestamp.wholeSeconds(now)
        self.redactor = redactor
    }

    /// Text as it may be stored: secrets replaced.
    func clean(_ text: String) -> String { redactor.redact(text) }

    /// Roles name people, but they are written text all the same: redacted like the rest.
    func clean(_ roles: Roles) -> Roles {
        var cleaned = roles
        for role in Role.allCases { cleaned[role] = roles[role].map(clean) }
        return cleaned
    }
}
