import Foundation

/// An incident: what happened, who is on it, where it stands, and its timeline.
public struct Incident: Hashable, Sendable {
    /// The file format version this binary writes. Older files are migrated on write; newer ones are read-only.
    public static let currentSchemaVersion = 1

    public var schemaVersion: Int
    public var id: IncidentID
    /// Stable across renames and stores, for sync and references.
    public var uid: String
    public var title: String
    /// A level name of the store's severity scheme, e.g. `SEV2`.
    public var severity: String
    public var phase: Phase
    public var services: [String]
    public var tags: [String]
    public var roles: Roles
    public var links: [Link]
    public var narrative: Narrative
    public var actionItems: [ActionItem]
    public var runbook: Checklist?
    public var timeline: [TimelineEntry]
    public var createdAt: Date
    /// When impact began; may be before detection, and may be unknown.
    public var startedAt: Date?
    public var detectedAt: Date
    /// Fields written by a newer irctl, kept through rewrites.
    var unknownFields: [String: JSONValue] = [:]

    public init(id: IncidentID, uid: String, title: String, severity: String, phase: Phase,
                createdAt: Date, detectedAt: Date, startedAt: Date? = nil) {
        schemaVersion = Self.currentSchemaVersion
        self.id = id
        self.uid = uid
        self.title = title
        self.severity = severity
        self.phase = phase
        services = []
        tags = []
        roles = Roles()
        links = []
        narrative = Narrative()
        actionItems = []
        runbook = nil
        timeline = []
        self.createdAt = createdAt
        self.startedAt = startedAt
        self.detectedAt = detectedAt
    }

    /// Open until the review is closed.
    public var isOpen: Bool { phase != .closed }
    /// Active while the team is still working the problem: before `review`.
    public var isActive: Bool { phase < .review }
}
