import Foundation
import Glibc
import Testing

/// The real thing: Debian's `prometheus` (installed by `.ci/run`) scrapes `irctl serve`'s
/// `/metrics` with the bearer token every second; its query API must show what the store holds,
/// before and after a change, and `irctl evidence` queries that same server and keeps the series.
/// Every wait is bounded by progress (generously); every process started is stopped.
@Suite(.timeLimit(.minutes(10))) struct PrometheusEndToEndTests {
    static let token = "prom-e2e-" + UUID().uuidString.lowercased()
    static let openSEV2 = #"irctl_open_incidents{severity="SEV2",phase="declare"}"#

    @Test func prometheusScrapesServeAndEvidenceQueriesIt() throws {
        let binary = try #require(
            Prometheus.binary(),
            "prometheus is not installed: install the Debian package prometheus (bash .ci/run does)"
        )
        let box = try Sandbox()
        let tokenPath = box.root + "/token"
        try Data(Self.token.utf8).write(to: URL(fileURLWithPath: tokenPath))
        chmod(tokenPath, 0o600)
        let serve = try ServeProcess(box, ["--token-file", tokenPath])
        let prometheus = try Prometheus(
            binary: binary, directory: box.root + "/prom", target: "127.0.0.1:\(serve.port)",
            tokenFile: tokenPath)
        defer { prometheus.stop() }
        try prometheus.waitUntilReady()
        func logs() -> String { serve.log + "\n" + prometheus.log }

        // Before: the scrape works (with the token) and shows no open SEV2 incident.
        #expect(
            try prometheus.waitFor("the first scrape", log: logs) {
                try prometheus.value(#"up{job="irctl"}"#)
            } == "1")
        #expect(
            try prometheus.waitFor("zero open", log: logs) { try prometheus.value(Self.openSEV2) }
                == "0")

        // A change: declaring shows up in Prometheus once it has scraped again.
        try box.ok(["declare", "Checkout returns 5xx", "-s", "SEV2", "--service", "checkout"])
        _ = try prometheus.waitFor("the declared incident", log: logs) {
            try prometheus.value(Self.openSEV2) == "1" ? true : nil
        }
        #expect(
            try prometheus.value(#"irctl_incidents_declared_total{severity="SEV2"}"#) == "1")
        #expect(
            try prometheus.value(#"irctl_seconds_since_status_update{incident="INC-1"}"#) != nil)
        // And back: contained, then closed.
        try box.ok(["close", "1", "--force", "-m", "false alarm"])
        _ = try prometheus.waitFor("the close", log: logs) {
            try prometheus.value(#"irctl_incidents_closed_total{severity="SEV2"}"#) == "1"
                ? true : nil
        }
        #expect(try prometheus.value(Self.openSEV2) == "0")

        // Evidence from the same server, on a second incident: the series holds both values.
        try box.ok(["declare", "Payments slow", "-s", "SEV2"])
        let url = "http://127.0.0.1:\(prometheus.port)"
        let stored = try box.ok([
            "evidence", "2", "promql", Self.openSEV2, "--url", url, "--from", "10m ago",
            "--step", "1s",
        ])
        #expect(stored.hasPrefix("INC-2: evidence #3 stored: 1 series, "), "\(stored)")
        let show = try #require(
            try Sandbox.json(box.ok(["show", "2", "--json"])) as? [String: Any])
        let entry = try #require(
            (show["timeline"] as? [[String: Any]])?.first { $0["kind"] as? String == "evidence" })
        let data = try #require(entry["data"] as? [String: String])
        #expect(data["query"] == Self.openSEV2 && data["source"] == url && data["step"] == "1")
        let series = try #require(
            try Sandbox.json(data["series"] ?? "") as? [[String: Any]])
        let values = Set(
            (series.first?["points"] as? [[Any]] ?? []).compactMap { $0.last as? String })
        #expect(values.isSuperset(of: ["0", "1"]), "\(values)")
        let shown = try box.ok(["show", "2"])
        #expect(shown.contains("evidence  PromQL irctl_open_incidents"), "\(shown)")
        #expect(shown.contains("  0–1  irctl_open_incidents{instance="), "a sparkline line")
        let markdown = try box.ok(["postmortem", "2"])
        #expect(markdown.contains("## Evidence\n") && markdown.contains("```text\n"))
        #expect(try box.run(["verify"]).status == 0)

        // Prometheus's own error for bad PromQL; nothing stored.
        let bad = try box.run(["evidence", "2", "promql", "sum(", "--url", url])
        #expect(bad.status == 1)
        #expect(
            bad.stderr.contains("refused the query (bad_data)")
                && bad.stderr.contains("parse error"), "\(bad.stderr)")
        let after = try #require(
            try Sandbox.json(box.ok(["show", "2", "--json"])) as? [String: Any])
        #expect((after["timeline"] as? [Any])?.count == 3, "nothing half stored")

        prometheus.stop()
        #expect(serve.stop() == 0)
        #expect(serve.log.contains("GET /metrics 200 "), "\(serve.log)")
        #expect(!serve.log.contains(" 401 "), "Prometheus sent the token from credentials_file")
    }

    /// A server that accepts the connection and never answers, and one where nobody listens: each
    /// a clear error, and nothing is stored.
    @Test func anUnreachableOrSilentServerStoresNothing() throws {
        let box = try Sandbox()
        try box.ok(["declare", "Checkout returns 5xx", "-s", "SEV2"])
        // Listening, never accepting: the kernel completes the connection, nobody answers.
        let silent = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(silent) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Int32 in
                guard bind(silent, pointer, length) == 0, listen(silent, 4) == 0 else { return -1 }
                return getsockname(silent, pointer, &length)
            }
        }
        try #require(bound == 0)
        let port = UInt16(bigEndian: address.sin_port)
        let timedOut = try box.run([
            "evidence", "1", "promql", "up", "--url", "http://127.0.0.1:\(port)", "--timeout", "1",
        ])
        #expect(timedOut.status == 1)
        #expect(
            timedOut.stderr.contains("did not answer within 1s")
                && timedOut.stderr.contains("nothing was stored"), "\(timedOut.stderr)")

        let nobody = try Alertmanager.freePort()
        let refused = try box.run([
            "evidence", "1", "promql", "up", "--url", "http://127.0.0.1:\(nobody)",
        ])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("cannot reach Prometheus at http://127.0.0.1:\(nobody)"))

        let noURL = try box.run(["evidence", "1", "promql", "up"])
        #expect(noURL.status == 2 && noURL.stderr.contains("no Prometheus URL"))
        let wrongSource = try box.run(["evidence", "1", "loki", "up"])
        #expect(wrongSource.status == 2 && wrongSource.stderr.contains("the source is promql"))
        let show = try #require(
            try Sandbox.json(box.ok(["show", "1", "--json"])) as? [String: Any])
        #expect(
            !(show["timeline"] as? [[String: Any]] ?? []).contains {
                $0["kind"] as? String == "evidence"
            })
    }

    /// Off loopback a token is required, and /metrics takes the webhook's token rules.
    @Test func metricsNeedTheToken() throws {
        let box = try Sandbox()
        let tokenPath = box.root + "/token"
        try Data(Self.token.utf8).write(to: URL(fileURLWithPath: tokenPath))
        chmod(tokenPath, 0o600)
        let serve = try ServeProcess(box, ["--token-file", tokenPath])
        for (header, status) in [
            ("", 401), ("Authorization: Bearer wrong\r\n", 401),
            ("Authorization: Bearer \(Self.token)\r\n", 200),
        ] {
            let client = try RawClient(port: serve.port)
            client.send("GET /metrics HTTP/1.1\r\nHost: x\r\n\(header)Connection: close\r\n\r\n")
            let reply = client.response()
            #expect(reply.status == status, "\(header): \(reply.body)")
            if status == 200 {
                #expect(reply.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8")
                #expect(reply.body.contains("# TYPE irctl_open_incidents gauge\n"))
            }
        }
        #expect(serve.stop() == 0)
    }
}

/// A Prometheus of our own: a free loopback port, a temporary config and data directory,
/// scraping one target every second with a bearer token. Stopped by ``stop()`` or when the value
/// goes away.
final class Prometheus {
    let pid: pid_t
    let port: UInt16
    let logPath: String
    private var stopped = false

    static func binary() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let directories =
            path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin"]
        for directory in directories
        where FileManager.default.isExecutableFile(atPath: directory + "/prometheus") {
            return directory + "/prometheus"
        }
        return nil
    }

    init(binary: String, directory: String, target: String, tokenFile: String) throws {
        try FileManager.default.createDirectory(
            atPath: directory + "/data", withIntermediateDirectories: true)
        port = try Alertmanager.freePort()
        let config = """
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: irctl
                scrape_interval: 1s
                scrape_timeout: 1s
                authorization:
                  type: Bearer
                  credentials_file: \(tokenFile)
                static_configs:
                  - targets: ['\(target)']
            """
        try Data(config.utf8).write(to: URL(fileURLWithPath: directory + "/prometheus.yml"))
        logPath = directory + "/prometheus.log"
        pid = try Shell.spawn(
            [
                binary, "--config.file=\(directory)/prometheus.yml",
                "--storage.tsdb.path=\(directory)/data",
                "--web.listen-address=127.0.0.1:\(port)",
            ],
            environment: ["PATH": "/usr/bin:/bin", "HOME": directory],
            stdout: directory + "/prometheus.out", stderr: logPath)
    }

    deinit { stop() }

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    func stop() {
        guard !stopped else { return }
        stopped = true
        kill(pid, SIGTERM)
        if Shell.wait(pid, timeout: 30) == nil { kill(pid, SIGKILL) }
    }

    /// Waits (at most 120 s: a loaded machine starts it slowly) for `/-/ready`.
    func waitUntilReady() throws {
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            if let client = try? RawClient(port: port) {
                client.send("GET /-/ready HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                if client.response(timeout: 5).status == 200 { return }
            }
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                stopped = true
                throw ServeProcess.ServeError(message: "prometheus exited at start:\n\(log)")
            }
            usleep(200_000)
        }
        throw ServeProcess.ServeError(message: "prometheus was not ready within 120s:\n\(log)")
    }

    /// The value of an instant query's single sample, or nil when it has none (yet).
    func value(_ query: String) throws -> String? {
        var encoded = ""
        for byte in query.utf8 {
            if (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte)
                || (0x61...0x7A).contains(byte) || byte == 0x5F
            {
                encoded.append(Character(Unicode.Scalar(byte)))
            } else {
                encoded += String(format: "%%%02X", byte)
            }
        }
        let client = try RawClient(port: port)
        client.send(
            "GET /api/v1/query?query=\(encoded) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Connection: close\r\n\r\n")
        let reply = client.response(timeout: 30)
        guard reply.status == 200,
            let json = try Sandbox.json(reply.body) as? [String: Any],
            let data = json["data"] as? [String: Any],
            let result = data["result"] as? [[String: Any]], result.count == 1,
            let value = result[0]["value"] as? [Any]
        else { return nil }
        return value.last as? String
    }

    /// Polls `check` until it returns a value, for at most 120 seconds.
    func waitFor<T>(_ what: String, log: () -> String, _ check: () throws -> T?) throws -> T {
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            if let value = try check() { return value }
            usleep(250_000)
        }
        throw ServeProcess.ServeError(
            message: "timed out after 120s waiting for \(what); logs:\n\(log())")
    }
}
