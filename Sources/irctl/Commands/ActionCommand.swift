import Foundation
import IncidentKit

/// `irctl action add|done|reopen|edit` and `irctl actions`.
enum ActionCommand {
    static let command = Command(
        name: "action", summary: "add, finish, reopen or edit an incident's follow-up action items",
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
                "--due", value: "TIME", kind: .time,
                help: "when it is due (+3d, 'in 2w', 2026-12-01; 'none' with edit)"),
            .value(
                "--type", value: "TYPE",
                kind: .words(ActionItem.ItemType.allCases.map(\.rawValue)),
                help: "mitigate, prevent, process or detect"),
            .value(
                "--priority", "-p", value: "P", kind: .words(["P1", "P2", "P3"]),
                help: "P1, P2 or P3"),
            .value("--text", value: "TEXT", help: "new text (edit)"),
            .value("-m", "--message", value: "NOTE", help: "a note recorded with done or reopen"),
            .at("when it was added, done, reopened or edited, if not now"),
        ],
        subcommands: [
            Subcommand(
                name: "add", summary: "add an action item",
                arguments: [.incident, .required("TEXT")],
                options: ["owner", "due", "type", "priority", "at"],
                examples: [
                    "irctl action add INC-1 \"alert on connection pool saturation\" --owner bob"
                        + " --due +7d --type detect -p P2"
                ],
                run: add),
            Subcommand(
                name: "done", summary: "mark an action item done",
                arguments: [.incident, .required("ITEM")], options: ["message", "at"],
                examples: ["irctl action done INC-1 A1 -m \"alert live, see PR 4411\""],
                run: { try finish($0, done: true) }),
            Subcommand(
                name: "reopen", summary: "open a done action item again",
                arguments: [.incident, .required("ITEM")], options: ["message", "at"],
                examples: ["irctl action reopen INC-1 A1 -m \"the alert never fired\""],
                run: { try finish($0, done: false) }),
            Subcommand(
                name: "edit",
                summary: "change an action item's text, owner, due date, type or priority",
                arguments: [.incident, .required("ITEM")],
                options: ["text", "owner", "due", "type", "priority", "at"],
                examples: ["irctl action edit INC-1 A2 --due \"in 2 weeks\""],
                run: edit),
        ],
        subcommandNoun: "action",
        examples: [
            "irctl action add INC-1 \"alert on connection pool saturation\" --owner bob --due +7d"
                + " --type detect -p P2",
            "irctl action done INC-1 A1 -m \"alert live, see PR 4411\"",
            "irctl action edit INC-1 A2 --due \"in 2 weeks\"",
        ])

    /// The incident, from the first word after the subcommand.
    private static func incident(_ invocation: Invocation) throws -> IncidentID {
        guard let first = invocation.positionals.first else {
            throw UsageError("missing INCIDENT (an id such as INC-7)", command: "action")
        }
        return try invocation.incidentID(first)
    }

    /// The item named after the incident, the last word.
    private static func itemID(_ invocation: Invocation) throws -> String {
        let words = invocation.positionals
        guard words.count >= 2 else {
            throw UsageError("missing ITEM (an action item id such as A2)", command: "action")
        }
        try invocation.expectPositionals(atMost: 2)
        return try ActionItem.parseID(words[1])
    }

    static func add(_ invocation: Invocation) throws -> Int32 {
        let id = try incident(invocation)
        let config = try invocation.config()
        let context = try invocation.editContext(config: config)
        let at = try invocation.time("at")
        var change = try self.change(invocation)
        change.text = try invocation.text(from: invocation.positionals.dropFirst(), what: "TEXT")
        var item: ActionItem?
        let incident = try invocation.store.update(id) {
            item = try $0.addActionItem(change, at: at, context: context)
        }
        return try invocation.report(incident, "\(id): added action item \(item!.id)")
    }

    static func finish(_ invocation: Invocation, done: Bool) throws -> Int32 {
        let id = try incident(invocation)
        let item = try itemID(invocation)
        let config = try invocation.config()
        let context = try invocation.editContext(config: config)
        let at = try invocation.time("at")
        let note = invocation.arguments.value("message")
        var changed: ActionItem?
        let incident = try invocation.store.update(id) { incident in
            changed =
                done
                ? try incident.completeActionItem(item, note: note, at: at, context: context)
                : try incident.reopenActionItem(item, note: note, at: at, context: context)
        }
        return try invocation.report(
            incident, "\(id): \(named(changed!, asked: item)) \(done ? "done" : "reopened")")
    }

    static func edit(_ invocation: Invocation) throws -> Int32 {
        let id = try incident(invocation)
        let item = try itemID(invocation)
        let config = try invocation.config()
        let context = try invocation.editContext(config: config)
        let at = try invocation.time("at")
        var change = try self.change(invocation)
        change.text = invocation.arguments.value("text")
        if let due = invocation.arguments.value("due"), due.lowercased() == "none" {
            change.due = .some(nil)
        }
        var changed: ActionItem?
        let incident = try invocation.store.update(id) {
            changed = try $0.editActionItem(item, change, at: at, context: context)
        }
        return try invocation.report(incident, "\(id): \(named(changed!, asked: item)) updated")
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
            .value(
                "--incident", value: "INCIDENT", kind: .incident, help: "only this incident's items"
            ),
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
