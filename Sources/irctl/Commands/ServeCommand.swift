import Foundation
import Glibc
import IncidentKit

enum ServeCommand {
    static let command = Command(
        name: "serve",
        summary: "receive Alertmanager webhooks at POST /alertmanager; metrics at GET /metrics",
        discussion: """
            A small HTTP/1.1 server for Alertmanager's webhook receiver. Each notification posted to
            /alertmanager is applied to the store exactly as 'irctl ingest alertmanager' applies it,
            and answered 200 only once the change is on disk; 503 when the store can't be written
            (locked too long, full, bad config.json), so that Alertmanager retries.

            It listens on 127.0.0.1:9095 unless --listen says otherwise. Off loopback a bearer token
            is required: --token-file names a file holding it, and Alertmanager sends it with
            http_config.authorization.credentials_file. Plain HTTP: put TLS in a reverse proxy.

            Refusals, each with a one-line reason: 400 not a version 4 notification, 401 missing or
            wrong token, 404 another path, 405 not POST (not GET for /metrics), 408 request not
            sent within --request-timeout, 411 no Content-Length, 413 body over 4 MiB, 415 not
            application/json, 431 headers over 16 KiB, 503 too many connections.

            The token is checked as soon as its Authorization line arrives. Clients that have not
            authenticated may hold at most 3/4 of --max-connections, and 1/4 from one address; past
            that, the oldest of them (after a second) is closed to make room, so idle connections
            can't keep Alertmanager out.

            Entries are written as 'alertmanager' unless --as says otherwise; config.json (routes
            included) is read again for every notification. One line per request goes to standard
            error. SIGTERM or SIGINT stops it cleanly: requests under way finish, then it exits 0.

            GET /metrics answers in the Prometheus text format (0.0.4), with the same token rules
            (Prometheus: authorization.credentials_file in the scrape config). Made from the
            store's summary cache, so a scrape stays cheap on a large store:
              irctl_open_incidents{severity,phase}          gauge: open incidents
              irctl_incidents_declared_total{severity}      counter: incidents declared
              irctl_incidents_closed_total{severity}        counter: incidents closed
              irctl_time_to_detect_seconds                  summary (quantile 0.5, 0.9, _sum,
              irctl_time_to_contain_seconds                   _count) over every incident with
              irctl_time_to_recover_seconds                   the times it needs
              irctl_action_items_open                       gauge: action items not done
              irctl_action_items_overdue                    gauge: open ones past their due date
              irctl_seconds_since_status_update{incident,severity}
                                                            gauge, per open incident: since its
                                                            last status update (or detection)
            Counters count incidents by their severity now. A Grafana panel of open incidents by
            severity: sum by (severity) (irctl_open_incidents); an alert on a quiet incident:
            max by (incident) (irctl_seconds_since_status_update) > 1800.
            """,
        options: [
            .value(
                "--listen", value: "ADDR:PORT",
                help: "where to listen (default 127.0.0.1:9095; port 0 picks a free one)"),
            .value(
                "--token-file", value: "FILE", kind: .file,
                help: "require 'Authorization: Bearer TOKEN', TOKEN read from FILE"),
            .value(
                "--request-timeout", value: "SECONDS",
                help: "time a client has to send a whole request (default 10)"),
            .value(
                "--max-connections", value: "N",
                help: "connections served at once (default 32); 3/4 for clients not yet "
                    + "authenticated"),
            runbooksOption,
        ],
        json: false,
        examples: [
            "irctl serve",
            "irctl serve --listen 0.0.0.0:9095 --token-file /etc/irctl/alertmanager.token",
            "curl -H \"Authorization: Bearer $(cat token)\" http://127.0.0.1:9095/metrics",
        ],
        run: run)

    static func run(_ invocation: Invocation) throws -> Int32 {
        try invocation.expectPositionals(atMost: 0)
        let arguments = invocation.arguments
        let address =
            try arguments.value("listen").map { text throws(ValueError) in try ListenAddress(text) }
            ?? .defaultAddress
        let timeout =
            try number(
                arguments.value("request-timeout"), option: "--request-timeout", range: 0.1...3600)
            ?? 10
        let connections = Int(
            try number(
                arguments.value("max-connections"), option: "--max-connections", range: 1...1024)
                ?? 32)
        let token = try arguments.value("token-file").map {
            try readToken($0, invocation: invocation)
        }
        if token == nil, !address.isLoopback {
            throw UsageError(
                "listening on \(address) lets other machines post alerts; give --token-file FILE "
                    + "with a bearer token (Alertmanager: "
                    + "http_config.authorization.credentials_file)",
                command: "serve")
        }

        // Fail now, not on the first alert: the config must load and its routes' runbooks exist.
        let config = try invocation.config()
        let library = try invocation.runbookLibrary(config: config)
        for route in try config.alertSettings()?.routes ?? [] {
            if let runbook = route.runbook { _ = try library.find(runbook) }
        }

        let store = invocation.store
        // Entries are written by 'alertmanager' unless --as names someone (checked like any
        // author).
        let named =
            arguments.value("as").map {
                !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
            } ?? false
        let author = named ? try invocation.author(config: config) : "alertmanager"
        let runbooksOption = arguments.value("runbooks")
        let environment = invocation.system.environment
        let fixedNow = environment["IRCTL_NOW"].flatMap(Timestamp.parse)
        let storePath = invocation.location.path
        let serial = NSLock()
        let receiver = AlertReceiver(token: token.map(BearerToken.init)) { payload in
            // One notification at a time in this process; other processes wait on the store's lock.
            try serial.withLock {
                let config = try store.loadConfig(checking: Invocation.checkSections)
                let redactor = try config.redactor()
                let context = EditContext(
                    author: author, now: fixedNow ?? Date(), redactor: redactor)
                let library = RunbookLibrary(
                    directories: RunbookLibrary.searchDirectories(
                        option: runbooksOption, environment: environment, storeDirectory: storePath,
                        configured: config.runbooks))
                return try AlertIngest(config: config).ingest(
                    payload, store: store, context: context,
                    runbook: { name in try library.find(name) })
            }
        }
        let handler = ServeHandler(alerts: receiver) {
            // Under the notifications' lock: the read may bring the store's cache up to date.
            try serial.withLock {
                let config = try store.loadConfig()
                let summaries = store.summaries().summaries
                return MetricsExposition(
                    summaries, scheme: config.severityScheme, now: fixedNow ?? Date()
                ).text
            }
        }
        // Before any thread starts, so that every thread leaves SIGTERM and SIGINT to the server.
        HTTPServer<ServeHandler>.blockStopSignals()
        let listener = try Socket.listen(on: address)
        invocation.system.writeError(
            "irctl: listening on \(listener.address), POST \(AlertReceiver.path), "
                + "GET \(ServeHandler.metricsPath)"
                + (token == nil ? "" : " (bearer token required)")
                + "; store \(storePath)\n")
        // A refusal may quote what a client sent: the log gets it redacted, like every error irctl
        // prints.
        let logRedactor = try config.redactor()
        let server = HTTPServer(
            handler: handler, requestTimeout: timeout, maxConnections: connections,
            log: { line in logLine(logRedactor.redact(line)) })
        _ = server.run(on: listener)
        return ExitCode.success
    }

    private static func number(
        _ text: String?, option: String, range: ClosedRange<Double>
    ) throws -> Double? {
        guard let text else { return nil }
        guard let value = Double(text), range.contains(value) else {
            throw ValueError.invalidValue(
                option: option, value: text,
                expected: "a number from \(range.lowerBound.clean) to \(range.upperBound.clean)")
        }
        return value
    }

    private static func readToken(_ path: String, invocation: Invocation) throws -> String {
        guard let data = FileManager.default.contents(atPath: path), data.count <= 4096,
            let text = String(data: data, encoding: .utf8)
        else {
            throw ValueError.invalidValue(
                option: "--token-file", value: path,
                expected: "a readable file holding the bearer token")
        }
        let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty, !token.contains(where: { $0.isWhitespace || $0.isNewline }) else {
            throw ValueError.invalidValue(
                option: "--token-file", value: path,
                expected: "a file holding one token (no spaces), e.g. from 'openssl rand -hex 32'")
        }
        var info = stat()
        if stat(path, &info) == 0, info.st_mode & 0o077 != 0 {
            invocation.output.warning(
                "the token file \(path) is readable by other users; make it private with: chmod "
                    + "600 \(path)"
            )
        }
        return token
    }
}

/// One log line to standard error, straight away (the command's own output is written when it
/// ends).
@Sendable private func logLine(_ line: String) {
    let bytes = Array((line + "\n").utf8)
    var offset = 0
    while offset < bytes.count {
        let n = bytes.withUnsafeBytes {
            Glibc.write(2, $0.baseAddress! + offset, $0.count - offset)
        }
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { return }
        offset += n
    }
}

extension Double {
    fileprivate var clean: String { self == rounded() ? String(Int(self)) : String(self) }
}
