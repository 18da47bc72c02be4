import Foundation

/// The rules that turn one Alertmanager notification into changes of one incident: the alert
/// group's state machine. Pure: it works on `Incident` values, and
/// ``AlertIngest/ingest(_:store:context:runbook:)`` applies it to a store.
///
/// - A group with no open incident opens one (phase `detect`, or `declare` when a route says so)
///   when one of its firing alerts is new: not a firing the group's last incident already saw.
/// - Each new firing, each resolution of a firing alert and each change of the truncated count
///   appends one `alert` entry; anything already recorded appends nothing, so repeats and
///   replays change nothing.
/// - When every alert has resolved, an incident still in `detect` is closed (unless
///   `closeWhenResolved` is off); a declared one stays open.
/// - Automatic changes only raise severity, add services and tags, and promote to `declare`.
public struct AlertIngest: Sendable {
    public var settings: AlertSettings
    public var scheme: SeverityScheme

    public init(settings: AlertSettings = AlertSettings(), scheme: SeverityScheme = .standard) {
        self.settings = settings
        self.scheme = scheme
    }

    public init(config: StoreConfig) {
        self.init(settings: config.alerts ?? AlertSettings(), scheme: config.severityScheme)
    }

    /// The payload's alerts with their routes, the ignored ones left out.
    public func routed(_ payload: AlertmanagerPayload) -> (kept: [RoutedAlert], ignored: Int) {
        let all = payload.alerts.map { RoutedAlert($0, settings: settings, scheme: scheme) }
        let kept = all.filter { !$0.ignored }
        return (kept, all.count - kept.count)
    }

    /// The runbook a route asks for, from the first firing alert that has one.
    public func runbookName(for payload: AlertmanagerPayload) -> String? {
        routed(payload).kept.filter { $0.alert.status == .firing }.lazy.compactMap {
            $0.route?.runbook
        }.first
    }

    /// True when the payload should open a new incident, given the group's last (closed) one:
    /// some firing alert that incident never saw fire.
    public func opensIncident(_ payload: AlertmanagerPayload, previous: Incident?) -> Bool {
        let known = previous?.alertTrack.alerts ?? [:]
        return routed(payload).kept.contains { routed in
            routed.alert.status == .firing
                && known[routed.alert.fingerprint]?.startsAt != routed.alert.startsAt
        }
    }

    /// Opens the group's incident from a notification with at least one new firing alert.
    public func open(
        _ payload: AlertmanagerPayload, id: IncidentID, uid: String, previous: Incident?,
        runbook: Runbook?, context: EditContext
    ) throws -> Incident {
        let firing = routed(payload).kept.filter { $0.alert.status == .firing }
        guard let first = firing.first else {
            throw AlertError.invalidPayload(reason: "no firing alert to open an incident with")
        }
        let severity =
            firing.map(\.severity).min { scheme.rank(of: $0.name) < scheme.rank(of: $1.name) }
            ?? first.severity
        var new = NewIncident(
            title: title(payload, first: first.alert), severity: severity,
            phase: firing.contains(where: \.declare) ? .declare : .detect)
        new.services = unique(firing.flatMap(\.services))
        new.tags = unique(firing.flatMap(\.tags))
        new.roles.commander = firing.lazy.compactMap { $0.route?.commander }.first
        let started = firing.compactMap { Alert.date($0.alert.startsAt) }.min()
        new.detectedAt = started.map { min($0, context.now) }
        var incident = try Incident.open(new, id: id, uid: uid, context: context)
        if let previous {
            try? incident.addLink(url: "irctl:\(previous.id)", label: "previous", context: context)
        }
        if let runbook { try incident.attachRunbook(runbook, context: context) }
        var extra = [AlertEntryData.opened: "true"]
        if let previous {
            extra[AlertEntryData.previous] = previous.id.description
            extra[AlertEntryData.previousUID] = previous.uid
        }
        let known = previous?.alertTrack.alerts ?? [:]
        for (index, routed) in firing.enumerated() {
            // Fired again: the previous incident saw an earlier firing of it. The same firing (it
            // still fired when a person closed that incident) is carried over as it is.
            let again =
                known[routed.alert.fingerprint].map { $0.startsAt != routed.alert.startsAt }
                ?? false
            var data = index == 0 ? extra : [:]
            if again { data[AlertEntryData.refired] = "true" }
            appendFiring(
                routed.alert, payload: payload, again: again, extra: data, to: &incident,
                context: context)
        }
        if payload.truncatedAlerts > 0 { appendTruncated(payload, to: &incident, context: context) }
        return incident
    }

    /// What applying a notification to an incident did.
    public struct Change: Hashable, Sendable {
        public var fired = 0
        public var resolved = 0
        public var truncated = false
        public var closed = false
        public var raisedSeverity: String?
        public var declared = false
        public var isEmpty: Bool {
            fired == 0 && resolved == 0 && !truncated && !closed && raisedSeverity == nil
                && !declared
        }
    }

    /// Applies a notification to the group's open incident. Appends nothing when it brings
    /// nothing new.
    @discardableResult
    public func apply(
        _ payload: AlertmanagerPayload, to incident: inout Incident, runbook: Runbook?,
        context: EditContext
    ) throws -> Change {
        var change = Change()
        guard incident.isOpen else { return change }
        var track = incident.alertTrack
        let kept = routed(payload).kept

        // Decide first, so that the last resolution can say it was the last.
        var newFiring: [RoutedAlert] = []
        var newResolved: [RoutedAlert] = []
        for routed in kept {
            let alert = routed.alert
            let known = track.alerts[alert.fingerprint]
            switch alert.status {
            case .firing:
                // The same firing, whether still firing or already resolved (a late retry), is old
                // news.
                if known?.startsAt == alert.startsAt { continue }
                newFiring.append(routed)
                track.alerts[alert.fingerprint] = .init(
                    name: alert.name, startsAt: alert.startsAt, firing: true)
            case .resolved:
                guard let known, known.firing,
                    known.startsAt == alert.startsAt || alert.startsAt.isEmpty
                else { continue }
                newResolved.append(routed)
                track.alerts[alert.fingerprint]?.firing = false
            }
        }
        let truncatedChanged =
            payload.truncatedAlerts > 0 && payload.truncatedAlerts != track.truncated

        for routed in newFiring {
            let again = incident.alertTrack.alerts[routed.alert.fingerprint] != nil
            appendFiring(
                routed.alert, payload: payload, again: again,
                extra: again ? [AlertEntryData.refired: "true"] : [:],
                to: &incident, context: context)
            change.fired += 1
            if scheme.rank(of: routed.severity.name) < scheme.rank(of: incident.severity),
                incident.isOpen
            {
                try incident.changeSeverity(
                    to: routed.severity, reason: "alert \(routed.alert.name) fired",
                    context: context)
                change.raisedSeverity = routed.severity.name
            }
            let services = unique(routed.services).filter { service in
                !incident.services.contains(context.redactor.redact(service))
            }
            if !services.isEmpty {
                try incident.changeServices(add: services, remove: [], context: context)
            }
            let tags = unique(routed.tags).filter { tag in
                !incident.tags.contains(context.redactor.redact(tag))
            }
            if !tags.isEmpty { try incident.changeTags(add: tags, remove: [], context: context) }
            if let commander = routed.route?.commander, incident.roles.commander == nil {
                try incident.assign([(.commander, commander)], context: context)
            }
            if routed.declare, incident.phase == .detect {
                try incident.declare(severity: nil, context: context)
                change.declared = true
            }
            if let runbook, incident.runbook == nil, routed.route?.runbook != nil {
                try incident.attachRunbook(runbook, context: context)
            }
        }
        let allResolved = track.allResolved && payload.truncatedAlerts == 0
        let closes = allResolved && incident.phase == .detect && closeWhenResolved(kept)
        for (index, routed) in newResolved.enumerated() {
            let last = index == newResolved.count - 1
            var extra: [String: String] = [:]
            if last && allResolved { extra[AlertEntryData.allResolved] = "true" }
            if last && closes { extra[AlertEntryData.closing] = "true" }
            appendResolved(
                routed.alert, payload: payload, allResolved: last && allResolved,
                alertCount: track.alerts.count,
                extra: extra, to: &incident, context: context)
            change.resolved += 1
        }
        if truncatedChanged {
            appendTruncated(payload, to: &incident, context: context)
            change.truncated = true
        }
        if closes, !newResolved.isEmpty {
            try incident.close(
                force: true, message: "every alert resolved (closed by Alertmanager)",
                context: context)
            change.closed = true
        }
        return change
    }

    private func closeWhenResolved(_ alerts: [RoutedAlert]) -> Bool {
        alerts.lazy.compactMap { $0.route?.closeWhenResolved }.first ?? settings.closeWhenResolved
    }

    // MARK: Entries

    /// The summary annotation common to the group, else the first alert's, else its name and the
    /// group labels (`HighErrorRate: service=checkout`).
    func title(_ payload: AlertmanagerPayload, first: Alert) -> String {
        let summary =
            payload.commonAnnotations["summary"]?.trimmingCharacters(in: .whitespacesAndNewlines)
            ?? ""
        var title =
            summary.isEmpty
            ? (first.annotations["summary"]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "")
            : summary
        if title.isEmpty {
            let labels = payload.groupLabels.filter { $0.key != "alertname" }.sorted {
                $0.key < $1.key
            }
            title =
                first.name
                + (labels.isEmpty
                    ? "" : ": " + labels.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
        }
        return oneLine(title, limit: 200)
    }

    private func appendFiring(
        _ alert: Alert, payload: AlertmanagerPayload, again: Bool, extra: [String: String],
        to incident: inout Incident, context: EditContext
    ) {
        var text = (again ? "Firing again: " : "Firing: ") + oneLine(alert.summary, limit: 300)
        text += shownLabels(alert)
        if !alert.generatorURL.isEmpty { text += " " + oneLine(alert.generatorURL, limit: 500) }
        var data = entryData(alert, payload: payload, event: AlertEntryData.firing)
        data.merge(extra) { $1 }
        let at = Alert.date(alert.startsAt).map { min($0, context.now) }
        incident.append(.alert(data), text, at: at, context: context)
    }

    private func appendResolved(
        _ alert: Alert, payload: AlertmanagerPayload, allResolved: Bool, alertCount: Int,
        extra: [String: String], to incident: inout Incident, context: EditContext
    ) {
        var text = "Resolved: " + oneLine(alert.summary, limit: 300) + shownLabels(alert)
        if allResolved {
            text +=
                alertCount == 1
                ? "; the group's only alert" : "; all \(alertCount) alerts of the group resolved"
        }
        var data = entryData(alert, payload: payload, event: AlertEntryData.resolved)
        if !alert.endsAt.isEmpty { data[AlertEntryData.endsAt] = oneLine(alert.endsAt, limit: 64) }
        data.merge(extra) { $1 }
        let at = Alert.date(alert.endsAt).map { min(max($0, incident.detectedAt), context.now) }
        incident.append(.alert(data), text, at: at, context: context)
    }

    private func appendTruncated(
        _ payload: AlertmanagerPayload, to incident: inout Incident, context: EditContext
    ) {
        var text =
            "Alertmanager left out \(payload.truncatedAlerts) "
            + "alert\(payload.truncatedAlerts == 1 ? "" : "s") of this group (max_alerts)"
        if !payload.externalURL.isEmpty {
            text += "; see " + oneLine(payload.externalURL, limit: 500)
        }
        var data = groupData(payload)
        data[AlertEntryData.event] = AlertEntryData.truncated
        data[AlertEntryData.truncatedCount] = String(payload.truncatedAlerts)
        incident.append(.alert(data), text, context: context)
    }

    private func groupData(_ payload: AlertmanagerPayload) -> [String: String] {
        [
            AlertEntryData.source: AlertEntryData.alertmanager,
            AlertEntryData.group: oneLine(payload.group.readable, limit: 500),
            AlertEntryData.groupDigest: payload.group.digest,
        ]
    }

    private func entryData(
        _ alert: Alert, payload: AlertmanagerPayload, event: String
    ) -> [String: String] {
        var data = groupData(payload)
        data[AlertEntryData.event] = event
        data[AlertEntryData.fingerprint] = oneLine(alert.fingerprint, limit: 128)
        data[AlertEntryData.alertname] = oneLine(alert.name, limit: 200)
        data[AlertEntryData.startsAt] = oneLine(alert.startsAt, limit: 64)
        let labels = alert.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\"\($0.value)\"" }
            .joined(separator: ",")
        if !labels.isEmpty { data[AlertEntryData.labels] = oneLine(labels, limit: 2000) }
        if !alert.generatorURL.isEmpty {
            data[AlertEntryData.generatorURL] = oneLine(alert.generatorURL, limit: 1000)
        }
        return data
    }

    /// The labels a responder looks at first, then the rest; at most eight, each value cut short.
    private func shownLabels(_ alert: Alert) -> String {
        let first = ["severity", "service", "app", "job", "namespace", "instance", "pod"]
        let keys =
            first.filter { alert.labels[$0] != nil }
            + alert.labels.keys.filter { $0 != "alertname" && !first.contains($0) }.sorted()
        guard !keys.isEmpty else { return "" }
        return " ["
            + keys.prefix(8).map { "\($0)=\(oneLine(alert.labels[$0] ?? "", limit: 60))" }.joined(
                separator: " ") + "]"
    }
}

/// One line, at most `limit` characters: what a payload may put in a title or an entry.
func oneLine(_ text: String, limit: Int) -> String {
    let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ").trimmingCharacters(
        in: .whitespaces)
    return flat.count > limit ? String(flat.prefix(limit - 1)) + "…" : flat
}

private func unique(_ values: [String]) -> [String] {
    var seen = Set<String>()
    return values.map { $0.trimmingCharacters(in: .whitespaces) }.filter {
        !$0.isEmpty && seen.insert($0).inserted
    }
}
