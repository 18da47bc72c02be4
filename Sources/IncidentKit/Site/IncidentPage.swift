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
        let page = SitePage(root: report ? "" : "../",
                            title: "\(incident.id): \(incident.title)", current: "",
                            inline: report)
        return page.render(body(report: report), description: "Incident report for \(incident.id)")
    }

    func body(report: Bool) -> String {
        let i = incident
        var out = ""
        if !report {
            out += "<nav aria-label=\"Breadcrumb\" class=\"muted\"><a "
                + "href=\"../index.html\">Overview</a>"
                + " › <a href=\"../archive.html\">Archive</a> › \(i.id)</nav>\n"
        }
        out += "<h1>\(i.id): \(HTML.escape(i.title))</h1>\n"
        out += "<p>" + Self.severityBadge(i.severity, scheme: scheme) + " "
            + "<span class=\"badge\">\(i.isOpen ? "open" : "closed")</span> "
            + "phase <strong>\(i.phase.rawValue)</strong>"
        if let due = i.nextUpdateDue, i.isOpen {
            out += " · next status update promised by \(SiteTime.tag(due)) "
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
        var out = "<section aria-labelledby=\"h-about\"><h2 id=\"h-about\">About</h2>\n<dl "
            + "class=\"facts\">\n"
        for role in Role.allCases {
            out += "<dt>\(role.title)</dt><dd>\(i.roles[role].map(HTML.escape) ?? "—")</dd>\n"
        }
        out += "<dt>Services</dt><dd>"
            + (i.services.isEmpty ? "—" : i.services.map(HTML.escape).joined(separator: ", "))
                + "</dd>\n"
        out += "<dt>Tags</dt><dd>"
            + (i.tags.isEmpty ? "—" : i.tags.map(HTML.escape).joined(separator: ", ")) + "</dd>\n"
        if !i.links.isEmpty {
            out += "<dt>Links</dt><dd><ul>"
            for link in i.links {
                let label = HTML.escape(link.label.isEmpty ? link.url : link.label)
                if let url = HTML.safeURL(link.url) {
                    out += "<li><a href=\"\(HTML.escape(url))\" rel=\"noopener "
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
        out += "<div class=\"table-wrap\"><table class=\"compact\"><caption class=\"muted\">Phase "
            + "times (UTC)</caption>"
            + "<thead><tr><th scope=\"col\">Moment</th><th "
                + "scope=\"col\">When</th></tr></thead><tbody>\n"
        let rows: [(String, Date?)] = [
            ("Impact started", i.startedAt), ("Detected", i.detectedAt), ("Declared", t.declaredAt),
            ("Contained", t.containedAt), ("Recovered", t.recoveredAt), ("Closed", t.closedAt),
        ]
        for (label, date) in rows {
            out += "<tr><th "
                + "scope=\"row\">\(label)</th><td>\(date.map(SiteTime.tag) ?? "—")</td></tr>\n"
        }
        out += "</tbody></table></div>\n"
        out += "<div class=\"table-wrap\"><table class=\"compact\"><caption "
            + "class=\"muted\">Response metrics</caption>"
            + "<thead><tr><th scope=\"col\">Metric</th><th scope=\"col\" class=\"num\">Value</th>"
            + "<th scope=\"col\">Measured</th></tr></thead><tbody>\n"
        let metrics: [(String, Double?, String)] = [
            ("Time to detect", m.timeToDetect, "impact start → detection"),
            ("Time to declare", m.timeToDeclare, "detection → declaration"),
            ("Time to contain", m.timeToContain, "detection → first phase after contain"),
            ("Time to recover", m.timeToRecover, "detection → review"),
            ("Impact duration", m.impactDuration, "impact start (or detection) → review"),
        ]
        for (name, value, measured) in metrics {
            out += "<tr><th scope=\"row\">\(name)</th><td class=\"num\">"
                + (value.map(DurationFormat.long) ?? "— <span class=\"muted\">(not known)</span>")
                + "</td><td>\(measured)</td></tr>\n"
        }
        out += "</tbody></table></div></section>\n"
        return out
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
        var out = "<div class=\"table-wrap\"><table id=\"entries\"><caption class=\"muted\">"
            + "\(ordered.count) \(ordered.count == 1 ? "entry" : "entries"), in time order; "
            + "T+ is the time since detection</caption>\n<thead><tr><th scope=\"col\">#</th>"
            + "<th scope=\"col\">Time</th><th scope=\"col\" class=\"hide-narrow\">T+</th>"
            + "<th scope=\"col\">Author</th><th scope=\"col\">Kind</th><th scope=\"col\">Entry</th>"
            + "</tr></thead><tbody>\n"
        for entry in ordered.prefix(Self.tableLimit) {
            let shown = i.shownText(of: entry).trimmingCharacters(in: .whitespacesAndNewlines)
            let text = HTML.escape(shown)
            var cell = entry.kind == .phase ? "<strong>\(text)</strong>" : text
            if let strike = struck[entry.hash] {
                cell = "<del>\(cell)</del> <span class=\"muted\">(struck by #\(strike.seq): "
                    + HTML.escape(strike.data["reason"] ?? "") + ")</span>"
            }
            let offset = DurationFormat.offset(entry.at.timeIntervalSince(i.detectedAt))
            out += "<tr id=\"e\(entry.seq)\"><td class=\"num\">\(entry.seq)</td>"
                + "<td class=\"when\">\(SiteTime.tag(entry.at))</td>"
                + "<td class=\"when "
                    + "hide-narrow\">\(offset)</td><td>\(HTML.escape(entry.author))</td>"
                + "<td class=\"kind\">\(HTML.escape(entry.kind.rawValue))</td><td "
                    + "class=\"prose\">\(cell)</td></tr>\n"
        }
        out += "</tbody></table></div>\n"
        if ordered.count > Self.tableLimit {
            out += "<p class=\"muted\">The first \(Self.tableLimit) of \(ordered.count) entries "
                + "are "
                + "listed; <code>irctl show \(i.id)</code> lists every one.</p>\n"
        }
        return out
    }

    private func narrative() -> String {
        var out = "<section aria-labelledby=\"h-story\"><h2 id=\"h-story\">Narrative</h2>\n"
        var any = false
        for field in NarrativeField.allCases {
            guard let text = incident.narrative[field], !text.isEmpty else { continue }
            any = true
            out += "<h3>\(HTML.escape(field.title))</h3>\n<p "
                + "class=\"prose\">\(HTML.escape(text))</p>\n"
        }
        if !any { out += "<p class=\"muted\">No narrative written yet.</p>\n" }
        return out + "</section>\n"
    }

    private func actionItems() -> String {
        let items = incident.actionItems
        var out = "<section aria-labelledby=\"h-ai\"><h2 id=\"h-ai\">Action items</h2>\n"
        guard !items.isEmpty else { return out + "<p class=\"muted\">None.</p></section>\n" }
        out += "<div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">Id</th>"
            + "<th scope=\"col\">Status</th><th scope=\"col\">Action</th><th "
                + "scope=\"col\">Owner</th>"
            + "<th scope=\"col\">Due</th><th scope=\"col\">Done</th></tr></thead><tbody>\n"
        for item in items {
            let status = item.status == .done ? "<span class=\"ok\">✓ done</span>" : "○ open"
            var due = item.due.map(SiteTime.tag) ?? "—"
            if item.status == .open, let date = item.due {
                due += " <span class=\"overdue\" data-due=\"\(SiteTime.epoch(date))\" hidden>⚠ "
                    + "overdue</span>"
            }
            out += "<tr><td>\(HTML.escape(item.id))</td><td>\(status)</td>"
                + "<td>\(HTML.escape(item.text))</td><td>\(item.owner.map(HTML.escape) ?? "—")</td>"
                + "<td class=\"when\">\(due)</td><td "
                    + "class=\"when\">\(item.doneAt.map(SiteTime.tag) ?? "—")</td></tr>\n"
        }
        return out + "</tbody></table></div></section>\n"
    }

    private func checklist(_ runbook: Checklist) -> String {
        var out = "<section aria-labelledby=\"h-rb\"><h2 id=\"h-rb\">Runbook: "
            + "\(HTML.escape(runbook.title))</h2>\n<p class=\"muted\">\(runbook.finished) of "
            + "\(runbook.steps.count) steps done or skipped.</p>\n<ol>\n"
        for step in runbook.steps {
            let mark: String = switch step.status {
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
        let struck = incident.strikes
        let updates = incident.timeline.filter { $0.kind == .comms && $0.data["update"] != nil }
        var out = "<section aria-labelledby=\"h-up\"><h2 id=\"h-up\">Status updates</h2>\n"
        guard !updates.isEmpty else { return out + "<p class=\"muted\">None sent.</p></section>\n" }
        for entry in updates.sorted(by: { $0.at < $1.at }) {
            let audience = entry.data["audience"] ?? "internal"
            let state = entry.data["state"] ?? ""
            let isStruck = struck[entry.hash] != nil
            out += "<article class=\"update\"><h3>\(SiteTime.tag(entry.at)) · "
                + "\(HTML.escape(state)) · \(HTML.escape(audience))"
                + (isStruck ? " · <span class=\"muted\">struck</span>" : "") + "</h3>"
            let text = "<pre>\(HTML.escape(entry.data["update"] ?? ""))</pre>"
            out += (isStruck ? "<del>\(text)</del>" : text) + "</article>\n"
        }
        return out + "</section>\n"
    }

    private func verification() -> String {
        let check = incident.verifyChain()
        var out = "<section aria-labelledby=\"h-ver\"><h2 id=\"h-ver\">Tamper evidence</h2>\n<p>"
        if let bad = check.firstMismatch {
            out += "<span class=\"bad\">✗ The hash chains do not verify</span>: entry #\(bad.seq): "
                + HTML.escape(bad.reason) + "."
        } else {
            out += "<span class=\"ok\">✓ The hash chains verify</span>: \(check.entryCount) "
                + "\(check.entryCount == 1 ? "entry" : "entries")."
        }
        out += "</p>\n<p>Head hash <code>\(HTML.escape(check.head))</code></p></section>\n"
        return out
    }
}
