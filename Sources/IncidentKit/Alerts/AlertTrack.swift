/// What an incident's timeline says about the Alertmanager alerts behind it: its alert group,
/// each alert's latest state, and how it was opened. Derived from the `alert` entries irctl
/// wrote when it applied notifications, never stored apart from them.
public struct AlertTrack: Hashable, Sendable {
    /// One alert of the group, by its latest entry.
    public struct TrackedAlert: Hashable, Sendable {
        public var name: String
        /// Identifies this firing of the alert: a new `startsAt` means it fired again.
        public var startsAt: String
        public var firing: Bool
    }

    /// The group's digest (``AlertGroup/digest``); nil when no alert ever reached this incident.
    public var groupDigest: String?
    /// Receiver and group key as stored (secrets redacted).
    public var group: String?
    /// By fingerprint.
    public var alerts: [String: TrackedAlert] = [:]
    /// The last number of alerts Alertmanager said it left out (0 when it never did).
    public var truncated = 0
    /// The incident was opened by an alert notification, not by a person.
    var openedByAlert = false
    /// The incident of the same group that closed before this one opened.
    var previousIncident: String?
    /// The last alert entry closed the incident (every alert resolved while it was in `detect`).
    var closedByAlert = false

    var firingCount: Int { alerts.values.filter(\.firing).count }
    /// Every alert seen has resolved.
    public var allResolved: Bool { !alerts.isEmpty && firingCount == 0 }

    public init(timeline: [TimelineEntry]) {
        for entry in timeline
        where entry.kind == .alert
            && entry.data[AlertEntryData.source] == AlertEntryData.alertmanager
        {
            let data = entry.data
            if groupDigest == nil {
                groupDigest = data[AlertEntryData.groupDigest]
                group = data[AlertEntryData.group]
            }
            if data[AlertEntryData.opened] == "true" {
                openedByAlert = true
                previousIncident = data[AlertEntryData.previous]
            }
            closedByAlert = data[AlertEntryData.closing] == "true"
            switch data[AlertEntryData.event] {
            case AlertEntryData.firing?, AlertEntryData.resolved?:
                guard let fingerprint = data[AlertEntryData.fingerprint] else { continue }
                alerts[fingerprint] = TrackedAlert(
                    name: data[AlertEntryData.alertname] ?? "alert",
                    startsAt: data[AlertEntryData.startsAt] ?? "",
                    firing: data[AlertEntryData.event] == AlertEntryData.firing)
            case AlertEntryData.truncated?:
                truncated = data[AlertEntryData.truncatedCount].flatMap { Int($0) } ?? truncated
            default:
                continue
            }
        }
    }
}

extension Incident {
    /// The Alertmanager alerts behind this incident, as its timeline records them.
    var alertTrack: AlertTrack { AlertTrack(timeline: timeline) }
}

/// The keys of an `alert` entry's `data` that irctl writes for an Alertmanager notification.
public enum AlertEntryData {
    public static let source = "source"
    public static let alertmanager = "alertmanager"
    /// `firing`, `resolved` or `truncated`.
    public static let event = "event"
    public static let firing = "firing"
    public static let resolved = "resolved"
    public static let truncated = "truncated"
    public static let group = "group"
    public static let groupDigest = "groupDigest"
    public static let fingerprint = "fingerprint"
    public static let alertname = "alertname"
    public static let labels = "labels"
    public static let startsAt = "startsAt"
    public static let endsAt = "endsAt"
    public static let generatorURL = "generatorURL"
    /// `true` on the entries of the notification that opened the incident.
    public static let opened = "opened"
    /// The incident of the same group that closed before this one opened (`INC-3`), and its uid.
    public static let previous = "previous"
    public static let previousUID = "previousUID"
    /// `true` when this alert had fired before and fires again.
    public static let refired = "refired"
    /// `true` on the resolution that left no alert of the group firing.
    public static let allResolved = "allResolved"
    /// `true` when that resolution closed the incident.
    public static let closing = "closing"
    /// How many alerts Alertmanager left out.
    static let truncatedCount = "truncatedAlerts"
}
