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

    func badge(_ severity: String) -> String {
        IncidentPage.severityBadge(severity, scheme: scheme)
    }

    /// "3h 5m" as of `asOf`, brought up to the reader's clock by the script.
    func age(since date: Date) -> String {
        let text = DurationFormat.long(asOf.timeIntervalSince(date))
        return "<span data-since=\"\(SiteTime.epoch(date))\">\(text)</span>"
    }
}

/// Table pieces shared by the pages: a header row whose cells are `scope="col"` headers.
enum SiteTable {
    /// `<table>` and its header row; a column named with a class after "|" gets it
    /// ("Impact|num").
    static func open(
        _ columns: [String], id: String? = nil, caption: String? = nil,
        compact: Bool = false
    ) -> String {
        var out =
            "<div class=\"table-wrap\"><table" + (id.map { " id=\"\($0)\"" } ?? "")
            + (compact ? " class=\"compact\"" : "") + ">"
        if let caption { out += "<caption class=\"muted\">\(caption)</caption>" }
        out += "<thead><tr>"
        for column in columns {
            let parts = column.split(separator: "|", maxSplits: 1)
            let cls = parts.count > 1 ? " class=\"\(parts[1])\"" : ""
            out += "<th scope=\"col\"\(cls)>\(parts[0])</th>"
        }
        return out + "</tr></thead><tbody>\n"
    }

    static let close = "</tbody></table></div>\n"

    /// A row header: the first cell of a row that names it.
    static func rowHeader(_ html: String) -> String { "<th scope=\"row\">\(html)</th>" }

    static func cell(_ html: String, _ cls: String? = nil) -> String {
        "<td" + (cls.map { " class=\"\($0)\"" } ?? "") + ">" + html + "</td>"
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
        let closed = data.summaries.filter { !$0.isOpen }.sorted { a, b in
            (a.closedAt ?? a.updatedAt, a.id.number) > (b.closedAt ?? b.updatedAt, b.id.number)
        }
        var out =
            "<h1>Incidents</h1>\n<p class=\"muted\">As of \(SiteTime.tag(data.asOf)), the "
            + "latest time the store records; with scripts on, ages and overdue flags follow your "
            + "clock.</p>\n"
        out += "<section aria-label=\"Counts\" class=\"cards\">"
        for (label, count) in [
            ("open", open.count), ("active", active.count),
            ("update overdue", overdue.count), ("closed", closed.count),
            ("in all", data.summaries.count),
        ] {
            let id = label == "update overdue" ? " id=\"overdue-count\"" : ""
            out += "<div class=\"card\"><b\(id)>\(count)</b>\(label)</div>"
        }
        out += "</section>\n"
        out +=
            "<section id=\"open\" aria-labelledby=\"h-open\">"
            + "<h2 id=\"h-open\">Open incidents</h2>\n"
        if open.isEmpty { out += "<p>No open incidents.</p>\n" }
        let bySeverity = Dictionary(grouping: open) { data.scheme.rank(of: $0.severity) }
        for rank in bySeverity.keys.sorted() {
            let group = bySeverity[rank]!.sorted { a, b in
                (a.detectedAt, a.id.number) < (b.detectedAt, b.id.number)
            }
            let name = group[0].severity
            let level = rank < data.scheme.levels.count ? data.scheme.levels[rank] : nil
            out +=
                "<h3>" + data.badge(name) + " " + HTML.escape(level?.description ?? name)
                + " <span class=\"muted\">(\(group.count))</span></h3>\n"
            out += SiteTable.open(["Incident", "Title", "Phase", "Age", "Commander", "Next update"])
            for s in group {
                var update = "—"
                if let due = s.nextUpdateAt {
                    let late = s.isUpdateOverdue(at: data.asOf)
                    update =
                        SiteTime.tag(due)
                        + " <span class=\"overdue\" data-due=\"\(SiteTime.epoch(due))\""
                        + (late ? "" : " hidden") + ">⚠ overdue</span>"
                }
                let commander =
                    s.roles.commander.map(HTML.escape)
                    ?? "<span class=\"warn\">none</span>"
                out +=
                    "<tr>" + SiteTable.cell(data.link(s))
                    + SiteTable.cell(
                        HTML.short(
                            ClosedAs.marker(drill: s.isDrill, closedAs: s.closedAs) + s.title, 200),
                        "title")
                    + SiteTable.cell(s.phase.rawValue, "kind")
                    + SiteTable.cell(data.age(since: s.declaredAt ?? s.detectedAt), "when")
                    + SiteTable.cell(commander) + SiteTable.cell(update) + "</tr>\n"
            }
            out += SiteTable.close
        }
        out +=
            "</section>\n<section aria-labelledby=\"h-closed\">"
            + "<h2 id=\"h-closed\">Latest closed</h2>\n"
        if closed.isEmpty {
            out += "<p class=\"muted\">None yet.</p>\n"
        } else {
            out += SiteTable.open(["Incident", "Title", "Severity", "Closed", "Impact|num"])
            for s in closed.prefix(Self.closedShown) {
                let impact = s.metrics.impactDuration.map(DurationFormat.long) ?? "—"
                out +=
                    "<tr>" + SiteTable.cell(data.link(s))
                    + SiteTable.cell(
                        HTML.short(
                            ClosedAs.marker(drill: s.isDrill, closedAs: s.closedAs) + s.title, 200),
                        "title")
                    + SiteTable.cell(data.badge(s.severity))
                    + SiteTable.cell(s.closedAt.map(SiteTime.tag) ?? "—", "when")
                    + SiteTable.cell(impact, "num") + "</tr>\n"
            }
            out += SiteTable.close
            out += "<p><a href=\"archive.html\">Every incident in the archive</a></p>\n"
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
        let all = data.summaries.sorted { a, b in
            (a.detectedAt, a.id.number) > (b.detectedAt, b.id.number)
        }
        let services = Set(all.flatMap(\.services)).sorted()
        let tags = Set(all.flatMap(\.tags)).sorted()
        func options(_ values: [String], any: String) -> String {
            "<option value=\"\">\(any)</option>"
                + values.map { value in
                    let text = HTML.escape(value)
                    return "<option value=\"\(text)\">\(text)</option>"
                }.joined()
        }
        func select(_ label: String, _ name: String, _ choices: String) -> String {
            "<label>\(label)<select name=\"\(name)\">\(choices)</select></label>\n"
        }
        var out = "<h1>Archive</h1>\n"
        out +=
            "<form id=\"filters\" class=\"filters\" method=\"get\" action=\"archive.html\" "
            + "role=\"search\" aria-label=\"Filter incidents\">\n"
        out +=
            "<label class=\"q\">Search titles, narrative and timeline"
            + "<input type=\"search\" name=\"q\" placeholder=\"e.g. disk full\"></label>\n"
        out += select(
            "Severity", "severity",
            options(data.scheme.levels.map(\.name), any: "any severity"))
        out += select("Service", "service", options(services, any: "any service"))
        out += select("Tag", "tag", options(tags, any: "any tag"))
        out += select(
            "Phase", "phase",
            "<option value=\"\">any phase</option>"
                + "<option value=\"open\">open (any phase but closed)</option>"
                + Phase.allCases.map { "<option>\($0.rawValue)</option>" }.joined())
        out += "<label>Detected from<input type=\"date\" name=\"from\"></label>\n"
        out += "<label>Detected until<input type=\"date\" name=\"to\"></label>\n"
        out +=
            "<button type=\"submit\">Filter</button>"
            + "<button type=\"reset\">Clear</button>\n</form>\n"
        out += "<p id=\"count\" role=\"status\" aria-live=\"polite\">\(all.count) incidents</p>\n"
        out += SiteTable.open(
            [
                "Incident", "Title", "Severity", "Phase", "Services|hide-narrow",
                "Detected",
            ], id: "archive")
        var json = "["
        for (index, s) in all.enumerated() {
            out +=
                "<tr data-i=\"\(index)\">" + SiteTable.cell(data.link(s))
                + SiteTable.cell(
                    HTML.short(
                        ClosedAs.marker(drill: s.isDrill, closedAs: s.closedAs) + s.title, 200),
                    "title")
                + SiteTable.cell(data.badge(s.severity))
                + SiteTable.cell(s.phase.rawValue, "kind")
                + SiteTable.cell(s.services.map(HTML.escape).joined(separator: ", "), "hide-narrow")
                + SiteTable.cell(SiteTime.tag(s.detectedAt), "when") + "</tr>\n"
            if index > 0 { json += ",\n" }
            let search = data.records[s.uid]?.search ?? SiteRecord.fold(s.title)
            json +=
                "[\(s.id.number),\(JSONString.quoted(s.severity)),\"\(s.phase.rawValue)\","
                + "[\(s.services.map(JSONString.quoted).joined(separator: ","))],"
                + "[\(s.tags.map(JSONString.quoted).joined(separator: ","))],"
                + "\(SiteTime.epoch(s.detectedAt)),\(JSONString.quoted(search))]"
        }
        json += "]"
        out += SiteTable.close
        out +=
            "<script type=\"application/json\" id=\"archive-data\">"
            + HTML.jsonInScript(json) + "</script>\n"
        out +=
            "<noscript><p>Filtering needs JavaScript; the table lists every incident."
            + "</p></noscript>\n"
        return SitePage(root: "", title: "Archive", current: "archive.html").render(out)
    }
}
