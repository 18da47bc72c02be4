/// The subject of a commit sync makes for the store: what changed, in a line that fits
/// `git log --oneline` ("irctl: INC-4 +3 entries, declare INC-9").
enum CommitSubject {
    static let limit = 72

    /// `notes` (renumberings, conversions) come first, then one phrase per changed incident.
    static func make(changes: [ChangedIncident], notes: [String]) -> String {
        let phrases = notes + changes.map(phrase)
        guard !phrases.isEmpty else { return "irctl: update the store" }
        var subject = "irctl: "
        for (index, phrase) in phrases.enumerated() {
            let rest = phrases.count - index - 1
            let candidate = subject + (index == 0 ? "" : ", ") + phrase
            let tail = rest > 0 ? ", and \(rest) more" : ""
            if index > 0, (candidate + tail).count > limit {
                return subject + ", and \(phrases.count - index) more"
            }
            subject = candidate
        }
        return subject
    }

    /// Every phrase on a line of its own, when the subject had to leave some out; else nil.
    static func body(changes: [ChangedIncident], notes: [String]) -> String? {
        let phrases = notes + changes.map(phrase)
        guard make(changes: changes, notes: notes).hasSuffix(" more") else { return nil }
        return phrases.map { "- " + $0 }.joined(separator: "\n")
    }

    static func phrase(_ change: ChangedIncident) -> String {
        change.isNew
            ? "declare \(change.id)"
            : "\(change.id) +\(change.entries) entr\(change.entries == 1 ? "y" : "ies")"
    }
}
