import Foundation
import IncidentKit

enum SimilarCommand {
    static let command = Command(
        name: "similar", summary: "past incidents like this one",
        arguments: [.incident],
        discussion: """
            Finds incidents alike by the words of the title, the services and the alert names
            (each hit shares at least two of them with INCIDENT), best first, shown as 'irctl
            search' shows hits: for a closed one, what its root cause (or resolution) was.
            'irctl declare' prints the first three as 'similar:' lines (off with --no-similar, or
            "similar": false in config.json), and 'irctl show' lists them.

            With --json: {"incident", "hits": [...]}, each hit as 'irctl search --json' prints it.
            """,
        options: [
            .flag("--all", "-a", help: "every similar incident, not only the first --limit"),
            .value("--limit", "-n", value: "N", help: "at most N (default 10)"),
        ],
        examples: ["irctl similar INC-12", "irctl similar 12 --limit 3 --json"],
        run: run)

    static func run(_ invocation: Invocation) throws -> Int32 {
        let id = try invocation.requiredIncident()
        try invocation.expectPositionals(atMost: 1)
        let limit = try SearchCommand.limit(invocation)
        let incident = try invocation.store.load(id)
        let hits = invocation.store.similar(to: incident, limit: limit ?? Int.max)
        if invocation.json {
            try invocation.printJSON(
                JSONResult(
                    incident: incident.id.description,
                    hits: hits.map(SearchCommand.JSONHit.init)))
            return ExitCode.success
        }
        guard !hits.isEmpty else {
            invocation.output.note("no past incident is like \(incident.id)")
            return ExitCode.success
        }
        invocation.output.write(SearchCommand.render(hits, invocation: invocation))
        return ExitCode.success
    }

    struct JSONResult: Encodable {
        var incident: String
        var hits: [SearchCommand.JSONHit]
    }

    /// The one-line hints `declare` and `show` print: at most three, quickly (a command on one
    /// incident stays as fast at any store size).
    static func hints(for incident: Incident, invocation: Invocation) -> [String] {
        invocation.store.similar(to: incident, limit: 3, quick: true).map {
            hint($0, invocation: invocation)
        }
    }

    /// "INC-42 · 2026-03-01 · root cause: pool exhausted after deploy"
    static func hint(_ hit: SearchHit, invocation: Invocation) -> String {
        let what = hit.answer.map { "\($0.label): \($0.text)" } ?? hit.title
        var line =
            "INC-\(hit.number) · \(invocation.display.date(hit.date)) · "
            + TerminalText.singleLine(what)
        if let width = invocation.output.width { line = truncate(line, to: max(20, width - 9)) }
        return line
    }
}
