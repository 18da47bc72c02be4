/// What a timeline entry records. Open-ended: a kind written by a newer irctl is kept as is.
public struct EntryKind: RawRepresentable, Codable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let note = EntryKind(rawValue: "note")
    /// Something done to production.
    public static let action = EntryKind(rawValue: "action")
    public static let decision = EntryKind(rawValue: "decision")
    /// A status update sent to stakeholders.
    public static let comms = EntryKind(rawValue: "comms")
    public static let alert = EntryKind(rawValue: "alert")
    public static let phase = EntryKind(rawValue: "phase")
    public static let severity = EntryKind(rawValue: "severity")
    public static let role = EntryKind(rawValue: "role")
    /// A command run through irctl, with exit status and duration.
    public static let command = EntryKind(rawValue: "command")
    /// A runbook step done or skipped.
    public static let runbook = EntryKind(rawValue: "runbook")
    public static let actionItem = EntryKind(rawValue: "action-item")
    /// A narrative field or a recorded time was set.
    public static let edit = EntryKind(rawValue: "edit")
    /// A metric query and the series it returned, kept as evidence.
    public static let evidence = EntryKind(rawValue: "evidence")
    /// The state of an incident converted from a store of format 1, as it stood then.
    public static let migrated = EntryKind(rawValue: "migrated")
    /// Marks an earlier entry as a mistake; the entry stays in the chain.
    public static let strike = EntryKind(rawValue: "strike")

    /// Kinds a person may choose with `log --kind`; the others are written by irctl's own commands.
    public static let loggable: [EntryKind] = [.note, .action, .decision, .comms, .alert]

    /// Kinds that record what happened, and so can be struck. Entries that changed the incident
    /// (phase, severity, roles, edits, action items, runbook steps) are corrected with the command
    /// that changes it back, since striking them would leave the change in place.
    public static let strikable: [EntryKind] = [
        .note, .action, .decision, .comms, .alert, .command,
    ]

    public var description: String { rawValue }

    public static func parseLoggable(_ text: String) throws(ValueError) -> EntryKind {
        let kind = EntryKind(rawValue: text.lowercased())
        guard loggable.contains(kind) else {
            throw .invalidKind(text, allowed: loggable.map(\.rawValue))
        }
        return kind
    }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
