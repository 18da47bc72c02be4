import Foundation
import IncidentKit

enum SetCommand {
    /// The fields `set` sets, for help and completion.
    static let fields = ValueKind.words(
        ["title"] + NarrativeField.allCases.map(\.argument) + ["started", "detected"])

    static let command = Command(
        name: "set",
        summary: "set the title, a narrative field, or correct the start or detection time",
        forms: [
            UsageForm(
                arguments: [.incident, .required("FIELD", fields), .optional("TEXT | -")],
                options: ["at"]),
            UsageForm(
                arguments: [.incident, .required("FIELD", fields)], options: ["clear"],
                required: ["clear"]),
            UsageForm(
                arguments: [
                    .incident, .required("started|detected", .words(["started", "detected"])),
                    .required("TIME", .time),
                ], options: ["at"]),
        ],
        discussion: """
            Sets one field of the postmortem narrative, from the words given, from standard input
            with '-' (or when nothing is given and input is piped). Each change is an 'edit' entry
            on the timeline; secrets are redacted. Empty text is refused: clear a field with
            --clear.

            Fields: title, \(NarrativeField.allCases.map(\.argument).joined(separator: ", ")).

            'started' corrects when impact began (--clear: unknown) and 'detected' when the incident
            was detected; both record the old and new time. Impact can't begin after detection, and
            detection can't be after the declaration. Works on closed incidents too: postmortems are
            corrected after the review. To write several fields at once, use 'irctl edit'.
            """,
        options: [
            .flag("--clear", help: "clear the field (narrative fields and 'started' only)"),
            .at("when the change was made, if not now"),
        ],
        examples: [
            "irctl set INC-1 root-cause \"connection pool sized for the old instance type\"",
            "irctl set INC-1 summary - < summary.md",
            "irctl set INC-1 started \"yesterday 23:10\"",
            "irctl set INC-1 lucky --clear",
        ],
        run: run)

    static func run(_ invocation: Invocation) throws -> Int32 {
        let id = try invocation.requiredIncident()
        guard invocation.positionals.count >= 2 else {
            throw UsageError(
                "missing FIELD; use one of "
                    + "\(EditableField.all.map(\.argument).joined(separator: ", "))",
                command: "set")
        }
        let field = try EditableField.parse(invocation.positionals[1])
        let words = invocation.positionals.dropFirst(2)
        let clear = invocation.arguments.flag("clear")
        if clear, !words.isEmpty {
            throw UsageError("--clear takes no TEXT; give one or the other", command: "set")
        }

        let config = try invocation.config()
        let context = try invocation.editContext(config: config)
        let at = try invocation.time("at")
        let line: String
        let incident: StoredIncident
        switch field {
        case .title:
            if clear { throw EditError.cannotClear(id, "title") }
            let text = try invocation.text(from: words, what: "TEXT")
            incident = try invocation.store.update(id) {
                try $0.setTitle(text, at: at, context: context)
            }
            line = "\(id): title is now \(TerminalText.singleLine(incident.title))"
        case .narrative(let narrative):
            let text = clear ? nil : try invocation.text(from: words, what: "TEXT")
            incident = try invocation.store.update(id) {
                try $0.setNarrative(narrative, to: text, at: at, context: context)
            }
            line = "\(id): \(clear ? "cleared" : "set") \(narrative.argument)"
        case .started, .detected:
            var date: Date?
            if !clear {
                guard !words.isEmpty else {
                    throw UsageError(
                        "missing TIME for \(field.argument) (e.g. 14:02, '10m ago', "
                            + "2026-11-21T14:02Z)",
                        command: "set")
                }
                date = try invocation.time(
                    text: words.joined(separator: " "), option: field.argument)
            }
            if field == .started {
                incident = try invocation.store.update(id) {
                    try $0.setStarted(date, at: at, context: context)
                }
                line =
                    "\(id): impact started "
                    + (incident.startedAt.map { invocation.display.dateTime($0) } ?? "unknown")
            } else {
                guard let date else { throw EditError.cannotClear(id, "detection time") }
                incident = try invocation.store.update(id) {
                    try $0.setDetected(date, at: at, context: context)
                }
                line = "\(id): detected " + invocation.display.dateTime(incident.detectedAt)
            }
        }
        return try invocation.report(incident, line)
    }
}
