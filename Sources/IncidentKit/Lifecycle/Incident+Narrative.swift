import Foundation

/// What `irctl set` can change: the title, a narrative field, or a recorded time.
public enum EditableField: Hashable, Sendable {
    case title
    case narrative(NarrativeField)
    /// When impact began.
    case started
    /// When the incident was detected.
    case detected

    /// Every field by its command-line name, in the order help lists them.
    public static let all: [EditableField] =
        [.title] + NarrativeField.allCases.map(EditableField.narrative) + [.started, .detected]

    public var argument: String {
        switch self {
        case .title: "title"
        case .narrative(let field): field.argument
        case .started: "started"
        case .detected: "detected"
        }
    }

    public static func parse(_ text: String) throws(EditError) -> EditableField {
        let name = text.lowercased()
        if let field = all.first(where: { $0.argument == name }) { return field }
        // Friendly spellings people type from the headings.
        let aliases: [String: EditableField] = [
            "rootcause": .narrative(.rootCause), "root_cause": .narrative(.rootCause),
            "contributing": .narrative(.contributingFactors),
            "lessons-learned": .narrative(.lessons), "started-at": .started,
            "detected-at": .detected,
        ]
        if let field = aliases[name] { return field }
        throw .unknownField(text)
    }

    public var isTime: Bool { self == .started || self == .detected }
}

/// A narrative edit or time correction that can't be made.
public enum EditError: DescribedError, Hashable, Sendable {
    case unknownField(String)
    case cannotClear(IncidentID, String)
    case unchanged(IncidentID, String)
    case startedAfterDetected(IncidentID, started: Date, detected: Date)
    case detectedAfterDeclared(IncidentID, detected: Date, declared: Date)
    case conflict(IncidentID, field: String)
    case emptyText(String)

    public var isUsageError: Bool {
        switch self {
        case .unknownField, .emptyText: true
        default: false
        }
    }

    public var message: String {
        switch self {
        case .unknownField(let text)
        where Role(rawValue: text.lowercased()) != nil || text.lowercased() == "owner":
            "'\(text)' is a role, not a field: set it with"
                + " 'irctl assign INCIDENT --\(text.lowercased()) NAME'"
        case .unknownField(let text):
            "unknown field '\(text)'; use one of "
                + "\(EditableField.all.map(\.argument).joined(separator: ", "))"
        case .cannotClear(let id, let field):
            "the \(field) of \(id) can't be cleared; give a new value instead"
        case .unchanged(let id, let field):
            "\(id) already has that \(field); nothing changed"
        case .startedAfterDetected(let id, let started, let detected):
            "impact can't begin (\(Timestamp.format(started))) after \(id) was detected "
                + "(\(Timestamp.format(detected))); correct 'detected' first or give an earlier "
                + "time"
        case .detectedAfterDeclared(let id, let detected, let declared):
            "\(id) can't be detected (\(Timestamp.format(detected))) after it was declared "
                + "(\(Timestamp.format(declared))); give a time at or before the declaration"
        case .emptyText(let field):
            "the text for \(field) is empty; give some text, or clear the field with --clear"
        case .conflict(let id, let field):
            "the \(field) of \(id) was changed by someone else while you were editing; nothing was "
                + "stored"
        }
    }
}

extension Incident {
    /// Sets a narrative field, or clears it with nil. One `edit` entry per change; works on closed
    /// incidents too, because postmortems are corrected after the review.
    public mutating func setNarrative(
        _ field: NarrativeField, to text: String?, at: Date? = nil, context: EditContext
    ) throws {
        if let text, text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw EditError.emptyText(field.argument)
        }
        let cleaned = try Self.cleanedText(text, what: field.argument, context: context)
        guard narrative[field] != cleaned else { throw EditError.unchanged(id, field.argument) }
        let lines =
            cleaned.map { $0.split(separator: "\n", omittingEmptySubsequences: false).count } ?? 0
        let text =
            cleaned == nil
            ? "Cleared \(field.title.lowercased())"
            : "Set \(field.title.lowercased()) (\(lines) line\(lines == 1 ? "" : "s"))"
        record(.narrative(field, value: cleaned), text, at: at, context: context)
    }

    /// Renames the incident.
    public mutating func setTitle(_ text: String, at: Date? = nil, context: EditContext) throws {
        guard let title = try Self.cleanedText(text, what: "title", context: context) else {
            throw ValueError.empty(what: "the title")
        }
        guard !title.contains(where: \.isNewline), title.utf8.count <= 1000 else {
            throw ValueError.invalidValue(
                option: "title", value: String(title.prefix(40)),
                expected: "one line of at most 1000 bytes")
        }
        guard title != self.title else { throw EditError.unchanged(id, "title") }
        let old = self.title
        record(
            .title(from: old, to: title), "Title: \(title) (was \(old))", at: at,
            context: context)
    }

    /// Corrects when impact began; nil records that it is unknown.
    public mutating func setStarted(
        _ date: Date?, at: Date? = nil, context: EditContext
    ) throws(EditError) {
        let new = date.map(Timestamp.wholeSeconds)
        if let new, new > detectedAt {
            throw .startedAfterDetected(id, started: new, detected: detectedAt)
        }
        guard new != startedAt else { throw .unchanged(id, "start time") }
        let old = startedAt
        let text =
            "Impact start " + (new.map(Timestamp.format) ?? "unknown") + " (was "
            + (old.map(Timestamp.format) ?? "unknown") + ")"
        record(.started(from: old, to: new), text, at: at, context: context)
    }

    /// Corrects when the incident was detected. The first phase entry keeps its time (the timeline
    /// is append-only); metrics use `detectedAt`.
    public mutating func setDetected(
        _ date: Date, at: Date? = nil, context: EditContext
    ) throws(EditError) {
        let new = Timestamp.wholeSeconds(date)
        if let started = startedAt, started > new {
            throw .startedAfterDetected(id, started: started, detected: new)
        }
        if let declared = phaseTimes.declaredAt, new > declared {
            throw .detectedAfterDeclared(id, detected: new, declared: declared)
        }
        guard new != detectedAt else { throw .unchanged(id, "detection time") }
        let old = detectedAt
        record(
            .detected(from: old, to: new),
            "Detected \(Timestamp.format(new)) (was \(Timestamp.format(old)))", at: at,
            context: context)
    }

    /// Trimmed and redacted; nil for nil. Empty text is refused: clearing is explicit.
    static func cleanedText(_ text: String?, what: String, context: EditContext) throws -> String? {
        guard let text else { return nil }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw ValueError.empty(what: "the \(what)") }
        return context.clean(trimmed)
    }
}
