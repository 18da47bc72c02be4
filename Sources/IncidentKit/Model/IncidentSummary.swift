import Foundation

/// What `list` and `stats` need of an incident, kept in the store's rebuildable index so they
/// don't parse every incident file.
public struct IncidentSummary: Hashable, Sendable {
    /// The number it lists under: its claim, or, while another incident holds that claim, a
    /// provisional number every clone computes alike.
    public var id: IncidentID
    public var uid: String
    /// The number it claimed (or was last renumbered to).
    public var claim: IncidentID
    /// When and by which entry the claim was made: an earlier claim of a number holds it.
    public var claimedAt: Date
    public var claimHash: String
    /// Numbers it held before a renumbering.
    public var aliases: [IncidentID]
    public var title: String
    public var severity: String
    public var phase: Phase
    public var roles: Roles
    public var services: [String]
    public var tags: [String]
    public var createdAt: Date
    public var startedAt: Date?
    public var detectedAt: Date
    public var declaredAt: Date?
    public var containedAt: Date?
    public var recoveredAt: Date?
    public var closedAt: Date?
    /// When the last timeline entry was written.
    public var updatedAt: Date
    public var entryCount: Int
    public var actionItemCount: Int
    public var openActionItems: Int
    /// Due dates of the open action items that have one, for overdue counts.
    public var openActionItemsDue: [Date]
    public var schemaVersion: Int
    /// When the next stakeholder update was promised (the latest `comms` update's `--next`).
    public var nextUpdateAt: Date?
    /// When the latest stakeholder update that stands was sent; nil when none was.
    public var lastUpdateAt: Date?
    /// An exercise, not a real incident.
    public var isDrill = false
    /// Why it was closed, when it was not an incident of its own.
    public var closedAs: ClosedAs?

    public var isOpen: Bool { phase != .closed }
    public var isActive: Bool { phase < .review }

    public var metrics: IncidentMetrics {
        IncidentMetrics(
            startedAt: startedAt, detectedAt: detectedAt, declaredAt: declaredAt,
            containedAt: containedAt, recoveredAt: recoveredAt)
    }

    public init(_ incident: Incident) {
        let times = incident.phaseTimes
        id = incident.id
        uid = incident.uid
        claim = incident.id
        claimedAt = incident.claimOrder.at
        claimHash = incident.claimOrder.hash
        aliases = incident.aliases
        title = incident.title
        severity = incident.severity
        phase = incident.phase
        // The index keeps the roles irctl knows; a newer version's extra roles stay in the file.
        roles = Roles(
            commander: incident.roles.commander, comms: incident.roles.comms,
            tech: incident.roles.tech, scribe: incident.roles.scribe)
        services = incident.services
        tags = incident.tags
        createdAt = incident.createdAt
        startedAt = incident.startedAt
        detectedAt = incident.detectedAt
        declaredAt = times.declaredAt
        containedAt = times.containedAt
        recoveredAt = times.recoveredAt
        closedAt = times.closedAt
        updatedAt = incident.timeline.last?.recordedAt ?? incident.createdAt
        entryCount = incident.timeline.count
        actionItemCount = incident.actionItems.count
        let open = incident.actionItems.filter { $0.status == .open }
        openActionItems = open.count
        openActionItemsDue = open.compactMap(\.due)
        schemaVersion = incident.schemaVersion
        nextUpdateAt = incident.nextUpdateDue
        lastUpdateAt = incident.latestStatusUpdate?.at
        isDrill = incident.isDrill
        closedAs = incident.closedAs
    }

    /// True while the incident is open and its promised next update is late.
    public func isUpdateOverdue(at now: Date) -> Bool {
        guard isOpen, let due = nextUpdateAt else { return false }
        return now > due
    }

    init(
        id: IncidentID, uid: String, claim: IncidentID, claimedAt: Date, claimHash: String,
        aliases: [IncidentID], title: String, severity: String, phase: Phase, roles: Roles,
        services: [String], tags: [String], createdAt: Date, startedAt: Date?, detectedAt: Date,
        declaredAt: Date?, containedAt: Date?, recoveredAt: Date?, closedAt: Date?, updatedAt: Date,
        entryCount: Int, actionItemCount: Int, openActionItems: Int, openActionItemsDue: [Date],
        schemaVersion: Int, nextUpdateAt: Date? = nil, lastUpdateAt: Date? = nil,
        isDrill: Bool = false, closedAs: ClosedAs? = nil
    ) {
        self.id = id
        self.uid = uid
        self.claim = claim
        self.claimedAt = claimedAt
        self.claimHash = claimHash
        self.aliases = aliases
        self.title = title
        self.severity = severity
        self.phase = phase
        self.roles = roles
        self.services = services
        self.tags = tags
        self.createdAt = createdAt
        self.startedAt = startedAt
        self.detectedAt = detectedAt
        self.declaredAt = declaredAt
        self.containedAt = containedAt
        self.recoveredAt = recoveredAt
        self.closedAt = closedAt
        self.updatedAt = updatedAt
        self.entryCount = entryCount
        self.actionItemCount = actionItemCount
        self.openActionItems = openActionItems
        self.openActionItemsDue = openActionItemsDue
        self.schemaVersion = schemaVersion
        self.nextUpdateAt = nextUpdateAt
        self.lastUpdateAt = lastUpdateAt
        self.isDrill = isDrill
        self.closedAs = closedAs
    }
}

extension IncidentSummary: Encodable {
    /// The `list --json` shape (documented in the README).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyCodingKey.self)
        func key(_ name: String) -> AnyCodingKey { AnyCodingKey(name) }
        try c.encode(id, forKey: key("id"))
        try c.encode(uid, forKey: key("uid"))
        try c.encode(title, forKey: key("title"))
        try c.encode(severity, forKey: key("severity"))
        try c.encode(phase, forKey: key("phase"))
        try c.encode(isOpen, forKey: key("open"))
        try c.encode(isActive, forKey: key("active"))
        try c.encodeIfPresent(closedAs?.name, forKey: key("closedAs"))
        if isDrill { try c.encode(true, forKey: key("drill")) }
        try c.encodeIfPresent(closedAs?.original, forKey: key("duplicateOf"))
        try c.encode(roles, forKey: key("roles"))
        try c.encode(services, forKey: key("services"))
        try c.encode(tags, forKey: key("tags"))
        try c.encode(StoredDate(createdAt), forKey: key("createdAt"))
        try c.encodeIfPresent(startedAt.map(StoredDate.init), forKey: key("startedAt"))
        try c.encode(StoredDate(detectedAt), forKey: key("detectedAt"))
        try c.encodeIfPresent(declaredAt.map(StoredDate.init), forKey: key("declaredAt"))
        try c.encodeIfPresent(containedAt.map(StoredDate.init), forKey: key("containedAt"))
        try c.encodeIfPresent(recoveredAt.map(StoredDate.init), forKey: key("recoveredAt"))
        try c.encodeIfPresent(closedAt.map(StoredDate.init), forKey: key("closedAt"))
        try c.encode(StoredDate(updatedAt), forKey: key("updatedAt"))
        try c.encode(entryCount, forKey: key("entryCount"))
        try c.encode(openActionItems, forKey: key("openActionItems"))
    }
}
