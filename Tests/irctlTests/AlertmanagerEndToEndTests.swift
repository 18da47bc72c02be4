import Foundation
import Glibc
import Testing

/// The real thing: Prometheus Alertmanager (the Debian package `prometheus-alertmanager`, which
/// `.ci/run` installs) sends its webhooks to `irctl serve` with a bearer token. Alerts are fired
/// and resolved through Alertmanager's own API, and the incident is watched opening and closing.
/// Every wait is bounded, and every process the test starts is stopped, also when it fails.
@Suite(.timeLimit(.minutes(5))) struct AlertmanagerEndToEndTests {
    static let token = "am-e2e-" + UUID().uuidString.lowercased()

    @Test func alertmanagerFiresAndResolvesAnIncidentThroughServe() throws {
        let binary = try #require(
            Alertmanager.binary(),
            Comment(
                rawValue: "prometheus-alertmanager is not installed: install the Debian package "
                    + "prometheus-alertmanager (bash .ci/run does)")
        )
        let box = try Sandbox()
        let tokenPath = box.root + "/am.token"
        try Data(Self.token.utf8).write(to: URL(fileURLWithPath: tokenPath))
        chmod(tokenPath, 0o600)
        let serve = try ServeProcess(box, ["--token-file", tokenPath])
        let alertmanager = try Alertmanager(
            binary: binary, directory: box.root + "/am",
            webhook: "http://127.0.0.1:\(serve.port)/alertmanager",
            tokenFile: tokenPath)
        defer { alertmanager.stop() }
        try alertmanager.waitUntilReady()

        func alert(_ instance: String, endsAt: String? = nil) -> [String: Any] {
            var alert: [String: Any] = [
                "labels": [
                    "alertname": "DiskAlmostFull", "severity": "critical", "service": "postgres",
                    "instance": instance,
                ],
                "annotations": ["summary": "Disk almost full on the database"],
                "generatorURL": "http://prometheus.example:9090/graph?g0.expr=disk_free",
            ]
            if let endsAt { alert["endsAt"] = endsAt }
            return alert
        }
        try alertmanager.post([alert("db-1"), alert("db-2")])

        // Alertmanager groups them (group_wait 1s) and posts one notification: one incident.
        let opened = try waitFor(
            "the incident to open", log: { serve.log + alertmanager.log },
            until: { try incident(box).flatMap { alerts($0).count == 2 ? $0 : nil } })
        #expect(opened["title"] as? String == "Disk almost full on the database")
        #expect(opened["severity"] as? String == "SEV2" && opened["phase"] as? String == "detect")
        #expect(opened["services"] as? [String] == ["postgres"])
        #expect(
            alerts(opened).allSatisfy {
                ($0["text"] as? String)?.hasPrefix(
                    "Firing: Disk almost full on the database [severity=critical service=postgres "
                        + "instance=db-"
                ) == true
            })

        // One resolves: recorded, the incident stays open.
        let now = ISO8601DateFormatter().string(from: Date())
        try alertmanager.post([alert("db-1", endsAt: now)])
        let partly = try waitFor(
            "the first resolution", log: { serve.log + alertmanager.log },
            until: { try incident(box).flatMap { alerts($0).count == 3 ? $0 : nil } })
        #expect(partly["open"] as? Bool == true)
        #expect(
            (alerts(partly).last?["text"] as? String)?.hasPrefix(
                "Resolved: Disk almost full on the database") == true)

        // Both resolved: the incident, still in detect, is closed by the alert.
        try alertmanager.post([alert("db-2", endsAt: ISO8601DateFormatter().string(from: Date()))])
        let closed = try waitFor(
            "the incident to close", log: { serve.log + alertmanager.log },
            until: { try incident(box).flatMap { $0["open"] as? Bool == false ? $0 : nil } })
        #expect(alerts(closed).count == 4)
        #expect(
            (closed["timeline"] as? [[String: Any]])?.last?["text"] as? String
                == "Closed from detect (forced): every alert resolved (closed by Alertmanager)")
        #expect(
            try box.ok(["list", "--all", "--json"]).components(separatedBy: "\"id\"").count == 2,
            "exactly one incident")
        #expect(try box.run(["verify"]).status == 0)

        alertmanager.stop()
        #expect(serve.stop() == 0)
        #expect(
            serve.log.contains("POST /alertmanager 200 ")
                && serve.log.contains("INC-1 opened: SEV2 · detect (2 firing)"), "\(serve.log)")
        #expect(
            !serve.log.contains(" 401 "), "Alertmanager sent the bearer token from credentials_file"
        )
    }

    func incident(_ box: borrowing Sandbox) throws -> [String: Any]? {
        let list = try box.run(["list", "--all", "--json"])
        guard list.status == 0, list.stdout.contains("INC-1") else { return nil }
        return try Sandbox.json(box.ok(["show", "1", "--json"])) as? [String: Any]
    }

    func alerts(_ incident: [String: Any]) -> [[String: Any]] {
        (incident["timeline"] as? [[String: Any]] ?? []).filter { $0["kind"] as? String == "alert" }
    }

    /// Polls `check` until it returns a value, for at most 60 seconds.
    func waitFor<T>(_ what: String, log: () -> String, until check: () throws -> T?) throws -> T {
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if let value = try check() { return value }
            usleep(200_000)
        }
        throw ServeProcess.ServeError(
            message: "timed out after 60s waiting for \(what); logs:\n\(log())")
    }
}

/// An Alertmanager of our own: a free loopback port, clustering off, a config whose only
/// receiver is `irctl serve`. Stopped by ``stop()`` or when the value goes away.
final class Alertmanager {
    let pid: pid_t
    let port: UInt16
    let logPath: String
    private var stopped = false

    static func binary() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let directories =
            path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin"]
        for name in ["prometheus-alertmanager", "alertmanager"] {
            for directory in directories
            where FileManager.default.isExecutableFile(atPath: directory + "/" + name) {
                return directory + "/" + name
            }
        }
        return nil
    }

    init(binary: String, directory: String, webhook: String, tokenFile: String) throws {
        try FileManager.default.createDirectory(
            atPath: directory + "/data", withIntermediateDirectories: true)
        port = try Self.freePort()
        let config = """
            route:
              receiver: irctl
              group_by: ['alertname']
              group_wait: 1s
              group_interval: 1s
              repeat_interval: 1h
            receivers:
              - name: irctl
                webhook_configs:
                  - url: \(webhook)
                    send_resolved: true
                    http_config:
                      authorization:
                        type: Bearer
                        credentials_file: \(tokenFile)
            """
        try Data(config.utf8).write(to: URL(fileURLWithPath: directory + "/alertmanager.yml"))
        logPath = directory + "/alertmanager.log"
        pid = try Shell.spawn(
            [
                binary, "--config.file=\(directory)/alertmanager.yml",
                "--storage.path=\(directory)/data",
                "--web.listen-address=127.0.0.1:\(port)", "--cluster.listen-address=",
            ],
            environment: ["PATH": "/usr/bin:/bin", "HOME": directory],
            stdout: directory + "/alertmanager.out", stderr: logPath)
    }

    deinit { stop() }

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    func stop() {
        guard !stopped else { return }
        stopped = true
        kill(pid, SIGTERM)
        if Shell.wait(pid, timeout: 10) == nil { kill(pid, SIGKILL) }
    }

    /// Waits (at most 30 s) for `/-/ready`.
    func waitUntilReady() throws {
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if let client = try? RawClient(port: port) {
                client.send("GET /-/ready HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                if client.response(timeout: 5).status == 200 { return }
            }
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                stopped = true
                throw ServeProcess.ServeError(message: "alertmanager exited at start:\n\(log)")
            }
            usleep(200_000)
        }
        throw ServeProcess.ServeError(message: "alertmanager was not ready within 30s:\n\(log)")
    }

    /// Fires (or, with `endsAt` in the past, resolves) alerts through `POST /api/v2/alerts`.
    func post(_ alerts: [[String: Any]]) throws {
        let body = String(
            decoding: try JSONSerialization.data(withJSONObject: alerts), as: UTF8.self)
        let client = try RawClient(port: port)
        client.send(
            "POST /api/v2/alerts HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                + "application/json\r\nContent-Length: \(body.utf8.count)\r\n"
                + "Connection: close\r\n\r\n" + body)
        let reply = client.response()
        guard reply.status == 200 else {
            throw ServeProcess.ServeError(
                message: "alertmanager refused the alerts: \(reply.status) \(reply.body)")
        }
    }

    /// A port nobody listens on now: bound, read back, released.
    static func freePort() throws -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Int32 in
                guard bind(fd, pointer, length) == 0 else { return -1 }
                return getsockname(fd, pointer, &length)
            }
        }
        guard bound == 0 else {
            throw ServeProcess.ServeError(
                message: "no free port: \(String(cString: strerror(errno)))")
        }
        return UInt16(bigEndian: address.sin_port)
    }
}
