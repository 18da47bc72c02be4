import Foundation
import IncidentKit

enum ShowCommand {
    static let command = Command(
        name: "show",
        summary: "show an incident: header, roles, phase times and the whole timeline",
        arguments: [.incident],
        discussion: """
            With --json, prints the incident as stored plus derived fields (open, active, phase
            times, metrics). Past incidents like it (see 'irctl similar') are listed at the end,
            unless config.json says "similar": false.
            """,
        examples: ["irctl show INC-1", "irctl show 1 --json --utc"],
        run: { invocation in
            let id = try invocation.requiredIncident()
            try invocation.expectPositionals(atMost: 1)
            let stored = try invocation.store.loadNoting(id)
            let incident = stored.incident
            for notice in stored.notices { invocation.output.note("irctl: note: " + notice) }
            // A strike the strike command would refuse came in a file: it strikes nothing.
            for ignored in incident.strikeCheck.ignored {
                invocation.output.warning(
                    "\(incident.id): \(ignored.message) ('irctl verify \(incident.id)')")
            }
            if invocation.json {
                try invocation.printJSON(incident)
                return ExitCode.success
            }
            let config = (try? invocation.config()) ?? StoreConfig()
            invocation.output.write(
                render(incident, scheme: config.severityScheme, invocation: invocation))
            if config.similar != false {
                let hints = SimilarCommand.hints(for: incident, invocation: invocation)
                if !hints.isEmpty {
                    invocation.output.write(
                        "\n" + invocation.output.style.bold("Similar") + "\n"
                            + hints.map { "  " + $0 + "\n" }.joined())
                }
            }
            return ExitCode.success
        })

    static func render(
        _ incident: Incident, scheme: SeverityScheme, invocation: Invocation
    ) -> String {
        let style = invocation.output.style
        let display = invocation.display
        let now = invocation.now
        let columns = invocation.output.width
        let times = incident.phaseTimes
        func clean(_ text: String) -> String { TerminalText.sanitize(text) }
        func one(_ text: String) -> String { TerminalText.singleLine(text) }

        // A long title wraps under itself rather than running off a narrow terminal.
        let lead = "\(incident.id) · "
        let titleLines = wrap(
            one(incident.title),
            to: columns.map { $0 - lead.count }.flatMap { $0 >= 10 ? $0 : nil } ?? Int.max)
        var out = style.bold(lead + titleLines[0]) + "\n"
        for line in titleLines.dropFirst() {
            out += String(repeating: " ", count: lead.count) + style.bold(line) + "\n"
        }
        let rank = scheme.rank(of: incident.severity)
        var status = [
            style.severity(one(incident.severity), rank: rank)
                + (scheme.level(named: incident.severity).map {
                    " " + $0.description.prefix(while: { $0 != ":" })
                } ?? "")
        ]
        // Since when the team has been in this phase: the latest entry into it.
        let since = display.compact(incident.currentPhaseEnteredAt, relativeTo: now)
        status.append(
            "phase " + style.phase(incident.phase) + (incident.isOpen ? " since " + since : ""))
        if incident.isOpen {
            status.append("open " + DurationFormat.long(now.timeIntervalSince(incident.detectedAt)))
            if let due = incident.nextUpdateDue {
                status.append(
                    incident.isUpdateOverdue(at: now)
                        ? style.red("update overdue since " + display.compact(due, relativeTo: now))
                        : "next update by " + display.compact(due, relativeTo: now))
            }
        } else if let closed = times.closedAt {
            status.append("closed " + display.dateTime(closed))
        }
        if incident.isDrill { status.insert(style.yellow("drill"), at: 1) }
        switch incident.closedAs {
        case .falseAlarm: status.append(style.yellow("false alarm"))
        case .duplicate(let uid):
            let original = (try? invocation.store.load(uid: uid)).map { $0.id.description }
            status.append(style.yellow("duplicate of " + (original ?? "an incident not here")))
        case nil: break
        }
        out += status.joined(separator: " · ") + "\n\n"

        // A label too long for the column still gets a gap before its value.
        func row(_ label: String, _ value: String) -> String {
            "  " + (displayWidth(label) < 11 ? pad(label, to: 11) : label + "  ") + value + "\n"
        }
        for role in Role.allCases {
            out += row(role.title, incident.roles[role].map(one) ?? style.dim("—"))
        }
        out += row(
            "Services",
            incident.services.isEmpty
                ? style.dim("—") : one(incident.services.joined(separator: ", ")))
        if !incident.tags.isEmpty { out += row("Tags", one(incident.tags.joined(separator: ", "))) }
        for link in incident.links { out += row(one(link.label), one(link.url)) }
        if !incident.aliases.isEmpty {
            out += row(
                "Formerly",
                incident.aliases.map(\.description).joined(separator: ", ")
                    + style.dim(" (renumbered)"))
        }
        out += "\n"

        func time(_ label: String, _ date: Date?, inProgressIn working: Phase? = nil) -> String {
            if date == nil, let working, incident.phase == working {
                // Not contained (or recovered) yet, but working on it: the header's phase.
                return row(
                    label,
                    style.dim(
                        "in progress since "
                            + display.compact(incident.currentPhaseEnteredAt, relativeTo: now)))
            }
            guard let date else { return row(label, style.dim("—")) }
            let offset =
                date == incident.detectedAt || label == "Started"
                ? ""
                : style.dim(
                    "  (+" + DurationFormat.long(date.timeIntervalSince(incident.detectedAt)) + ")")
            return row(label, display.dateTime(date) + offset)
        }
        if let started = incident.startedAt { out += time("Started", started) }
        out += time("Detected", incident.detectedAt)
        out += time("Declared", times.declaredAt)
        out += time("Contained", times.containedAt, inProgressIn: .contain)
        out += time("Recovered", times.recoveredAt, inProgressIn: .recover)
        if !incident.isOpen { out += time("Closed", times.closedAt) }

        for field in NarrativeField.allCases {
            guard let text = incident.narrative[field] else { continue }
            out += "\n" + style.bold(field.title) + "\n" + indent(clean(text), by: 2) + "\n"
        }

        if let runbook = incident.runbook {
            out +=
                "\n" + style.bold("Runbook: \(one(runbook.title))")
                + style.dim(" (\(runbook.finished)/\(runbook.steps.count) steps)") + "\n"
            for step in runbook.steps {
                let mark =
                    switch step.status {
                    case .done: style.green("[x]")
                    case .skipped: style.dim("[-]")
                    case .pending: "[ ]"
                    }
                let lead = "\(step.number). "
                let lines = wrap(
                    one(step.text),
                    to: columns.map { $0 - 6 - lead.count }.flatMap { $0 >= 10 ? $0 : nil }
                        ?? Int.max)
                out += "  \(mark) " + lead + lines[0] + "\n"
                for line in lines.dropFirst() {
                    out += String(repeating: " ", count: 6 + lead.count) + line + "\n"
                }
            }
        }

        if !incident.actionItems.isEmpty {
            out += "\n" + style.bold("Action items") + "\n"
            for item in incident.actionItems {
                var line =
                    "  \(item.status == .done ? style.green("[x]") : "[ ]") \(item.id)  "
                    + "\(one(item.text))"
                if let owner = item.owner { line += style.dim(" · \(one(owner))") }
                if let due = item.due {
                    let text = " · due " + display.date(due)
                    line +=
                        item.isOverdue(at: now) ? style.red(text + " (overdue)") : style.dim(text)
                }
                out += line + "\n"
            }
        }

        let concurrent = incident.concurrentChanges
        if !concurrent.isEmpty {
            out += "\n" + style.bold("Changed at the same time on two clones") + "\n"
            for change in concurrent { out += "  " + one(change.description) + "\n" }
        }

        out +=
            "\n" + style.bold("Timeline")
            + style.dim(
                " (\(incident.timeline.count) "
                    + "\(incident.timeline.count == 1 ? "entry" : "entries"))"
            ) + "\n"
        let ordered = incident.timeline.enumerated().sorted { a, b in
            a.element.at != b.element.at ? a.element.at < b.element.at : a.offset < b.offset
        }.map(\.element)
        // Today's entries show the time alone, older ones the day too; the column is as wide as
        // the widest, so a one-day incident keeps the room for its text.
        let whens = ordered.map { entry in
            let compact = display.compact(entry.at, relativeTo: now)
            return compact.contains(":") ? compact : display.dateTime(entry.at)
        }
        let timeWidth = whens.map(displayWidth).max() ?? 5
        // Entries are numbered as written: the number 'irctl strike' takes.
        let numbers = ordered.map { "#\($0.seq)" }
        let numberWidth = numbers.map(\.count).max() ?? 2
        let struck = incident.strikes
        let authorWidth = min(16, ordered.map { displayWidth(one($0.author)) }.max() ?? 0)
        // A kind comes from the file too: a hand-edited one is escaped and cut like any stored
        // text.
        let kindWidth = min(12, ordered.map { displayWidth(one($0.kind.rawValue)) }.max() ?? 4)
        let indentWidth = 2 + numberWidth + 2 + timeWidth + 2 + authorWidth + 2 + kindWidth + 2
        // On a terminal, long text wraps under its own column rather than back to column 0.
        let textWidth = columns.map { $0 - indentWidth }.flatMap { $0 >= 10 ? $0 : nil }
        let hangingIndent = String(repeating: " ", count: indentWidth)
        for ((entry, when), number) in zip(zip(ordered, whens), numbers) {
            let prefix =
                "  " + pad(number, to: numberWidth) + "  " + pad(when, to: timeWidth) + "  "
                + pad(truncate(one(entry.author), to: authorWidth), to: authorWidth) + "  "
            let kind = pad(truncate(one(entry.kind.rawValue), to: kindWidth), to: kindWidth)
            let styledKind =
                entry.kind == .phase || entry.kind == .severity ? style.cyan(kind) : style.dim(kind)
            // Times inside the text (a corrected start, a due date) read in the user's zone too.
            let shown = display.localizingTimestamps(in: incident.shownText(of: entry))
            let textLines = clean(shown).split(separator: "\n", omittingEmptySubsequences: false)
            let first = wrap(textLines.first.map(String.init) ?? "", to: textWidth ?? Int.max)
            var lines = first.map {
                entry.kind == .phase || entry.kind == .severity ? style.bold($0) : $0
            }
            lines += textLines.dropFirst().flatMap { wrap(String($0), to: textWidth ?? Int.max) }
            if entry.kind == .command, let result = commandResult(entry).map({ "  → " + $0 }) {
                let last =
                    textLines.count == 1
                    ? first.last! : wrap(String(textLines.last!), to: textWidth ?? Int.max).last!
                if displayWidth(last) + displayWidth(result) <= textWidth ?? Int.max {
                    lines[lines.count - 1] += style.dim(result)
                } else {
                    lines.append(style.dim(String(result.dropFirst(2))))
                }
            }
            if entry.kind == .evidence, let evidence = Evidence(data: entry.data) {
                lines += evidence.sparklineLines().map { style.dim(clean($0)) }
            }
            if let strike = struck[entry.hash] {
                lines = lines.map { style.strike($0) }
                let reason: String? =
                    if case .strike(_, _, let reason) = strike.change { reason } else { nil }
                let note = "struck (#\(strike.seq), \(one(strike.author))): " + one(reason ?? "")
                lines += wrap(note, to: textWidth ?? Int.max).map { style.dim($0) }
            }
            out += prefix + styledKind + "  " + lines[0] + "\n"
            for line in lines.dropFirst() { out += hangingIndent + line + "\n" }
        }
        return out
    }

    /// `exit 3 · 1.2s` for a command entry (`exec`, `step --run`), from its data.
    static func commandResult(_ entry: TimelineEntry) -> String? {
        guard case .command(let record) = entry.change else { return nil }
        var parts: [String] = []
        if let error = record.startError {
            parts.append("not started: " + TerminalText.singleLine(error))
        } else if let signal = record.signal {
            parts.append("killed by signal \(signal)")
        } else if let status = record.exitStatus {
            parts.append("exit \(status)")
        }
        if record.startError == nil {
            let ms = Double(record.durationMs)
            parts.append(
                ms < 60_000 ? String(format: "%.1fs", ms / 1000) : DurationFormat.long(ms / 1000))
        }
        return parts.isEmpty ? nil : parts.joined(separator: " · ")
    }

    static func indent(_ text: String, by spaces: Int) -> String {
        let padding = String(repeating: " ", count: spaces)
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { padding + $0 }
            .joined(separator: "\n")
    }
}
