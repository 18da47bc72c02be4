import IncidentKit

enum PostmortemCommand {
    static let command = Command(
        name: "postmortem", aliases: ["pm"],
        summary: "write a blameless postmortem draft in markdown",
        arguments: [.incident],
        discussion: """
            Renders the incident as a markdown postmortem: a header table, Summary, Impact,
            Detection, Response metrics (time to detect, declare, contain, recover, impact duration,
            time in each phase), the Timeline (UTC, T+ offsets from detection, phase changes in
            bold), Root cause and trigger, Contributing factors, Resolution and recovery, What went
            well, What went wrong, Where we got lucky, Action items, Lessons learned, Responders,
            and a Mermaid gantt chart of the phases. Empty sections show what belongs there, in
            italics, so the output is a working draft; fill them with 'irctl set' or 'irctl edit'.

            The output depends only on the incident (same incident, same bytes), and text from the
            incident is escaped so it can't break the document. With -o the file is created or
            replaced atomically; a FILE inside the store (however it is spelled: '..', a symbolic
            link) is refused. A read command: it never locks or writes the store.
            With --json: { "id": …, "markdown": … }.
            """,
        options: [
            .value(
                "-o", "--output", value: "FILE", kind: .file,
                help: "write to FILE (created or replaced atomically) instead of stdout")
        ],
        examples: [
            "irctl postmortem INC-1", "irctl postmortem INC-1 -o docs/postmortems/INC-1.md",
        ],
        run: { invocation in
            let id = try invocation.requiredIncident()
            try invocation.expectPositionals(atMost: 1)
            let incident = try invocation.store.load(id)
            let scheme = ((try? invocation.config()) ?? StoreConfig()).severityScheme
            let (changes, problems) = invocation.store.changes()
            for problem in problems { invocation.output.warning(problem.message) }
            let original = incident.closedAs?.original.flatMap {
                try? invocation.store.load(uid: $0).id
            }
            let markdown = PostmortemRenderer(
                incident: incident, scheme: scheme, changes: changes, duplicateOf: original
            ).render()
            if let path = invocation.arguments.value("output") {
                try ExportFile.write(
                    Array(markdown.utf8), to: path, outsideOf: invocation.location.path)
                invocation.output.note("\(id): postmortem written to \(path)")
                if invocation.json {
                    try invocation.printJSON(["id": id.description, "path": path])
                }
                return ExitCode.success
            }
            if invocation.json {
                try invocation.printJSON(["id": id.description, "markdown": markdown])
            } else {
                invocation.output.write(markdown)
            }
            return ExitCode.success
        })
}
