import IncidentKit

/// `irctl strike INCIDENT ENTRY --reason TEXT`: mark a mistaken entry struck.
enum StrikeCommand {
    static let command = Command(
        name: "strike", summary: "mark a mistaken timeline entry struck (it stays in the chain)",
        arguments: [.incident, .required("ENTRY")],
        discussion: """
            The timeline is append-only: a note logged to the wrong incident, or a wrong command
            record, is struck rather than deleted. ENTRY is the entry's number as 'irctl show'
            prints it (#4, or 4). A 'strike' entry records which entry (by its hash), who struck it
            and why; 'show' shows the entry struck, the postmortem leaves it out, and 'verify' still
            checks it. Notes, actions, decisions, comms, alerts and commands can be struck; a change
            (phase, severity, roles, edits, action items, runbook steps) is corrected with its own
            command.
            """,
        options: [
            .value(
                "--reason", value: "TEXT", required: true,
                help: "what was wrong with the entry (required)"),
            .at("when it was struck, if not now"),
        ],
        examples: ["irctl strike INC-1 4 --reason \"logged to the wrong incident\""],
        run: { invocation in
            let id = try invocation.requiredIncident()
            guard invocation.positionals.count >= 2 else {
                throw UsageError(
                    "missing ENTRY, the number 'irctl show \(id)' prints (e.g. 4)",
                    command: "strike")
            }
            try invocation.expectPositionals(atMost: 2)
            let word = invocation.positionals[1]
            let digits = word.hasPrefix("#") ? String(word.dropFirst()) : word
            guard let number = Int(digits), number > 0, digits.count <= 9 else {
                throw ValueError.invalidValue(
                    option: "ENTRY", value: word,
                    expected: "an entry number as 'irctl show \(id)' prints it, e.g. 4")
            }
            guard let reason = invocation.arguments.value("reason") else {
                throw UsageError(
                    "striking an entry needs --reason TEXT (what was wrong with it)",
                    command: "strike")
            }
            let config = try invocation.config()
            let context = try invocation.editContext(config: config)
            let at = try invocation.time("at")
            var entry: TimelineEntry?
            let incident = try invocation.store.update(id) { incident in
                entry = try incident.strike(seq: number, reason: reason, at: at, context: context)
            }
            return try invocation.report(
                incident, "\(incident.id): struck #\(number) (strike entry #\(entry!.seq))")
        })
}
