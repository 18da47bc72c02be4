import Foundation
import IncidentKit

/// `irctl site build [OUTDIR] [--public] [--since TIME] [--as-of TIME]`.
enum SiteCommand {
    static let defaultOutput = "irctl-site"

    static let command = Command(
        name: "site", summary: "build the static site: reports, archive, metrics, status page",
        discussion: """
            Builds a static site from the store into OUTDIR (default irctl-site/, which must be
            outside the store): index.html (open incidents by severity, the latest closed ones),
            incidents/INC-n.html (one page per incident, with an SVG timeline), archive.html (every
            incident; filters and search kept in the URL, e.g. archive.html?q=disk&service=db),
            metrics.html (time to detect, contain and recover by month), and status/, the public
            status page: components from config.json's statusPage, 90 days of history, incidents
            told only through external status updates ('irctl update --audience external'),
            status/feed.atom and status/api/v2/summary.json and incidents.json in the shape of
            Statuspage's public API. Nothing is fetched from a network; the pages open from file://.

            The status page never carries names, internal links, timeline texts, severities,
            services or internal updates, and is redacted with the store's rules. --public builds
            only status/ (and removes the internal pages an earlier build left in OUTDIR), so OUTDIR
            is safe to publish.

            Same store, same bytes: pages speak of the latest time the store records, not of the
            build's clock (--as-of TIME to choose; scripts bring ages up to the reader's clock).
            Incremental: OUTDIR/.irctl-site remembers what was built; after one change only that
            incident is read again, and a file is rewritten only when its bytes change.
            A read command: it never locks or writes the store.

            config.json:  "statusPage": { "name": "Acme status", "components": [
                            { "name": "Checkout", "services": ["checkout"], "description": "…" } ] }

            JSON: { output, incidents, rebuilt, written, unchanged, removed, warnings: [ … ] }.
            """,
        options: [
            .flag("--public", help: "build only status/, the public status page"),
            .value(
                "--since", value: "TIME", kind: .time,
                help: "only incidents detected at or after TIME"),
            .value(
                "--as-of", value: "TIME", kind: .time,
                help: "the pages' now (default: the latest time in the store)"),
        ],
        subcommands: [
            Subcommand(
                name: "build", summary: "build the site into OUTDIR (default irctl-site/)",
                arguments: [.optional("OUTDIR", .directory)],
                options: ["public", "since", "as-of"], run: run)
        ],
        examples: [
            "irctl site build", "irctl site build public-status --public",
            "irctl site build site --since '365d ago'",
        ])

    struct Summary: Encodable {
        var output: String
        var incidents: Int
        var rebuilt: Int
        var written: Int
        var unchanged: Int
        var removed: Int
        var warnings: [String]
    }

    static func run(_ invocation: Invocation) throws -> Int32 {
        try invocation.expectPositionals(atMost: 1)
        let output = invocation.positionals.first ?? defaultOutput
        guard !output.isEmpty else { throw UsageError("OUTDIR is empty", command: "site") }
        let since = try invocation.time("since", allowFuture: true)
        let asOf = try invocation.time("as-of", allowFuture: true)
        let config = try invocation.config()
        let builder = SiteBuilder(store: invocation.store, config: config)
        let report = try builder.build(
            .init(
                output: output,
                isPublic: invocation.arguments.flag("public"),
                since: since, asOf: asOf))
        invocation.warn(report.problems)
        for warning in report.warnings { invocation.output.warning(warning) }
        if invocation.json {
            try invocation.printJSON(
                Summary(
                    output: output, incidents: report.incidents,
                    rebuilt: report.rebuilt,
                    written: report.written, unchanged: report.unchanged,
                    removed: report.removed, warnings: report.warnings))
            return ExitCode.success
        }
        let start = invocation.arguments.flag("public") ? "status/index.html" : "index.html"
        invocation.output.note(
            "site: \(report.incidents) incidents (\(report.rebuilt) read), "
                + "\(report.written) files written, \(report.unchanged) unchanged, "
                + "\(report.removed) removed; open \(output)/\(start)")
        return ExitCode.success
    }
}
