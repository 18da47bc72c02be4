/// What applying one notification did: the shape `irctl ingest alertmanager --json` prints.
public struct AlertIngestResult: Codable, Hashable, Sendable {
    public enum Action: String, Codable, Hashable, Sendable {
        /// A new incident for the group.
        case opened
        /// Entries appended to the group's open incident.
        case updated
        /// Entries appended, and every alert resolved closed the incident.
        case closed
        /// Nothing new: a repeat, a replay, or resolutions for a group with no open incident.
        case unchanged
        /// Every alert of the notification matched an ignoring route.
        case ignored
    }

    public var action: Action
    /// The group's incident (`INC-7`), when there is one.
    public var incident: String?
    /// For a group that fired again: its previous incident.
    public var previous: String?
    /// Receiver and group key (secrets redacted).
    public var group: String
    /// Alerts in the notification, and how many of them routes ignored.
    public var alerts: Int
    public var ignored: Int
    /// New firings and resolutions recorded.
    public var fired = 0
    public var resolved = 0
    /// Timeline entries appended.
    public var entries = 0
    public var severity: String?
    public var phase: String?
    /// Things that did not stop the notification from being applied (a route's runbook missing).
    public var warnings: [String] = []

    public init(action: Action, group: String, alerts: Int, ignored: Int) {
        self.action = action
        self.group = group
        self.alerts = alerts
        self.ignored = ignored
    }

    /// One line for a person or a log.
    public var line: String {
        var text: String
        switch action {
        case .opened: text = "\(incident ?? "?") opened: \(severity ?? "") · \(phase ?? "")"
        case .updated: text = "\(incident ?? "?") updated"
        case .closed: text = "\(incident ?? "?") closed: every alert resolved"
        case .unchanged: text = incident.map { "\($0) unchanged" } ?? "no incident changed"
        case .ignored: text = "ignored by the alert routes"
        }
        var parts: [String] = []
        if fired > 0 { parts.append("\(fired) firing") }
        if resolved > 0 { parts.append("\(resolved) resolved") }
        if ignored > 0, action != .ignored { parts.append("\(ignored) ignored") }
        if let previous { parts.append("fired again after \(previous)") }
        if !parts.isEmpty { text += " (" + parts.joined(separator: ", ") + ")" }
        return text
    }
}
