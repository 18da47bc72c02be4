import Foundation
import IncidentKit

/// `irctl evidence INCIDENT promql QUERY`: a Prometheus range query kept on the timeline.
enum EvidenceCommand {
    static let command = Command(
        name: "evidence", summary: "keep a Prometheus query's series on an incident's timeline",
        arguments: [.incident, .required("promql", .words(["promql"])), .required("QUERY")],
        discussion: """
            Asks a Prometheus server for QUERY over a time range (its HTTP API's
            /api/v1/query_range) and stores the query, the range, the step and the series it
            returned as one hashed 'evidence' entry: the data stays with the incident after the
            server's retention (15 days by default) has dropped it. 'show' draws each series as a
            sparkline, the postmortem adds an Evidence section, and the site a chart.

            The range defaults to 30 minutes before impact began (or detection) until recovery (or
            now). --step defaults to the range divided into 250 points, at least 1s. At most 20
            series and 500 points a series are kept (series sorted by their labels; points thinned
            evenly); the entry says what was cut. An answer over 32 MiB is refused.

            The server: --url, else config.json's "prometheus": {"url": "http://HOST:9090"}. Plain
            HTTP only: reach an https server through a proxy (kubectl port-forward, stunnel).
            Prometheus's own error is shown for a bad query; an unreachable server, a timeout
            (--timeout, default 30 seconds) or an answer that is too large stores nothing.
            """,
        options: [
            .value(
                "--from", value: "TIME", kind: .time,
                help: "start of the range (default: 30m before impact)"),
            .value(
                "--to", value: "TIME", kind: .time,
                help: "end of the range (default: recovery, or now)"),
            .value(
                "--step", value: "DURATION",
                help: "time between points: 15s, 1m, 5m (default: the range / 250)"),
            .value(
                "--url", value: "URL", help: "the Prometheus server, e.g. http://localhost:9090"),
            .value(
                "--timeout", value: "SECONDS",
                help: "how long to wait for the answer (default 30)"),
        ],
        examples: [
            "irctl evidence INC-1 promql 'sum(rate(http_requests_total{code=~\"5..\"}[5m]))'",
            "irctl evidence INC-1 promql 'up{job=\"checkout\"}' --from 14:00 --to 15:30 --step 1m",
        ],
        run: run)

    static func run(_ invocation: Invocation) throws -> Int32 {
        let id = try invocation.requiredIncident()
        guard invocation.positionals.count >= 2 else {
            throw UsageError("missing the source: promql, then QUERY", command: "evidence")
        }
        guard invocation.positionals[1] == "promql" else {
            let source = TerminalText.singleLine(String(invocation.positionals[1].prefix(40)))
            throw UsageError(
                "unknown evidence source '\(source)'; the source is promql", command: "evidence")
        }
        guard invocation.positionals.count >= 3 else {
            throw UsageError("missing QUERY (PromQL, quoted)", command: "evidence")
        }
        try invocation.expectPositionals(atMost: 3)
        let query = invocation.positionals[2]
        guard !query.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ValueError.empty(what: "QUERY")
        }
        let config = try invocation.config()
        let context = try invocation.editContext(config: config)
        guard let urlText = invocation.arguments.value("url") ?? config.prometheus?.url else {
            throw EvidenceError.noURL
        }
        let server = try HTTPBaseURL(urlText)
        var timeout = 30.0
        if let text = invocation.arguments.value("timeout") {
            guard let seconds = Double(text), seconds > 0, seconds <= 600 else {
                throw ValueError.invalidValue(
                    option: "--timeout", value: text, expected: "seconds from 0.1 to 600")
            }
            timeout = seconds
        }
        // Refused before the server is asked: a closed or unknown incident can't take evidence.
        let incident = try invocation.store.load(id)
        guard incident.isOpen else { throw LifecycleError.closed(id) }
        let impact = incident.startedAt ?? incident.detectedAt
        let from = try invocation.time("from") ?? impact.addingTimeInterval(-30 * 60)
        let to =
            try invocation.time("to", allowFuture: true) ?? incident.phaseTimes.recoveredAt
            ?? invocation.now
        var step = max(1, (to.timeIntervalSince(from) / 250).rounded(.up))
        if let text = invocation.arguments.value("step") {
            step = try DurationInput.parse(text, option: "--step")
        }
        let evidence = try PrometheusQuery(server: server, timeout: timeout).range(
            query, from: from, to: to, step: step)
        var entry: TimelineEntry?
        let updated = try invocation.store.update(id) { incident in
            entry = try incident.addEvidence(evidence, context: context)
        }
        let count = evidence.series.count == 1 ? "1 series" : "\(evidence.series.count) series"
        let status = try invocation.report(
            updated,
            "\(updated.id): evidence #\(entry!.seq) stored: \(count), \(evidence.pointsKept) points"
        )
        if !invocation.json {
            for line in evidence.sparklineLines() {
                invocation.output.line("  " + TerminalText.sanitize(line))
            }
        }
        return status
    }
}
