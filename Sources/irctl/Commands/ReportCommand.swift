import IncidentKit

/// `irctl report INCIDENT [-o FILE]`: one incident as one self-contained HTML file.
enum ReportCommand {
    static let command = Command(
        name: "report", summary: "one incident as a self-contained HTML page",
        arguments: [.incident],
        discussion: """
            The incident's page from 'irctl site build' as one file, its stylesheet and script
            inline: header, roles, phase times and metrics, an SVG timeline, the full timeline
            (struck entries struck), narrative, action items, runbook checklist, status updates,
            and whether its hash chains verify. Opens from file:// with no network, in light and
            dark mode, and prints cleanly (print to PDF for a document). Every text from the store
            is escaped. Same incident, same bytes.

            With -o the file is created or replaced atomically; a FILE inside the store is refused.
            A read command: it never locks or writes the store. With --json: { "id": …, "html": … }.
            """,
        options: [
            .value(
                "-o", "--output", value: "FILE", kind: .file,
                help: "write to FILE (created or replaced atomically) instead of stdout")
        ],
        examples: ["irctl report INC-1 -o INC-1.html"],
        run: { invocation in
            let id = try invocation.requiredIncident()
            try invocation.expectPositionals(atMost: 1)
            let incident = try invocation.store.load(id)
            let scheme = ((try? invocation.config()) ?? StoreConfig()).severityScheme
            let html = IncidentPage(incident: incident, scheme: scheme).render(report: true)
            if let path = invocation.arguments.value("output") {
                try ExportFile.write(
                    Array(html.utf8), to: path,
                    outsideOf: invocation.location.path)
                invocation.output.note("\(id): report written to \(path)")
                if invocation.json {
                    try invocation.printJSON([
                        "id": id.description,
                        "path": path,
                    ])
                }
                return ExitCode.success
            }
            if invocation.json {
                try invocation.printJSON(["id": id.description, "html": html])
            } else {
                invocation.output.write(html)
            }
            return ExitCode.success
        })
}
