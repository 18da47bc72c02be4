import Foundation

/// An incident: what happened, who is on it, where it stands, and its timeline.
///
/// Its state is the projection of its entries (`Incident(uid:projecting:)`): every field below is
/// set by applying the timeline in its order, and a change is made by recording a new entry.
public struct Incident: Hashable, Sendable {
    /// The store format this binary writes. Older stores are converted on write; newer ones are
    /// read-only.
    public static let currentSchemaVersion = 2

    public var schemaVersion: Int
    /// The number this incident holds in its store (claimed when it was opened, or given by a
    /// renumbering).
    public var id: IncidentID
    /// Stable across renumbering and clones, for sync and references.
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
    /// Every entry, in the order they are applied and shown.
    public var timeline: [TimelineEntry]
    public var createdAt: Date
    /// When impact began; may be before detection, and may be unknown.
    public var startedAt: Date?
    public var detectedAt: Date
    /// Numbers this incident held before it was renumbered; each still finds it.
    public var aliases: [IncidentID] = []
    /// Fields written by a newer irctl (or kept from a format-1 file), carried through.
    var unknownFields: [String: JSONValue] = [:]
    /// What the store wants said about how it read or wrote this incident (a renumbering, a cache
    /// it could not update); never stored.
    public var storeNotices: [String] = []
    /// The replica new entries are written as; set by the store.
    package var writer = ""
    /// What the projection needs to apply further entries.
    var projection = ProjectionState()

    public init(
        id: IncidentID, uid: String, title: String, severity: String, phase: Phase,
        createdAt: Date, detectedAt: Date, startedAt: Date? = nil
    ) {
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

    /// The hashes of the entries no other entry follows yet.
    public var heads: [String] { projection.heads.sorted() }
}
