import Foundation

/// One incident as a page: header, roles, phase times and metrics, the SVG timeline, the full
/// timeline (struck entries struck), narrative, action items, runbook checklist, status updates,
/// and whether its hash chains verify. Depends only on the incident and the severity scheme, so
/// an unchanged incident gives the same bytes and is not rewritten.
public struct IncidentPage: Sendable {
    public var incident: Incident
    public var scheme: SeverityScheme
    /// The full timeline table lists at most this many entries (a runaway incident of 50,000
    /// entries still makes a page a browser opens); the rest are counted, and `show` has them.
    public static let tableLimit = 5_000

    public init(incident: Incident, scheme: SeverityScheme) {
        self.incident = incident
        self.scheme = scheme
    }

    /// The page's file name in the site: `incidents/INC-7.html`.
    public static func fileName(_ id: IncidentID) -> String { "incidents/\(id).html" }

    /// The page inside the site (`root` "../") or as one self-contained report file.
    public func render(report: Bool = false) -> String {
        let page = SitePage(
            root: report ? "" : "../",
            title: "\(incident.id): \(incident.title)", current: "",
            inline: report)
        return page.render(body(report: report), description: "Incident report for \(incident.id)")
    }

    func body(report: Bool) -> String {
        let i = incident
        var out = ""
        if !report {
            out +=
                "<nav aria-label=\"Breadcrumb\" class=\"muted\"><a "
                + "href=\"../index.html\">Overview</a>"
                + " › <a href=\"../archive.html\">Archive</a> › \(i.id)</nav>\n"
        }
        out += "<h1>\(i.id): \(HTML.escape(i.title))</h1>\n"
        out +=
            "<p>" + Self.severityBadge(i.severity, scheme: scheme) + " "
            + "<span class=\"badge\">\(i.isOpen ? "open" : "closed")</span> "
            + "phase <strong>\(i.phase.rawValue)</strong>"
        if i.isDrill { out += " <span class=\"badge\">drill</span>" }
        switch i.closedAs {
        case .falseAlarm: out += " <span class=\"badge\">false alarm</span>"
        case .duplicate:
            // Pages sit side by side in incidents/: the original's is a sibling.
            let original = i.duplicateOfID.map { id in
                let page = String(IncidentPage.fileName(id).dropFirst("incidents/".count))
                return " of <a href=\"\(HTML.escape(page))\">\(id)</a>"
            }
            out += " <span class=\"badge\">duplicate\(original ?? "")</span>"
        case nil: break
        }
        if let due = i.nextUpdateDue, i.isOpen {
            out +=
                " · next status update promised by \(SiteTime.tag(due)) "
                + "<span class=\"overdue\" data-due=\"\(SiteTime.epoch(due))\" hidden>⚠ "
                + "overdue</span>"
        }
        out += "</p>\n"
        out += facts()
        out += times()
        out += "<section aria-labelledby=\"h-tl\"><h2 id=\"h-tl\">Timeline</h2>\n"
        out += TimelineSVG(incident: i).render()
        out += legend()
        out += timelineTable()
        out += "</section>\n"
        out += evidence()
        out += narrative()
        out += actionItems()
        if let runbook = i.runbook { out += checklist(runbook) }
        out += statusUpdates()
        out += verification()
        return out
    }

    static func severityBadge(_ name: String, scheme: SeverityScheme) -> String {
        let rank = scheme.rank(of: name)
        let cls = rank < scheme.levels.count ? "sev-\(min(rank, 3))" : "sev-x"
        var title = ""
        if let level = scheme.level(named: name) {
            title = " title=\"\(HTML.escape(level.description))\""
        }
        return "<span class=\"badge \(cls)\"\(title)>\(HTML.escape(name))</span>"
    }

    private func facts() -> String {
        let i = incident
        var out =
            "<section aria-labelledby=\"h-about\"><h2 id=\"h-about\">About</h2>\n<dl "
            + "class=\"facts\">\n"
        for role in Role.allCases {
            out += "<dt>\(role.title)</dt><dd>\(i.roles[role].map(HTML.escape) ?? "—")</dd>\n"
        }
        out +=
            "<dt>Services</dt><dd>"
            + (i.services.isEmpty ? "—" : i.services.map(HTML.escape).joined(separator: ", "))
            + "</dd>\n"
        out +=
            "<dt>Tags</dt><dd>"
            + (i.tags.isEmpty ? "—" : i.tags.map(HTML.escape).joined(separator: ", ")) + "</dd>\n"
        if !i.links.isEmpty {
            out += "<dt>Links</dt><dd><ul>"
            for link in i.links {
                let label = HTML.escape(link.label.isEmpty ? link.url : link.label)
                if let url = HTML.safeURL(link.url) {
                    out +=
                        "<li><a href=\"\(HTML.escape(url))\" rel=\"noopener "
                        + "noreferrer\">\(label)</a></li>"
                } else {
                    out += "<li>\(label): <code>\(HTML.escape(link.url))</code></li>"
                }
            }
            out += "</ul></dd>\n"
        }
        return out + "</dl></section>\n"
    }

    private func times() -> String {
        let i = incident
        let t = i.phaseTimes
        let m = IncidentMetrics(i)
        var out = "<section aria-labelledby=\"h-times\"><h2 id=\"h-times\">Times and metrics</h2>\n"
        out += SiteTable.open(["Moment", "When"], caption: "Phase times (UTC)", compact: true)
        let rows: [(String, Date?)] = [
            ("Impact started", i.startedAt), ("Detected", i.detectedAt), ("Declared", t.declaredAt),
            ("Contained", t.containedAt), ("Recovered", t.recoveredAt), ("Closed", t.closedAt),
        ]
        for (label, date) in rows {
            out +=
                "<tr>" + SiteTable.rowHeader(label)
                + SiteTable.cell(date.map(SiteTime.tag) ?? "—") + "</tr>\n"
        }
        out += SiteTable.close
        out += SiteTable.open(
            ["Metric", "Value|num", "Measured"], caption: "Response metrics",
            compact: true)
        let metrics: [(String, Double?, String)] = [
            ("Time to detect", m.timeToDetect, "impact start → detection"),
            ("Time to declare", m.timeToDeclare, "detection → declaration"),
            ("Time to contain", m.timeToContain, "detection → first phase after contain"),
            ("Time to recover", m.timeToRecover, "detection → review"),
            ("Impact duration", m.impactDuration, "impact start (or detection) → review"),
        ]
        for (name, value, measured) in metrics {
            out +=
                "<tr><th scope=\"row\">\(name)</th><td class=\"num\">"
                + (value.map(DurationFormat.long) ?? "— <span class=\"muted\">(not known)</span>")
                + "</td><td>\(measured)</td></tr>\n"
        }
        return out + SiteTable.close + "</section>\n"
    }

    private func legend() -> String {
        "<p class=\"legend\" aria-hidden=\"true\"><span>▮ phase change</span><span>▲ alert</span>"
            + "<span>■ action</span><span>◆ decision</span><span>● comms, note, other</span></p>\n"
    }

    private func timelineTable() -> String {
        let i = incident
        let struck = i.strikes
        let ordered = i.timeline.enumerated().sorted { a, b in
            a.element.at != b.element.at ? a.element.at < b.element.at : a.offset < b.offset
        }.map(\.element)
        let caption =
            "\(ordered.count) \(ordered.count == 1 ? "entry" : "entries"), in time "
            + "order; T+ is the time since detection"
        var out = SiteTable.open(
            ["#", "Time", "T+|hide-narrow", "Author", "Kind", "Entry"],
            id: "entries", caption: caption)
        for entry in ordered.prefix(Self.tableLimit) {
            let shown = HTML.trimmed(i.shownText(of: entry))
            let text = HTML.escape(shown)
            var cell = entry.kind == .phase ? "<strong>\(text)</strong>" : text
            if let strike = struck[entry.hash] {
                let reason: String? =
                    if case .strike(_, _, let reason) = strike.change { reason } else { nil }
                cell =
                    "<del>\(cell)</del> <span class=\"muted\">(struck by #\(strike.seq): "
                    + HTML.escape(reason ?? "") + ")</span>"
            }
            let offset = DurationFormat.offset(entry.at.timeIntervalSince(i.detectedAt))
            out +=
                "<tr id=\"e\(entry.seq)\">" + SiteTable.cell(String(entry.seq), "num")
                + SiteTable.cell(SiteTime.tag(entry.at), "when")
                + SiteTable.cell(offset, "when hide-narrow")
                + SiteTable.cell(HTML.escape(entry.author))
                + SiteTable.cell(HTML.escape(entry.kind.rawValue), "kind")
                + SiteTable.cell(cell, "prose") + "</tr>\n"
        }
        out += SiteTable.close
        if ordered.count > Self.tableLimit {
            out +=
                "<p class=\"muted\">The first \(Self.tableLimit) of \(ordered.count) entries "
                + "are listed; <code>irctl show \(i.id)</code> lists every one.</p>\n"
        }
        return out
    }

    /// Each evidence entry as a chart, with its query and range.
    private func evidence() -> String {
        let all = incident.evidence
        guard !all.isEmpty else { return "" }
        var out = "<section aria-labelledby=\"h-ev\"><h2 id=\"h-ev\">Evidence</h2>\n"
        for (entry, evidence) in all {
            out +=
                "<h3><code>\(HTML.escape(evidence.query))</code></h3>\n<p class=\"muted\">"
                + "#\(entry.seq), \(HTML.escape(evidence.source)), every "
                + "\(DurationFormat.long(evidence.step)), recorded by \(HTML.escape(entry.author))"
                + "</p>\n"
            out += EvidenceSVG(evidence: evidence).render()
        }
        return out + "</section>\n"
    }

    private func narrative() -> String {
        var out = "<section aria-labelledby=\"h-story\"><h2 id=\"h-story\">Narrative</h2>\n"
        var any = false
        for field in NarrativeField.allCases {
            guard let text = incident.narrative[field], !text.isEmpty else { continue }
            any = true
            out +=
                "<h3>\(HTML.escape(field.title))</h3>\n"
                + "<p class=\"prose\">\(HTML.escape(text))</p>\n"
        }
        if !any { out += "<p class=\"muted\">No narrative written yet.</p>\n" }
        return out + "</section>\n"
    }

    private func actionItems() -> String {
        let items = incident.actionItems
        var out = "<section aria-labelledby=\"h-ai\"><h2 id=\"h-ai\">Action items</h2>\n"
        guard !items.isEmpty else { return out + "<p class=\"muted\">None.</p></section>\n" }
        out += SiteTable.open(["Id", "Status", "Action", "Owner", "Due", "Done"])
        for item in items {
            let status = item.status == .done ? "<span class=\"ok\">✓ done</span>" : "○ open"
            var due = item.due.map(SiteTime.tag) ?? "—"
            if item.status == .open, let date = item.due {
                due +=
                    " <span class=\"overdue\" data-due=\"\(SiteTime.epoch(date))\" hidden>"
                    + "⚠ overdue</span>"
            }
            out +=
                "<tr>" + SiteTable.cell(HTML.escape(item.id)) + SiteTable.cell(status)
                + SiteTable.cell(HTML.escape(item.text))
                + SiteTable.cell(item.owner.map(HTML.escape) ?? "—")
                + SiteTable.cell(due, "when")
                + SiteTable.cell(item.doneAt.map(SiteTime.tag) ?? "—", "when") + "</tr>\n"
        }
        return out + SiteTable.close + "</section>\n"
    }

    private func checklist(_ runbook: Checklist) -> String {
        var out =
            "<section aria-labelledby=\"h-rb\"><h2 id=\"h-rb\">Runbook: "
            + "\(HTML.escape(runbook.title))</h2>\n<p class=\"muted\">\(runbook.finished) of "
            + "\(runbook.steps.count) steps done or skipped.</p>\n<ol>\n"
        for step in runbook.steps {
            let mark: String =
                switch step.status {
                case .done: "<span class=\"ok\">☑ done</span>"
                case .skipped: "<span class=\"muted\">☒ skipped</span>"
                case .pending: "☐ to do"
                }
            out += "<li>\(mark) \(HTML.escape(step.text))"
            if let command = step.command { out += " <code>\(HTML.escape(command))</code>" }
            if let at = step.at { out += " <span class=\"muted\">(\(SiteTime.tag(at)))</span>" }
            out += "</li>\n"
        }
        return out + "</ol></section>\n"
    }

    private func statusUpdates() -> String {
        let updates = incident.timeline.compactMap { entry in
            if case .comms(let update?) = entry.change { (entry, update) } else { nil }
        }
        var out = "<section aria-labelledby=\"h-up\"><h2 id=\"h-up\">Status updates</h2>\n"
        guard !updates.isEmpty else { return out + "<p class=\"muted\">None sent.</p></section>\n" }
        for (entry, update) in updates.sorted(by: { $0.0.at < $1.0.at }) {
            let audience = update.audience
            let state = update.state
            let isStruck = incident.isStruck(entry)
            out +=
                "<article class=\"update\"><h3>\(SiteTime.tag(entry.at)) · "
                + "\(HTML.escape(state)) · \(HTML.escape(audience))"
                + (isStruck ? " · <span class=\"muted\">struck</span>" : "") + "</h3>"
            let text = "<pre>\(HTML.escape(update.text))</pre>"
            out += (isStruck ? "<del>\(text)</del>" : text) + "</article>\n"
        }
        return out + "</section>\n"
    }

    private func verification() -> String {
        let check = incident.verifyChain()
        var out = "<section aria-labelledby=\"h-ver\"><h2 id=\"h-ver\">Tamper evidence</h2>\n<p>"
        if let bad = check.firstMismatch {
            out +=
                "<span class=\"bad\">✗ The hash chains do not verify</span>: entry #\(bad.seq): "
                + HTML.escape(bad.reason) + "."
        } else {
            out +=
                "<span class=\"ok\">✓ The hash chains verify</span>: \(check.entryCount) "
                + "\(check.entryCount == 1 ? "entry" : "entries")."
        }
        out += "</p>\n<p>Head hash <code>\(HTML.escape(check.head))</code></p></section>\n"
        return out
    }
}
