import Foundation

/// Who is making a change, and when: passed into every mutation so the library never reads the
/// clock or the environment itself.
public struct EditContext: Sendable {
    public var author: String
    /// Whole seconds: timestamps are stored to the second.
    public var now: Date
    public var redactor: Redactor

    public init(author: String, now: Date, redactor: Redactor = .standard) {
        self.author = author
        self.now = Timestamp.wholeSeconds(now)
        self.redactor = redactor
    }

    /// Text as it may be stored: secrets replaced.
    func clean(_ text: String) -> String { redactor.redact(text) }
}
