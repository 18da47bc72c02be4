import Foundation

/// Renders an incident as a blameless postmortem draft in GitHub-flavoured markdown, with the
/// sections the common public templates share (PagerDuty, Google SRE, Atlassian).
///
/// Deterministic: the output depends only on the incident and the severity scheme (times in UTC,
/// no "generated at"), so the same incident always gives the same bytes and a committed postmortem
/// diffs cleanly. Everything taken from the incident goes through ``Markdown``.
public struct PostmortemRenderer: Sendable {
    public var incident: Incident
    public var scheme: SeverityScheme
    /// The store's changes, for "Changes before impact"; nil leaves the section out (the
    /// incident alone, without its store).
    public var changes: [ServiceChange]?

    /// The incident a duplicate duplicates, as it is numbered now (the caller looks it up).
    public var duplicateOf: IncidentID?

    public init(
        incident: Incident, scheme: SeverityScheme = .standard, changes: [ServiceChange]? = nil,
        duplicateOf: IncidentID? = nil
    ) {
        self.incident = incident
        self.scheme = scheme
        self.changes = changes
        self.duplicateOf = duplicateOf
    }

    public static let blamelessReminder =
        "This postmortem is blameless: it asks how the system and our decisions made sense at the "
        + "time, not who is at fault."

    private static let utc = TimeDisplay(timeZone: TimeZone(secondsFromGMT: 0)!, utc: false)

    public func render() -> String {
        var out = ""
        let times = incident.phaseTimes
        let metrics = IncidentMetrics(incident)

        out += "# \(incident.id): \(Markdown.inline(incident.title))\n\n"
        out += header(times: times, metrics: metrics) + "\n"
        out += "> " + Self.blamelessReminder + "\n\n"

        out += narrativeSection(.summary)
        out += narrativeSection(.impact)

        out += "## Detection\n\n"
        if let ttd = metrics.timeToDetect, let started = incident.startedAt {
            out +=
                "**Time to detect: \(DurationFormat.long(ttd))** (impact began \(time(started)) "
                + "UTC, detected \(time(incident.detectedAt)) UTC).\n\n"
        } else {
            out +=
                "**Time to detect: unknown**: no impact start recorded (detected "
                + "\(time(incident.detectedAt)) UTC; record it with `irctl set \(incident.id) "
                + "started TIME`).\n\n"
        }
        out += narrativeBody(.detection)

        out += responseMetrics(metrics)
        out += timeline()
        out += evidence()
        if let changes { out += changesBeforeImpact(changes) }
        if let runbook = incident.runbook { out += self.runbook(runbook) }

        out += "## Root cause and trigger\n\n"
        out += "### Root cause\n\n" + narrativeBody(.rootCause)
        out += "### Trigger\n\n" + narrativeBody(.trigger)
        out += narrativeSection(.contributingFactors)
        out += narrativeSection(.resolution)
        out += narrativeSection(.wentWell)
        out += narrativeSection(.wentWrong)
        out += narrativeSection(.lucky)
        out += actionItems()
        out += narrativeSection(.lessons)
        out += responders()
        out += phaseChart()
        return out
    }

    // MARK: Sections

    private func header(times: PhaseTimes, metrics: IncidentMetrics) -> String {
        var rows: [(String, String)] = [("Incident", "\(incident.id)")]
        var severity = Markdown.cell(incident.severity)
        if let level = scheme.level(named: incident.severity) {
            severity +=
                " (" + Markdown.cell(String(level.description.prefix(while: { $0 != ":" }))) + ")"
        }
        rows.append(("Severity", severity))
        var status = incident.phase == .closed ? "closed" : "open, in phase \(incident.phase)"
        switch incident.closedAs {
        case .falseAlarm: status += " as a false alarm"
        case .duplicate: status += " as a duplicate" + (duplicateOf.map { " of \($0)" } ?? "")
        case nil: break
        }
        rows.append(("Status", status))
        if incident.isDrill { rows.append(("Drill", "yes: an exercise, not a real incident")) }
        rows.append(("Impact started", incident.startedAt.map { time($0) + " UTC" } ?? "unknown"))
        rows.append(("Detected", time(incident.detectedAt) + " UTC"))
        if let declared = times.declaredAt { rows.append(("Declared", time(declared) + " UTC")) }
        if let recovered = times.recoveredAt {
            rows.append(("Recovered", time(recovered) + " UTC"))
        }
        if let closed = times.closedAt { rows.append(("Closed", time(closed) + " UTC")) }
        rows.append(
            (
                "Impact duration",
                metrics.impactDuration.map(DurationFormat.long) ?? "unknown (not recovered yet)"
            ))
        rows.append(
            (
                "Services",
                incident.services.isEmpty
                    ? "—" : incident.services.map(Markdown.cell).joined(separator: ", ")
            ))
        for role in Role.allCases {
            rows.append((role.title, incident.roles[role].map(Markdown.cell) ?? "—"))
        }
        if !incident.tags.isEmpty {
            rows.append(("Tags", incident.tags.map(Markdown.cell).joined(separator: ", ")))
        }
        for link in incident.links {
            rows.append((Markdown.cell(link.label), Markdown.cell(link.url)))
        }
        let authors = self.authors
        rows.append(
            ("Authors", authors.isEmpty ? "—" : authors.map(Markdown.cell).joined(separator: ", ")))
        return "| Field | Value |\n|---|---|\n" + rows.map { "| \($0.0) | \($0.1) |\n" }.joined()
    }

    private func narrativeSection(_ field: NarrativeField) -> String {
        "## \(field.title)\n\n" + narrativeBody(field)
    }

    private func narrativeBody(_ field: NarrativeField) -> String {
        guard let text = incident.narrative[field], !text.isEmpty else {
            return "_\(field.prompt)_\n\n"
        }
        return Markdown.block(text) + "\n\n"
    }

    private func responseMetrics(_ metrics: IncidentMetrics) -> String {
        var out = "## Response metrics\n\n| Metric | Value | Measured |\n|---|---|---|\n"
        let rows: [(String, Double?, String, String)] = [
            (
                "Time to detect", metrics.timeToDetect, "impact start → detection",
                "no impact start recorded"
            ),
            ("Time to declare", metrics.timeToDeclare, "detection → declaration", "not declared"),
            (
                "Time to contain", metrics.timeToContain, "detection → first phase after contain",
                "not contained yet"
            ),
            ("Time to recover", metrics.timeToRecover, "detection → review", "not recovered yet"),
            (
                "Impact duration", metrics.impactDuration, "impact start (or detection) → review",
                "not recovered yet"
            ),
        ]
        for (name, value, measured, missing) in rows {
            out +=
                "| \(name) | \(value.map(DurationFormat.long) ?? "— (\(missing))") | \(measured) "
                + "|\n"
        }
        out += "\n### Time in each phase\n\n"
        let phases = incident.timeInPhases
        let spans = incident.phaseSpans
        guard !phases.isEmpty else { return out + "_No phase changes recorded._\n\n" }
        out += "| Phase | First entered (UTC) | Time spent |\n|---|---|---|\n"
        for phase in Phase.working {
            guard let entry = phases.first(where: { $0.phase == phase }) else {
                out += "| \(phase) | — | skipped |\n"
                continue
            }
            let first = spans.first { $0.phase == phase }!.start
            var spent = DurationFormat.long(entry.seconds)
            if entry.ongoing { spent = entry.seconds > 0 ? spent + " + ongoing" : "ongoing" }
            out += "| \(phase) | \(time(first)) | \(spent) |\n"
        }
        return out + "\n"
    }

    private func timeline() -> String {
        var out = "## Timeline\n\n"
        out +=
            "Times in UTC; T+ is the time since detection (\(time(incident.detectedAt)) UTC). "
            + "Phase changes in bold.\n\n"
        guard !incident.timeline.isEmpty else { return out + "_No timeline entries._\n\n" }
        out += "| Time (UTC) | T+ | Author | Kind | Entry |\n|---|---|---|---|---|\n"
        // The timeline tells the incident's story. Writing the postmortem itself (narrative edits)
        // and follow-up bookkeeping (the action items have their own table) are left out.
        let omitted: Set<EntryKind> = [.edit, .actionItem]
        // Struck entries were mistakes: neither they nor the strikes belong in the story.
        let struck = incident.strikes
        let story = incident.timeline.filter {
            !omitted.contains($0.kind) && $0.kind != .strike && struck[$0.hash] == nil
        }
        let strikeCount = incident.timeline.filter { $0.kind == .strike }.count
        let ordered = story.enumerated()
            .sorted {
                $0.element.at != $1.element.at
                    ? $0.element.at < $1.element.at : $0.offset < $1.offset
            }
            .map(\.element)
        for entry in ordered {
            // A time inside the text (an update's next-update time) reads like the others here.
            let shown = Self.utc.localizingTimestamps(in: incident.shownText(of: entry))
            var text = Markdown.cell(shown.trimmingCharacters(in: .whitespacesAndNewlines))
            if entry.kind == .phase, !text.isEmpty { text = "**" + text + "**" }
            let offset = DurationFormat.offset(entry.at.timeIntervalSince(incident.detectedAt))
            out +=
                "| \(time(entry.at)) | \(offset) | \(Markdown.cell(entry.author)) | "
                + "\(Markdown.cell(entry.kind.rawValue)) | \(text) |\n"
        }
        let left = max(0, incident.timeline.count - story.count - 2 * strikeCount)
        if strikeCount > 0 {
            out +=
                "\n\(strikeCount) struck \(strikeCount == 1 ? "entry" : "entries") (recorded by "
                + "mistake) not shown; `irctl show \(incident.id)` lists them.\n"
        }
        if left > 0 {
            out +=
                "\n\(left) bookkeeping \(left == 1 ? "entry" : "entries") (narrative edits, "
                + "action-item changes) not shown; `irctl show \(incident.id)` lists them.\n"
        }
        return out + "\n"
    }

    /// Each evidence entry: its query and range, and a sparkline a series.
    private func evidence() -> String {
        let all = incident.evidence
        guard !all.isEmpty else { return "" }
        var out = "## Evidence\n\n"
        for (entry, evidence) in all {
            out +=
                "**\(Markdown.inline(evidence.query))** from \(time(evidence.from)) to "
                + "\(time(evidence.to)) UTC, every \(DurationFormat.long(evidence.step)) "
                + "(\(Markdown.inline(evidence.source)), recorded by "
                + "\(Markdown.inline(entry.author)))\n\n"
            // Series names come from the server: a fence in one must not end the block.
            out += "```text\n"
            for line in evidence.sparklineLines(maxSeries: 10) {
                out += line.replacingOccurrences(of: "`", with: "'") + "\n"
            }
            out += "```\n\n"
        }
        return out
    }

    /// The changes before impact began, likeliest first.
    private func changesBeforeImpact(_ changes: [ServiceChange]) -> String {
        let out = "## Changes before impact\n\n"
        let suspects = Suspects(incident: incident, changes: changes).ranked
        let window = DurationFormat.long(Suspects.defaultWindow)
        guard !suspects.isEmpty else {
            return out
                + "_No change recorded in the \(window) before impact began; deploys are recorded "
                + "with `irctl change record`._\n\n"
        }
        let began = time(incident.startedAt ?? incident.detectedAt)
        var table =
            "Within \(window) before impact began (\(began) UTC); changes to the incident's "
            + "services first.\n\n"
        table += "| Time (UTC) | Before impact | Services | Change | By |\n|---|---|---|---|---|\n"
        for suspect in suspects {
            let change = suspect.change
            let before =
                suspect.beforeImpact >= 0
                ? DurationFormat.long(suspect.beforeImpact)
                : "after (" + DurationFormat.long(-suspect.beforeImpact) + ")"
            let services = change.services.map { name in
                suspect.sharedServices.contains(name)
                    ? "**" + Markdown.cell(name) + "**" : Markdown.cell(name)
            }.joined(separator: ", ")
            table +=
                "| \(time(change.at)) | \(before) | \(services) | \(Markdown.cell(change.line)) "
                + "| \(Markdown.cell(change.author)) |\n"
        }
        return out + table + "\n"
    }

    private func runbook(_ runbook: Checklist) -> String {
        var out = "## Runbook\n\n"
        out +=
            "\(Markdown.inline(runbook.title)) (`\(Markdown.mermaidLabel(runbook.name))`): "
            + "\(runbook.finished) of \(runbook.steps.count) steps done or skipped.\n\n"
        for step in runbook.steps {
            let mark = step.status == .pending ? "[ ]" : "[x]"
            var line = "- \(mark) \(step.number). \(Markdown.inline(step.text))"
            if step.status == .skipped {
                line += " (skipped" + (step.note.map { ": " + Markdown.inline($0) } ?? "") + ")"
            } else if step.status == .done, let by = step.by {
                line += " (" + Markdown.inline(by) + ")"
            }
            out += line + "\n"
        }
        return out + "\n"
    }

    private func actionItems() -> String {
        var out = "## Action items\n\n"
        guard !incident.actionItems.isEmpty else {
            return out
                + "_Follow-ups that make this less likely or less harmful next time: add them with "
                + "`irctl action add \(incident.id) TEXT --owner NAME --due TIME`._\n\n"
        }
        out +=
            "| ID | Action | Type | Priority | Owner | Due (UTC) | Status "
            + "|\n|---|---|---|---|---|---|---|\n"
        for item in incident.actionItems {
            let status =
                item.status == .done
                ? "done" + (item.doneAt.map { " " + Self.utc.date($0) } ?? "") : "open"
            out +=
                "| \(item.id) | \(Markdown.cell(item.text)) | \(item.type?.rawValue ?? "—") | "
                + "\(item.priority.map(Markdown.cell) ?? "—") "
                + "| \(item.owner.map(Markdown.cell) ?? "—") | "
                + "\(item.due.map { Self.utc.date($0) } ?? "—") | \(status) |\n"
        }
        return out + "\n"
    }

    private func responders() -> String {
        var out = "## Responders\n\n| Name | Role | Timeline entries |\n|---|---|---|\n"
        var names: [String] = []
        for role in Role.allCases {
            if let name = incident.roles[role], !names.contains(name) { names.append(name) }
        }
        for author in authors where !names.contains(author) { names.append(author) }
        guard !names.isEmpty else { return "## Responders\n\n_No responders recorded._\n\n" }
        for name in names {
            let roles = Role.allCases.filter { incident.roles[$0] == name }.map(\.title)
            let count = incident.timeline.filter { $0.author == name }.count
            out +=
                "| \(Markdown.cell(name)) | \(roles.isEmpty ? "—" : roles.joined(separator: ", ")) "
                + "| \(count) |\n"
        }
        return out + "\n"
    }

    /// A Mermaid gantt of the phases (GitHub renders it); only finished spans of non-zero length.
    private func phaseChart() -> String {
        let spans = incident.phaseSpans.filter { ($0.duration ?? 0) > 0 }
        var out = "## Phase chart\n\n"
        guard !spans.isEmpty else { return out + "_No finished phases to chart yet._\n" }
        let first = spans.map(\.start).min()!
        let last = spans.compactMap(\.end).max()!
        let axis = last.timeIntervalSince(first) > 86_400 ? "%m-%d %H:%M" : "%H:%M"
        out += "```mermaid\ngantt\n"
        out += "    title \(incident.id) \(Markdown.mermaidLabel(incident.title)) (UTC)\n"
        out += "    dateFormat YYYY-MM-DD HH:mm:ss\n    axisFormat \(axis)\n"
        if let recovered = incident.phaseTimes.recoveredAt {
            let start = incident.startedAt ?? incident.detectedAt
            if recovered > start {
                out +=
                    "    section Impact\n    impact :crit, \(stamp(start)), \(stamp(recovered))\n"
            }
        }
        out += "    section Phases\n"
        for span in spans {
            out +=
                "    \(span.phase) :\(span.phase == .review ? "active" : "done"), "
                + "\(stamp(span.start)), \(stamp(span.end!))\n"
        }
        return out + "```\n"
    }

    // MARK: Helpers

    /// Timeline authors in order of first appearance.
    private var authors: [String] {
        var seen: [String] = []
        for entry in incident.timeline where !seen.contains(entry.author) {
            seen.append(entry.author)
        }
        return seen
    }

    private func time(_ date: Date) -> String { Self.utc.dateTime(date) }

    private func stamp(_ date: Date) -> String { Self.utc.dateTimeSeconds(date) }
}
