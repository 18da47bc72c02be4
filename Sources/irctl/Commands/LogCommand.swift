import IncidentKit

enum LogCommand {
    static let command = Command(
        name: "log", summary: "append an entry to an incident's timeline",
        arguments: [.incident, .optional("TEXT | -")],
        discussion: """
            Appends TEXT to the timeline. With '-', or with no TEXT while standard input is piped,
            the text is read from standard input (up to 1 MiB), so command output can be logged
            as it is. Secrets in the text are redacted before it is written.

            Kinds: note (default), action (something done to production), decision, comms (a status
            update sent to stakeholders), alert.
            """,
        options: [
            .value(
                "--kind", "-k", value: "KIND", kind: .store(.kinds),
                help: "note, action, decision, comms or alert (default note)"),
            .value(
                "--at", value: "TIME", help: "when it happened, if not now (e.g. 14:02, 10m ago)"),
        ],
        examples: [
            "irctl log INC-1 \"error rate 12% since 14:02, started after deploy v2.4\"",
            "irctl log INC-1 --kind action \"rolled back to v2.3.1\"",
            "kubectl logs deploy/checkout --tail=50 | irctl log INC-1 -",
        ],
        run: { invocation in
            let id = try invocation.requiredIncident()
            let kind =
                try invocation.arguments.value("kind").map { text throws(ValueError) in
                    try EntryKind.parseLoggable(text)
                } ?? .note
            let at = try invocation.time("at")
            let text = try invocation.text(from: invocation.positionals.dropFirst(), what: "TEXT")
            let config = try invocation.config()
            let context = try invocation.editContext(config: config)
            var entry: TimelineEntry?
            let incident = try invocation.store.update(id) { incident in
                entry = try incident.log(text, kind: kind, at: at, context: context)
            }
            return try invocation.report(incident, "\(incident.id): logged \(kind) #\(entry!.seq)")
        })
}
