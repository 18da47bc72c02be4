import Foundation
import IncidentKit

/// `irctl action add|done|reopen|edit` and `irctl actions`.
enum ActionCommand {
    static let command = Command(
        name: "action", summary: "add, finish, reopen or edit an incident's follow-up action items",
        usage: [
            "action add INCIDENT TEXT [--owner NAME] [--due TIME] [--type TYPE] [--priority P1..P3] [--at TIME]",
            "action done INCIDENT ITEM [-m NOTE] [--at TIME]",
            "action reopen INCIDENT ITEM [-m NOTE] [--at TIME]",
            "action edit INCIDENT ITEM [--text TEXT] [--owner NAME] [--due TIME|none] [--type TYPE] [--priority P] [--at TIME]",
        ],
        discussion: """
            Action items are the follow-ups of a postmortem, numbered A1, A2 … per incident. Each
            change is an 'action-item' entry on the timeline. They can be added to and changed on
            closed incidents: follow-ups outlive the incident.

            --due takes any time, including future ones: +3d, 'in 2 weeks', tomorrow, 2026-12-01
            (a date alone is that day wherever the reader is: it is stored as its noon UTC).
            Types: mitigate (reduce the impact), prevent (remove the cause), process (how we work),
            detect (find out sooner). Priorities: P1 (most urgent), P2, P3.
            With 'edit', --owner '' removes the owner and --due none the due date.
            """,
        options: [
            .value("--owner", value: "NAME", help: "who will do it"),
            .value(
                "--due", value: "TIME",
                help: "when it is due (+3d, 'in 2w', 2026-12-01; 'none' with edit)"),
            .value("--type", value: "TYPE", help: "mitigate, prevent, process or detect"),
            .value("--priority", "-p", value: "P", help: "P1, P2 or P3"),
            .value("--text", value: "TEXT", help: "new text (edit)"),
            .value("--message", "-m", value: "NOTE", help: "a note recorded with done or reopen"),
            .at("when it was added, done, reopened or edited, if not now"),
        ],
        examples: [
            "irctl action add INC-1 \"alert on connection pool saturation\" --owner bob --due +7d --type detect -p P2",
            "irctl action done INC-1 A1 -m \"alert live, see PR 4411\"",
            "irctl action edit INC-1 A2 --due \"in 2 weeks\"",
        ],
        run: run)

    static func run(_ invocation: Invocation) throws -> Int32 {
        guard let verb = invocation.positionals.first else {
            throw UsageError("missing what to do: add, done, reopen or edit", command: "action")
        }
        let rest = Array(invocation.positionals.dropFirst())
        guard let first = rest.first else {
            throw UsageError("missing INCIDENT (an id such as INC-7)", command: "action")
        }
        let id = try invocation.incidentID(first)
        let arguments = invocation.arguments
        func refuse(_ options: [String]) throws {
            if let given = options.first(where: arguments.has) {
                throw UsageError("--\(given) does not apply to 'action \(verb)'", command: "action")
            }
        }
        func itemID() throws -> String {
            guard rest.count >= 2 else {
                throw UsageError("missing ITEM (an action item id such as A2)", command: "action")
            }
            guard rest.count == 2 else {
                throw UsageError(
                    "unexpected argument '\(TerminalText.singleLine(String(rest[2].prefix(60))))'",
                    command: "action")
            }
            return try ActionItem.parseID(rest[1])
        }
        let config = try invocation.config()
        let context = try invocation.editContext(config: config)
        let at = try invocation.time("at")
        let store = invocation.store

        switch verb {
        case "add":
            try refuse(["text", "message"])
            var change = try self.change(invocation)
            change.text = try invocation.text(from: rest.dropFirst()[...], what: "TEXT")
            var item: ActionItem?
            let incident = try store.update(id) {
                item = try $0.addActionItem(change, at: at, context: context)
            }
            return try invocation.report(incident, "\(id): added action item \(item!.id)")
        case "done", "reopen":
            try refuse(["owner", "due", "type", "priority", "text"])
            let item = try itemID()
            let note = arguments.value("message")
            var changed: ActionItem?
            let incident = try store.update(id) { incident in
                changed =
                    verb == "done"
                    ? try incident.completeActionItem(item, note: note, at: at, context: context)
                    : try incident.reopenActionItem(item, note: note, at: at, context: context)
            }
            let done = verb == "done" ? "done" : "reopened"
            return try invocation.report(incident, "\(id): \(named(changed!, asked: item)) \(done)")
        case "edit":
            try refuse(["message"])
            let item = try itemID()
            var change = try self.change(invocation)
            change.text = arguments.value("text")
            if let due = arguments.value("due"), due.lowercased() == "none" {
                change.due = .some(nil)
            }
            var changed: ActionItem?
            let incident = try store.update(id) {
                changed = try $0.editActionItem(item, change, at: at, context: context)
            }
            return try invocation.report(incident, "\(id): \(named(changed!, asked: item)) updated")
        default:
            var message =
                "unknown action '\(TerminalText.singleLine(String(verb.prefix(40))))'; use add, done, reopen or edit"
            if IncidentID(verb) != nil || verb.uppercased().hasPrefix("INC-") {
                message += " before the incident (irctl action add \(verb) TEXT)"
            }
            throw UsageError(message, command: "action")
        }
    }

    /// The item by its number, and the number asked for when that was one it had before.
    static func named(_ item: ActionItem, asked: String) -> String {
        item.id == asked ? item.id : "\(item.id) (renumbered from \(asked))"
    }

    /// Owner, due, type and priority from the options.
    static func change(_ invocation: Invocation) throws -> ActionItemChange {
        let arguments = invocation.arguments
        var change = ActionItemChange()
        change.owner = arguments.value("owner")
        if let text = arguments.value("due"), text.lowercased() != "none" {
            change.due = .some(try dueDate(text, invocation: invocation))
        }
        change.type = try arguments.value("type").map { text throws(ValueError) in
            try ActionItem.parseType(text)
        }
        change.priority = try arguments.value("priority").map { text throws(ValueError) in
            try ActionItem.parsePriority(text)
        }
        return change
    }

    /// A due date or time. A date alone (`2026-12-01`) names a day, not a local midnight: it is
    /// stored as that day's noon UTC, so it reads as that day in the postmortem (UTC) and in
    /// every zone from UTC−11 to UTC+11.
    static func dueDate(_ text: String, invocation: Invocation) throws -> Date {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.utf8.count == 10, let noon = Timestamp.parse(trimmed + "T12:00:00Z") {
            return noon
        }
        return Timestamp.wholeSeconds(
            try TimeInput(now: invocation.now, timeZone: invocation.timeZone).parse(text))
    }

    // MARK: irctl actions

    static let list = Command(
        name: "actions", summary: "list action items across all incidents, overdue first",
        usage: ["actions [--open] [--owner NAME] [--overdue] [--incident INCIDENT] [--csv]"],
        discussion: """
            Lists the action items of every incident: overdue ones first, then by due date (none
            last), then priority. Only incidents that have action items are read, found through the
            store's index. JSON: an array of objects with incident, incidentTitle, id, text, owner,
            due, type, priority, status, createdAt, doneAt, note and overdue. --csv prints the same
            fields as RFC 4180 CSV with a header row (times in UTC ISO 8601).
            """,
        options: [
            .flag("--open", help: "only open items"),
            .flag("--overdue", help: "only open items past their due date"),
            .value("--owner", value: "NAME", help: "only items owned by NAME"),
            .value("--incident", value: "INCIDENT", help: "only this incident's items"),
            .flag("--csv", help: "print CSV (RFC 4180, a header row) instead of a table"),
        ],
        examples: [
            "irctl actions --open", "irctl actions --owner bob --overdue", "irctl actions --json",
            "irctl actions --open --csv > follow-ups.csv",
        ],
        run: runList)

    struct Row: Encodable {
        var incident: IncidentID
        var incidentTitle: String
        var item: ActionItem
        var overdue: Bool

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Key.self)
            try c.encode(incident, forKey: Key("incident"))
            try c.encode(incidentTitle, forKey: Key("incidentTitle"))
            try c.encode(overdue, forKey: Key("overdue"))
            try item.encode(to: encoder)
        }

        struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(_ string: String) { stringValue = string }
            init?(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }
    }

    static func runList(_ invocation: Invocation) throws -> Int32 {
        try invocation.expectPositionals(atMost: 0)
        let arguments = invocation.arguments
        if invocation.json, arguments.flag("csv") {
            throw UsageError("--json and --csv exclude each other; give one", command: "actions")
        }
        let now = invocation.now
        let only = try arguments.value("incident").map(invocation.incidentID)
        let openOnly = arguments.flag("open") || arguments.flag("overdue")
        let (summaries, problems) = invocation.store.summaries()
        invocation.warn(problems)
        var rows: [Row] = []
        for summary in summaries
        where summary.actionItemCount > 0 && (only.map { $0 == summary.id } ?? true) {
            if openOnly, summary.openActionItems == 0 { continue }
            if arguments.flag("overdue"), !summary.openActionItemsDue.contains(where: { $0 < now })
            {
                continue
            }
            let incident: Incident
            do { incident = try invocation.store.load(summary.id) } catch {
                invocation.output.warning(error.message)
                continue
            }
            for item in incident.actionItems {
                let overdue = item.isOverdue(at: now)
                if openOnly, item.status != .open { continue }
                if arguments.flag("overdue"), !overdue { continue }
                if let owner = arguments.value("owner"), item.owner != owner { continue }
                rows.append(
                    Row(
                        incident: incident.id, incidentTitle: incident.title, item: item,
                        overdue: overdue))
            }
        }
        rows.sort(by: order)
        if invocation.json {
            try invocation.printJSON(rows)
            return ExitCode.success
        }
        if arguments.flag("csv") {
            func time(_ date: Date?) -> String { date.map(Timestamp.format) ?? "" }
            invocation.output.write(
                CSV.document(
                    header: [
                        "incident", "incidentTitle", "id", "text", "owner", "due", "type",
                        "priority", "status", "overdue",
                        "createdAt", "doneAt", "note",
                    ],
                    rows: rows.map { row in
                        let item = row.item
                        return [
                            row.incident.description, row.incidentTitle, item.id, item.text,
                            item.owner ?? "", time(item.due),
                            item.type?.rawValue ?? "", item.priority ?? "", item.status.rawValue,
                            row.overdue ? "true" : "false",
                            time(item.createdAt), time(item.doneAt), item.note ?? "",
                        ]
                    }))
            return ExitCode.success
        }
        guard !rows.isEmpty else {
            invocation.output.note(
                arguments.has("open") || arguments.has("overdue") || arguments.has("owner")
                    || arguments.has("incident")
                    ? "no action items match" : "no action items yet")
            return ExitCode.success
        }
        let style = invocation.output.style
        var table = Table(
            columns: [
                .init(header: "INCIDENT", dropPriority: nil),
                .init(header: "ITEM", dropPriority: nil),
                .init(header: "STATUS", dropPriority: 5),
                .init(header: "DUE", dropPriority: 4),
                .init(header: "P", dropPriority: 2),
                .init(header: "TYPE", dropPriority: 1),
                .init(header: "OWNER", dropPriority: 3),
                .init(header: "ACTION", dropPriority: nil, flexible: true),
            ], rows: [])
        for row in rows {
            let item = row.item
            let status = row.overdue ? "overdue" : item.status.rawValue
            table.rows.append([
                row.incident.description, item.id, status,
                item.due.map { invocation.display.date($0) } ?? "—", item.priority ?? "—",
                item.type?.rawValue ?? "—", TerminalText.singleLine(item.owner ?? "—"),
                TerminalText.singleLine(item.text),
            ])
            let styler: ((String) -> String)? =
                row.overdue ? { style.red($0) } : (item.status == .done ? { style.dim($0) } : nil)
            table.stylers.append([
                nil, nil, styler, row.overdue ? { style.red($0) } : nil, nil, nil, nil, nil,
            ])
        }
        invocation.output.write(table.render(width: invocation.output.width, style: style))
        return ExitCode.success
    }

    /// Overdue first, then open before done, then by due date (none last), priority (none last),
    /// incident and item number.
    static func order(_ a: Row, _ b: Row) -> Bool {
        if a.overdue != b.overdue { return a.overdue }
        if (a.item.status == .open) != (b.item.status == .open) { return a.item.status == .open }
        switch (a.item.due, b.item.due) {
        case (let x?, let y?) where x != y: return x < y
        case (.some, nil): return true
        case (nil, .some): return false
        default: break
        }
        let pa = a.item.priority ?? "P9"
        let pb = b.item.priority ?? "P9"
        if pa != pb { return pa < pb }
        if a.incident != b.incident { return a.incident < b.incident }
        return a.item.number < b.item.number
    }
}
