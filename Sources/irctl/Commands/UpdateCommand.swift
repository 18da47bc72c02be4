import Foundation
import IncidentKit

/// `irctl update INCIDENT`: draft a stakeholder status update, print it, record it as a `comms`
/// entry, and hand it to the store's update command when one is configured.
enum UpdateCommand {
    static let command = Command(
        name: "update", summary: "draft a stakeholder status update and record it (comms)",
        arguments: [.incident],
        discussion: """
            Drafts a status update from the incident: its state (investigating, identified,
            monitoring, resolved; by default from the phase), the impact, what we know (-m TEXT,
            else the summary), what we are doing, who leads and when the next update comes; prints
            it on stdout and records it as a 'comms' entry (unless --dry-run). 'show' and 'list'
            flag an incident whose promised next update is late.

            --next defaults to 30 minutes after this update, or none for a resolved one; 'none'
            promises nothing. It takes 30m, +30m, 'in 1h', 15:30 or any time form.
            --audience external leaves out names, links, the incident id and the severity.
            --format markdown or slack (mrkdwn) escapes what each format needs.

            Text from the store (title, summary, impact, names) can't ping a channel or embed a
            link: @channel, @here, @all, @everyone and links or images ([text](url), ![](url)) get
            an invisible word joiner that breaks the syntax, and Slack's <!channel> is escaped. The
            -m TEXT is treated the same unless --allow-mentions says it may ping and link.

            When the store's config.json has an update command ("updates": {"command": [...],
            "input": "text" | "slack-json"}), the update is written to that command's standard input
            (never its arguments) and recorded only if it exits 0. Keep the webhook address in a
            file the command reads (curl -K FILE), so it is neither in the process list nor in the
            store. config.json is shared through git, so each clone runs the command only once it
            has approved that exact command: irctl shows it with its digest, and --approve-hook
            DIGEST approves it (a changed command is asked again).
            --dry-run prints the draft and neither sends nor records it.
            """,
        options: [
            .value(
                "--state", value: "STATE", kind: .store(.states),
                help: "investigating, identified, monitoring or resolved (default: from the "
                    + "phase)"),
            .value(
                "-m", "--message", value: "TEXT",
                help: "what we know now (default: the incident's summary)"),
            .value(
                "--next", value: "TIME", kind: .time,
                help: "when the next update comes (default: in 30m; 'none' for no promise)"),
            .value(
                "--audience", value: "A", kind: .store(.audiences),
                help: "internal (default) or external: no names, links, id or severity"),
            .value(
                "--format", value: "F", kind: .store(.formats),
                help: "text (default), markdown or slack"),
            .flag(
                "--allow-mentions",
                help: "let the -m TEXT ping (@here, <!channel>) and carry links"),
            .flag("--dry-run", "-n", help: "print the draft only: don't record or send it"),
            .value(
                "--approve-hook", value: "DIGEST",
                help: "approve the store's update command as it is now (the digest shown)"),
            .at("when the update was sent, if not now"),
        ],
        examples: [
            "irctl update INC-1 -m \"rollback done, error rate falling\" --next 30m",
            "irctl update INC-1 --audience external --format slack",
            "irctl update INC-1 --state resolved --next none",
        ],
        run: run)

    /// The default promise: a common cadence for an active incident.
    static let defaultInterval: TimeInterval = 30 * 60

    static func run(_ invocation: Invocation) throws -> Int32 {
        let id = try invocation.requiredIncident()
        try invocation.expectPositionals(atMost: 1)
        let arguments = invocation.arguments
        let config = try invocation.config()
        let state = try arguments.value("state").map { text throws(ValueError) in
            try StatusUpdate.State.parse(text)
        }
        let audience =
            try arguments.value("audience").map { text throws(ValueError) in
                try StatusUpdate.Audience.parse(text)
            } ?? .internal
        let format =
            try arguments.value("format").map { text throws(ValueError) in
                try StatusUpdate.Format.parse(text)
            } ?? .text
        let at = try invocation.time("at")
        let sentAt = at ?? invocation.now
        let dryRun = arguments.flag("dry-run")
        let allowMentions = arguments.flag("allow-mentions")
        if allowMentions, arguments.value("message") == nil {
            throw UsageError(
                "--allow-mentions lets the -m TEXT ping a channel or carry links; "
                    + "give -m TEXT", command: "update")
        }
        let hook = dryRun ? nil : try UpdateHook.from(config)
        if dryRun, arguments.has("approve-hook") {
            throw UsageError(
                "--approve-hook runs the update command; it can't be combined with "
                    + "--dry-run", command: "update")
        }
        if let hook { try checkApproval(of: hook, invocation: invocation, id: id) }
        let context = try invocation.editContext(config: config)
        let redactor = context.redactor

        func draft(_ incident: Incident) throws -> (StatusUpdate, String) {
            guard incident.isOpen else { throw LifecycleError.closed(id) }
            var update = StatusUpdate(
                state: state ?? StatusUpdate.State(phase: incident.phase), audience: audience,
                format: format,
                message: arguments.value("message").map(redactor.redact),
                allowMentions: allowMentions)
            update.next = try next(
                arguments.value("next"), state: update.state, after: sentAt, invocation: invocation)
            let text = update.render(
                incident, severity: config.severityScheme.level(named: incident.severity),
                nextText: update.next.map { describe($0, invocation: invocation) })
            return (update, redactor.redact(text))
        }

        if dryRun {
            let (_, text) = try draft(try invocation.store.load(id))
            invocation.output.write(TerminalText.sanitize(text))
            invocation.output.note(
                "\(id): draft only (--dry-run): not recorded"
                    + (try UpdateHook.from(config) == nil ? "" : " or sent"))
            return ExitCode.success
        }

        // Sent before it is recorded: an update that never reached anyone is not on the timeline.
        var sent: (StatusUpdate, String)?
        if let hook {
            let prepared = try draft(try invocation.store.load(id))
            try HookRunner.run(
                hook, payload: hook.payload(prepared.1), invocation: invocation, id: id)
            sent = prepared
        }
        var entry: TimelineEntry?
        var final: (StatusUpdate, String)?
        let incident = try invocation.store.update(id) { incident in
            let (update, text) = try sent ?? draft(incident)
            final = (update, text)
            entry = try incident.recordUpdate(update, text: text, at: at, context: context)
        }
        invocation.noteStoreWritten()
        let (update, text) = final!
        if invocation.json {
            try invocation.printJSON(
                Recorded(
                    id: incident.id.description, state: update.state.rawValue,
                    audience: audience.rawValue,
                    format: format.rawValue, text: text, next: update.next, seq: entry!.seq,
                    sent: hook != nil))
        } else {
            invocation.output.write(TerminalText.sanitize(text))
        }
        var line =
            "\(incident.id): recorded update #\(entry!.seq) (\(update.state.rawValue), "
            + "\(audience.rawValue))"
        if hook != nil { line += ", sent through \(TerminalText.singleLine(hook!.command[0]))" }
        line +=
            update.next.map { "; next update by " + describe($0, invocation: invocation) }
            ?? "; no next update promised"
        invocation.output.note(line)
        return ExitCode.success
    }

    /// Runs only a hook this clone approved: the one `--approve-hook` names now, or one it
    /// approved before, byte for byte.
    static func checkApproval(of hook: UpdateHook, invocation: Invocation, id: IncidentID) throws {
        if let given = invocation.arguments.value("approve-hook") {
            let typed = given.trimmingCharacters(in: .whitespaces).lowercased()
            guard typed.count >= 16, hook.digest.hasPrefix(typed) else {
                throw UpdateHookError.approvalMismatch(
                    given: TerminalText.singleLine(given), command: hook.shown,
                    digest: hook.shortDigest)
            }
            try invocation.store.approve(hook.digest)
            return
        }
        guard !invocation.store.isApproved(hook.digest) else { return }
        throw UpdateHookError.notApproved(
            command: hook.shown, input: hook.input.rawValue,
            digest: hook.shortDigest, incident: id.description)
    }

    struct Recorded: Encodable {
        var id: String
        var state: String
        var audience: String
        var format: String
        var text: String
        var next: Date?
        var seq: Int
        var sent: Bool
    }

    /// `--next`: a future time (`30m`, `+30m`, `in 1h`, `15:30` …), `none`, or the default.
    static func next(
        _ text: String?, state: StatusUpdate.State, after sentAt: Date, invocation: Invocation
    ) throws -> Date? {
        guard let text else {
            return state == .resolved ? nil : sentAt.addingTimeInterval(defaultInterval)
        }
        if text.lowercased() == "none" { return nil }
        let input = TimeInput(now: sentAt, timeZone: invocation.timeZone)
        var date: Date
        do {
            date = try input.parse(text)
        } catch {
            // A bare duration ("30m") means from now.
            guard let later = try? input.parse("in " + text) else { throw error }
            date = later
        }
        date = Timestamp.wholeSeconds(date)
        // A bare clock time already past today means tomorrow's.
        if TimeInput.isBareClock(text), date <= sentAt { date = date.addingTimeInterval(86_400) }
        guard date > sentAt else {
            throw ValueError.invalidValue(
                option: "--next", value: text,
                expected: "a time after the update, e.g. 30m, 'in 1h' or 15:30 (or none)")
        }
        return date
    }

    /// `14:30 UTC`, `Nov 24 09:00 Europe/Berlin`: the time with its zone, for readers elsewhere.
    static func describe(_ date: Date, invocation: Invocation) -> String {
        let display = invocation.display
        let zone =
            display.utc || ["UTC", "GMT", "Etc/UTC"].contains(display.timeZone.identifier)
            ? "UTC" : display.timeZone.identifier
        return display.compact(date, relativeTo: invocation.now) + " " + zone
    }
}
