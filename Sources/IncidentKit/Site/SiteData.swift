import Foundation

/// Everything the site-wide pages are drawn from: the incidents' summaries (the store's index),
/// the records kept per incident, the severity scheme, and the moment the pages speak of.
struct SiteData {
    var summaries: [IncidentSummary]
    var records: [String: SiteRecord]
    var scheme: SeverityScheme
    /// "Now" for the pages: the latest time the store records, unless the caller asks for
    /// another; never the build's clock, so the same store gives the same bytes.
    var asOf: Date

    func link(_ summary: IncidentSummary, root: String = "") -> String {
        "<a href=\"\(root)\(IncidentPage.fileName(summary.id))\">\(summary.id)</a>"
    }

    func badge(_ severity: String) -> String { IncidentPage.severityBadge(severity,
        scheme: scheme) }

    /// "3h 5m" as of `asOf`, brought up to the reader's clock by the script.
    func age(since date: Date) -> String {
        "<span data-since=\"\(SiteTime.epoch(date))\">"
            + "\(DurationFormat.long(asOf.timeIntervalSince(date)))</span>"
    }
}

/// `index.html`: counts at a glance, the open incidents by severity, the latest closed ones.
struct IndexPage {
    var data: SiteData
    static let closedShown = 20

    func render() -> String {
        let open = data.summaries.filter(\.isOpen)
        let active = open.filter(\.isActive)
        let overdue = open.filter { $0.isUpdateOverdue(at: data.asOf) }
        let closed = data.summaries.filter { !$0.isOpen }
            .sorted { ($0.closedAt ?? $0.updatedAt, $0.id.number) > ($1.closedAt ?? $1.updatedAt,
                $1.id.number) }
        var out = "<h1>Incidents</h1>\n<p class=\"muted\">As of \(SiteTime.tag(data.asOf)), the "
            + "latest time the store records; with scripts on, ages and overdue flags follow your "
            + "clock.</p>\n"
        out += "<section aria-label=\"Counts\" class=\"cards\">"
        for (label, count) in [("open", open.count), ("active", active.count),
                               ("update overdue", overdue.count), ("closed", closed.count),
                               ("in all", data.summaries.count)] {
            let id = label == "update overdue" ? " id=\"overdue-count\"" : ""
            out += "<div class=\"card\"><b\(id)>\(count)</b>\(label)</div>"
        }
        out += "</section>\n"
        out += "<section id=\"open\" aria-labelledby=\"h-open\"><h2 id=\"h-open\">Open "
            + "incidents</h2>\n"
        if open.isEmpty { out += "<p>No open incidents.</p>\n" }
        let bySeverity = Dictionary(grouping: open) { data.scheme.rank(of: $0.severity) }
        for rank in bySeverity.keys.sorted() {
            let group = bySeverity[rank]!.sorted { ($0.detectedAt, $0.id.number) < ($1.detectedAt,
                $1.id.number) }
            let name = group[0].severity
            let level = rank < data.scheme.levels.count ? data.scheme.levels[rank] : nil
            out += "<h3>" + data.badge(name) + " " + HTML.escape(level?.description ?? name)
                + " <span class=\"muted\">(\(group.count))</span></h3>\n"
            out += "<div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">Incident</th>"
                + "<th scope=\"col\">Title</th><th scope=\"col\">Phase</th><th "
                    + "scope=\"col\">Age</th>"
                + "<th scope=\"col\">Commander</th><th scope=\"col\">Next "
                    + "update</th></tr></thead><tbody>\n"
            for s in group {
                var update = "—"
                if let due = s.nextUpdateAt {
                    let late = s.isUpdateOverdue(at: data.asOf)
                    update = SiteTime.tag(due)
                        + " <span class=\"overdue\" data-due=\"\(SiteTime.epoch(due))\""
                        + (late ? "" : " hidden") + ">⚠ overdue</span>"
                }
                out += "<tr><td>\(data.link(s))</td><td "
                    + "class=\"title\">\(HTML.short(s.title, 200))</td>"
                    + "<td>\(s.phase.rawValue)</td><td "
                        + "class=\"when\">\(data.age(since: s.declaredAt ?? s.detectedAt))</td>"
                    + "<td>"
                        + (s.roles.commander.map(HTML.escape) ?? "<span class=\"warn\">none</span>")
                        + "</td>"
                    + "<td>\(update)</td></tr>\n"
            }
            out += "</tbody></table></div>\n"
        }
        out += "</section>\n<section aria-labelledby=\"h-closed\"><h2 id=\"h-closed\">Latest "
            + "closed</h2>\n"
        if closed.isEmpty {
            out += "<p class=\"muted\">None yet.</p>\n"
        } else {
            out += "<div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">Incident</th>"
                + "<th scope=\"col\">Title</th><th scope=\"col\">Severity</th><th "
                    + "scope=\"col\">Closed</th>"
                + "<th scope=\"col\" class=\"num\">Impact</th></tr></thead><tbody>\n"
            for s in closed.prefix(Self.closedShown) {
                out += "<tr><td>\(data.link(s))</td><td "
                    + "class=\"title\">\(HTML.short(s.title, 200))</td>"
                    + "<td>\(data.badge(s.severity))</td><td "
                        + "class=\"when\">\(s.closedAt.map(SiteTime.tag) ?? "—")</td>"
                    + "<td "
                        + "class=\"num\">"
                            + "\(s.metrics.impactDuration.map(DurationFormat.long) ?? "—")</td></t"
                            + "r>\n"
            }
            out += "</tbody></table></div>\n<p><a href=\"archive.html\">Every incident in the "
                + "archive</a></p>\n"
        }
        out += "</section>\n"
        return SitePage(root: "", title: "Incidents", current: "index.html").render(out)
    }
}

/// `archive.html`: every incident, with filters and a search whose state lives in the URL's
/// query (`archive.html?q=disk&service=postgres`), so that a search is a link to share.
struct ArchivePage {
    var data: SiteData

    func render() -> String {
        let all = data.summaries.sorted { ($0.detectedAt, $0.id.number) > ($1.detectedAt,
            $1.id.number) }
        let services = Set(all.flatMap(\.services)).sorted()
        let tags = Set(all.flatMap(\.tags)).sorted()
        func options(_ values: [String], any: String) -> String {
            "<option value=\"\">\(any)</option>"
                + values.map { "<option "
                    + "value=\"\(HTML.escape($0))\">\(HTML.escape($0))</option>" }.joined()
        }
        var out = "<h1>Archive</h1>\n"
        out += "<form id=\"filters\" class=\"filters\" method=\"get\" action=\"archive.html\" "
            + "role=\"search\" "
            + "aria-label=\"Filter incidents\">\n"
        out += "<label class=\"q\">Search titles, narrative and timeline<input type=\"search\" "
            + "name=\"q\" "
            + "placeholder=\"e.g. disk full\"></label>\n"
        out += "<label>Severity<select name=\"severity\">"
            + options(data.scheme.levels.map(\.name), any: "any severity") + "</select></label>\n"
        out += "<label>Service<select name=\"service\">" + options(services, any: "any service")
            + "</select></label>\n"
        out += "<label>Tag<select name=\"tag\">" + options(tags, any: "any tag")
            + "</select></label>\n"
        out += "<label>Phase<select name=\"phase\"><option value=\"\">any phase</option>"
            + "<option value=\"open\">open (any phase but closed)</option>"
            + Phase.allCases.map { "<option "
                + "value=\"\($0.rawValue)\">\($0.rawValue)</option>" }.joined()
            + "</select></label>\n"
        out += "<label>Detected from<input type=\"date\" name=\"from\"></label>\n"
        out += "<label>Detected until<input type=\"date\" name=\"to\"></label>\n"
        out += "<button type=\"submit\">Filter</button><button "
            + "type=\"reset\">Clear</button>\n</form>\n"
        out += "<p id=\"count\" role=\"status\" aria-live=\"polite\">\(all.count) incidents</p>\n"
        out += "<div class=\"table-wrap\"><table id=\"archive\"><thead><tr><th "
            + "scope=\"col\">Incident</th>"
            + "<th scope=\"col\">Title</th><th scope=\"col\">Severity</th><th "
                + "scope=\"col\">Phase</th>"
            + "<th scope=\"col\" class=\"hide-narrow\">Services</th><th scope=\"col\">Detected</th>"
            + "</tr></thead><tbody>\n"
        var json = "["
        for (index, s) in all.enumerated() {
            out += "<tr "
                + "data-i=\"\(index)\"><td>\(data.link(s))</td><td "
                    + "class=\"title\">\(HTML.short(s.title, 200))</td>"
                + "<td>\(data.badge(s.severity))</td><td>\(s.phase.rawValue)</td>"
                + "<td "
                    + "class=\"hide-narrow\">"
                        + "\(s.services.map(HTML.escape).joined(separator: ", "))</td>"
                + "<td class=\"when\">\(SiteTime.tag(s.detectedAt))</td></tr>\n"
            if index > 0 { json += ",\n" }
            let search = data.records[s.uid]?.search ?? SiteRecord.fold(s.title)
            json += "[\(s.id.number),\(JSONString.quoted(s.severity)),\"\(s.phase.rawValue)\","
                + "[\(s.services.map(JSONString.quoted).joined(separator: ","))],"
                + "[\(s.tags.map(JSONString.quoted).joined(separator: ","))],"
                + "\(SiteTime.epoch(s.detectedAt)),\(JSONString.quoted(search))]"
        }
        json += "]"
        out += "</tbody></table></div>\n"
        out += "<script type=\"application/json\" id=\"archive-data\">" + HTML.jsonInScript(json)
            + "</script>\n"
        out += "<noscript><p>Filtering needs JavaScript; the table lists every "
            + "incident.</p></noscript>\n"
        return SitePage(root: "", title: "Archive", current: "archive.html").render(out)
    }
}
