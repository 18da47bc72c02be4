import Foundation

/// The public status page, `status/`: components and their state, 90 days of history, and the
/// incident history made only of external status updates; `feed.atom` (Atom 1.0) and
/// `api/v2/summary.json`, `api/v2/incidents.json` in the shape of Atlassian Statuspage's public
/// API. Everything here is built from component states and `PublicUpdate`s alone: no incident
/// number, severity, name, service, link or timeline text reaches these files.
struct StatusSite {
    enum State: String, CaseIterable {
        case operational
        case degradedPerformance = "degraded_performance"
        case partialOutage = "partial_outage"
        case majorOutage = "major_outage"

        var title: String {
            switch self {
            case .operational: "Operational"
            case .degradedPerformance: "Degraded performance"
            case .partialOutage: "Partial outage"
            case .majorOutage: "Major outage"
            }
        }
        /// A symbol beside the colour, so the state reads without colour too.
        var symbol: String {
            switch self {
            case .operational: "✓"
            case .degradedPerformance: "◐"
            case .partialOutage: "▲"
            case .majorOutage: "✕"
            }
        }
        var order: Int { Self.allCases.firstIndex(of: self)! }
    }

    /// One incident as the public sees it.
    struct PublicIncident {
        var id: String
        var updates: [PublicUpdate]
        var components: [String]
        var name: String { updates.last?.title ?? "Incident" }
        var status: String { updates.last?.state ?? "investigating" }
        var created: Date { updates.first?.at ?? .distantPast }
        var updated: Date { updates.last?.at ?? .distantPast }
        var resolvedAt: Date? { updates.first { $0.state == "resolved" }?.at }
        var monitoringAt: Date? { updates.first { $0.state == "monitoring" }?.at }
        var impact: String
    }

    var config: StatusPageConfig
    var data: SiteData
    static let historyDays = 90
    static let incidentLimit = 50

    static func publicID(_ text: String) -> String { String(SHA256.hex(text).prefix(12)) }

    /// Incidents that count for components: confirmed (declared), so a possible incident that
    /// turned out to be nothing never paints a component.
    private var confirmed: [IncidentSummary] { data.summaries.filter { $0.declaredAt != nil } }

    func state(of summary: IncidentSummary) -> State {
        if summary.phase == .recover { return .degradedPerformance }
        switch data.scheme.rank(of: summary.severity) {
        case 0: return .majorOutage
        case 1: return .partialOutage
        default: return .degradedPerformance
        }
    }

    func affects(_ summary: IncidentSummary, _ component: StatusPageConfig.Component) -> Bool {
        summary.services.contains { component.services.contains($0) }
    }

    func current(_ component: StatusPageConfig.Component) -> State {
        confirmed.filter { $0.isActive && affects($0, component) }.map(state(of:))
            .max { $0.order < $1.order } ?? .operational
    }

    var overall: (indicator: String, description: String, state: State) {
        let worst = config.components.map(current).max { $0.order < $1.order } ?? .operational
        switch worst {
        case .operational: return ("none", "All Systems Operational", worst)
        case .degradedPerformance: return ("minor", "Minor Service Outage", worst)
        case .partialOutage: return ("major", "Partial System Outage", worst)
        case .majorOutage: return ("critical", "Major System Outage", worst)
        }
    }

    var incidents: [PublicIncident] {
        var result: [PublicIncident] = []
        for summary in data.summaries {
            guard let updates = data.records[summary.uid]?.updates, !updates.isEmpty else {
                continue
            }
            let components = config.components.filter { affects(summary, $0) }.map(\.name)
            let impact: String =
                switch state(of: summary) {
                case .majorOutage: "critical"
                case .partialOutage: "major"
                default: "minor"
                }
            result.append(
                PublicIncident(
                    id: Self.publicID(summary.uid), updates: updates,
                    components: components, impact: impact))
        }
        return result.sorted { ($0.updated, $0.id) > ($1.updated, $1.id) }
    }

    /// Each of the last 90 days (UTC, ending on the day of `asOf`): the worst state that day.
    func history(
        _ component: StatusPageConfig.Component
    ) -> [(
        day: String, state: State?,
        count: Int
    )] {
        let dayLength = 86_400.0
        let lastDay = (data.asOf.timeIntervalSince1970 / dayLength).rounded(.down)
        let firstDay = lastDay - Double(Self.historyDays - 1)
        var worst = [State?](repeating: nil, count: Self.historyDays)
        var counts = [Int](repeating: 0, count: Self.historyDays)
        for summary in confirmed where affects(summary, component) {
            let from = summary.declaredAt ?? summary.detectedAt
            let to =
                summary.recoveredAt
                ?? (summary.isOpen
                    ? data.asOf
                    : summary.closedAt
                        ?? data.asOf)
            let a = max(firstDay, (from.timeIntervalSince1970 / dayLength).rounded(.down))
            let b = min(lastDay, (max(from, to).timeIntervalSince1970 / dayLength).rounded(.down))
            guard a <= b else { continue }
            let s =
                state(of: summary) == .degradedPerformance && summary.phase == .recover
                ? State.degradedPerformance : state(of: summary)
            for day in Int(a - firstDay)...Int(b - firstDay) {
                counts[day] += 1
                if worst[day].map({ $0.order < s.order }) ?? true { worst[day] = s }
            }
        }
        return (0..<Self.historyDays).map { i in
            let day = Date(timeIntervalSince1970: (firstDay + Double(i)) * dayLength)
            return (SiteTime.day(day), worst[i], counts[i])
        }
    }

    // MARK: HTML

    func html() -> String {
        let (_, description, worst) = overall
        var out = "<h1>\(HTML.escape(config.name))</h1>\n"
        out +=
            "<p class=\"status-banner st-\(worst.rawValue)\" role=\"status\">\(worst.symbol) "
            + "\(description)</p>\n<p class=\"muted\">As of \(SiteTime.tag(data.asOf)).</p>\n"
        out += "<section aria-labelledby=\"h-comp\"><h2 id=\"h-comp\">Components</h2>\n"
        if config.components.isEmpty {
            out += "<p class=\"muted\">No components are configured.</p>\n"
        }
        for component in config.components {
            let state = current(component)
            let days = history(component)
            let clear = days.filter { $0.state == nil }.count
            out +=
                "<div class=\"component\"><h3>\(HTML.escape(component.name))</h3>"
                + "<span class=\"st-\(state.rawValue)\"><strong>\(state.symbol) "
                + "\(state.title)</strong></span>"
            if let text = component.description {
                out += "<p class=\"muted days\">\(HTML.escape(text))</p>"
            }
            out +=
                "<div class=\"days\">" + historyBars(component.name, days)
                + "<p class=\"muted\">"
                + "\(clear) of \(Self.historyDays) days without an incident · \(days.first!.day) "
                + "to \(days.last!.day)</p></div></div>\n"
        }
        out +=
            "</section>\n<section aria-labelledby=\"h-hist\"><h2 id=\"h-hist\">Incident "
            + "history</h2>\n"
        let list = incidents.prefix(Self.incidentLimit)
        if list.isEmpty { out += "<p>No incidents reported.</p>\n" }
        for incident in list {
            out += "<article id=\"i-\(incident.id)\"><h3>\(HTML.escape(incident.name))</h3>\n"
            if !incident.components.isEmpty {
                out +=
                    "<p class=\"muted\">Affected: "
                    + incident.components.map(HTML.escape).joined(separator: ", ") + "</p>\n"
            }
            for update in incident.updates.reversed() {
                let state = StatusUpdate.State(rawValue: update.state)?.title ?? update.state
                out +=
                    "<article class=\"update\"><h4>\(HTML.escape(state)) · "
                    + "\(SiteTime.tag(update.at))</h4>"
                    + "<p class=\"prose\">\(HTML.escape(update.body))</p></article>\n"
            }
            out += "</article>\n"
        }
        out += "</section>\n"
        return SitePage(
            root: "", title: config.name, current: "index.html",
            isPublic: true
        ).render(out)
    }

    private func historyBars(
        _ name: String,
        _ days: [(
            day: String, state: State?,
            count: Int
        )]
    ) -> String {
        let width = 900.0
        let height = 34.0
        let gap = 2.0
        let bar = (width - gap * Double(days.count - 1)) / Double(days.count)
        var out =
            "<svg viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"\(Int(width))\" "
            + "height=\"\(Int(height))\" role=\"img\" xmlns=\"http://www.w3.org/2000/svg\">"
            + "<title>\(HTML.escape(name)): the last \(days.count) days, one bar a day; a shorter "
            + "bar marks a day with an incident</title>\n"
        for (index, day) in days.enumerated() {
            let x = Double(index) * (bar + gap)
            let cls = day.state?.rawValue ?? "operational"
            let label =
                day.state.map {
                    "\($0.title) (\(day.count) "
                        + "incident\(day.count == 1 ? "" : "s"))"
                }
                ?? "No incident"
            // Height as well as colour tells a bad day: full for a clear one, shorter for worse.
            let heights: [Double] = [34, 28, 22, 16]
            let h: Double = day.state.map { heights[$0.order] } ?? 34
            out +=
                "<rect class=\"d-\(cls)\" x=\"\(svgNumber(x))\" y=\"\(svgNumber(height - h))\" "
                + "width=\"\(svgNumber(bar))\" height=\"\(svgNumber(h))\"><title>\(day.day): "
                + "\(label)</title></rect>"
        }
        return out + "\n</svg>"
    }

    // MARK: Atom

    func atom() -> String {
        let list = incidents.prefix(Self.incidentLimit)
        var entries: [(PublicIncident, Int, PublicUpdate)] = []
        for incident in list {
            for (index, update) in incident.updates.enumerated() {
                entries.append(
                    (
                        incident, index,
                        update
                    ))
            }
        }
        entries.sort { ($0.2.at, $0.0.id, $0.1) > ($1.2.at, $1.0.id, $1.1) }
        let updated = entries.first?.2.at ?? data.asOf
        let feedID = "tag:irctl.invalid,2024:status/" + Self.publicID(config.name)
        var out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
        out += "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n"
        out += "  <id>\(feedID)</id>\n  <title>\(HTML.escape(config.name)) status</title>\n"
        out += "  <updated>\(Timestamp.format(updated))</updated>\n"
        out += "  <author><name>\(HTML.escape(config.name))</name></author>\n"
        out += "  <link rel=\"alternate\" type=\"text/html\" href=\"index.html\"/>\n"
        for (incident, index, update) in entries {
            let state = StatusUpdate.State(rawValue: update.state)?.title ?? update.state
            out += "  <entry>\n    <id>\(feedID)/\(incident.id)/\(index + 1)</id>\n"
            out += "    <title>\(HTML.escape(state)): \(HTML.escape(update.title))</title>\n"
            out += "    <updated>\(Timestamp.format(update.at))</updated>\n"
            out += "    <published>\(Timestamp.format(update.at))</published>\n"
            out +=
                "    <link rel=\"alternate\" type=\"text/html\" "
                + "href=\"index.html#i-\(incident.id)\"/>\n"
            out += "    <content type=\"text\">\(HTML.escape(update.body))</content>\n  </entry>\n"
        }
        return out + "</feed>\n"
    }

    // MARK: Statuspage v2 JSON

    private var pageObject: String {
        "{\"id\":\(JSONString.quoted(Self.publicID(config.name))),\"name\":"
            + "\(JSONString.quoted(config.name)),\"url\":\"index.html\",\"time_zone\":\"Etc/UTC\","
            + "\"updated_at\":\(JSONString.quoted(Timestamp.format(data.asOf)))}"
    }

    private func componentObject(_ component: StatusPageConfig.Component, position: Int) -> String {
        let pageID = Self.publicID(config.name)
        return "{\"id\":\(JSONString.quoted(Self.publicID("component:" + component.name))),"
            + "\"name\":\(JSONString.quoted(component.name)),\"status\":"
            + "\"\(current(component).rawValue)\","
            + "\"created_at\":\(JSONString.quoted(Timestamp.format(data.asOf))),"
            + "\"updated_at\":\(JSONString.quoted(Timestamp.format(data.asOf))),"
            + "\"position\":\(position),\"description\":"
            + (component.description.map(JSONString.quoted) ?? "null") + ",\"showcase\":true,"
            + "\"start_date\":null,\"group_id\":null,\"page_id\":\(JSONString.quoted(pageID)),"
            + "\"group\":false,\"only_show_if_degraded\":false}"
    }

    private func incidentObject(_ incident: PublicIncident) -> String {
        let pageID = Self.publicID(config.name)
        func time(_ date: Date?) -> String {
            date.map { JSONString.quoted(Timestamp.format($0)) }
                ?? "null"
        }
        let updates = incident.updates.enumerated().reversed().map { index, update in
            "{\"id\":\(JSONString.quoted(incident.id + "-" + String(index + 1))),"
                + "\"status\":\(JSONString.quoted(update.state)),\"body\":"
                + "\(JSONString.quoted(update.body)),"
                + "\"incident_id\":\(JSONString.quoted(incident.id)),\"created_at\":"
                + "\(time(update.at)),"
                + "\"updated_at\":\(time(update.at)),\"display_at\":\(time(update.at)),"
                + "\"affected_components\":null}"
        }
        let components = config.components.enumerated()
            .filter { incident.components.contains($0.element.name) }
            .map { componentObject($0.element, position: $0.offset + 1) }
        return "{\"id\":\(JSONString.quoted(incident.id)),\"name\":"
            + "\(JSONString.quoted(incident.name)),"
            + "\"status\":\(JSONString.quoted(incident.status)),\"created_at\":"
            + "\(time(incident.created)),"
            + "\"updated_at\":\(time(incident.updated)),\"monitoring_at\":"
            + "\(time(incident.monitoringAt)),"
            + "\"resolved_at\":\(time(incident.resolvedAt)),\"impact\":"
            + "\(JSONString.quoted(incident.impact)),"
            + "\"shortlink\":\(JSONString.quoted("index.html#i-" + incident.id)),"
            + "\"started_at\":\(time(incident.created)),\"page_id\":\(JSONString.quoted(pageID)),"
            + "\"incident_updates\":[" + updates.joined(separator: ",") + "],"
            + "\"components\":[" + components.joined(separator: ",") + "]}"
    }

    func summaryJSON() -> String {
        let (indicator, description, _) = overall
        let components = config.components.enumerated().map {
            componentObject(
                $0.element,
                position: $0.offset + 1)
        }
        let unresolved = incidents.filter { $0.status != "resolved" && $0.status != "postmortem" }
        return "{\"page\":\(pageObject),\"components\":[" + components.joined(separator: ",") + "],"
            + "\"incidents\":[" + unresolved.map(incidentObject).joined(separator: ",") + "],"
            + "\"scheduled_maintenances\":[],"
            + "\"status\":{\"indicator\":\"\(indicator)\",\"description\":"
            + "\(JSONString.quoted(description))}}\n"
    }

    func incidentsJSON() -> String {
        "{\"page\":\(pageObject),\"incidents\":["
            + incidents.prefix(Self.incidentLimit).map(incidentObject).joined(separator: ",")
            + "]}\n"
    }
}
