import Foundation
import Testing

/// `irctl ingest alertmanager` through the built binary.
@Suite struct IngestEndToEndTests {
    typealias P = AlertPayloads

    func write(_ box: borrowing Sandbox, _ name: String, _ text: String) throws -> String {
        let path = box.root + "/" + name
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    func incident(_ box: borrowing Sandbox, _ id: String) throws -> [String: Any] {
        try #require(try Sandbox.json(box.ok(["show", id, "--json"])) as? [String: Any])
    }

    func allIncidents(_ box: borrowing Sandbox) throws -> [Any] {
        let text = try box.ok(["list", "--all", "--json"])
        return text.isEmpty ? [] : try #require(try Sandbox.json(text) as? [Any])
    }

    func alertEntries(_ incident: [String: Any]) -> [[String: Any]] {
        (incident["timeline"] as? [[String: Any]] ?? []).filter { $0["kind"] as? String == "alert" }
    }

    @Test func aGroupFiresIsRepeatedResolvesAndFiresAgain() throws {
        let box = try Sandbox()
        let firing = try write(
            box, "firing.json", P.json([P.alert("a1"), P.alert("b2", severity: "warning")]))
        #expect(
            try box.ok(["ingest", "alertmanager", firing])
                == "INC-1 opened: SEV2 · detect (2 firing)\n")
        var inc = try incident(box, "INC-1")
        #expect(inc["title"] as? String == "Checkout 5xx above 5%")
        #expect(inc["severity"] as? String == "SEV2" && inc["phase"] as? String == "detect")
        #expect(inc["services"] as? [String] == ["checkout"])
        #expect(alertEntries(inc).count == 2)
        #expect(alertEntries(inc).allSatisfy { $0["author"] as? String == "alertmanager" })
        let show = try box.ok(["show", "1"])
        #expect(
            show.contains(
                "alertmanager  alert  Firing: Checkout 5xx above 5% [severity=critical "
                    + "service=checkout instance=pod-a1]"
            ))

        // A repeat and a replay change nothing, not even the file's bytes as shown.
        let before = try box.ok(["show", "1", "--json"])
        #expect(try box.ok(["ingest", "alertmanager", firing]) == "INC-1 unchanged\n")
        #expect(try box.ok(["show", "1", "--json"]) == before)

        // Partly resolved, from standard input.
        let partly = P.json([P.alert("a1", "resolved"), P.alert("b2", severity: "warning")])
        #expect(
            try box.ok(["ingest", "alertmanager", "-"], stdin: partly)
                == "INC-1 updated (1 resolved)\n")
        #expect(
            try box.ok(["ingest", "alertmanager"], stdin: partly) == "INC-1 unchanged\n",
            "piped stdin without '-'")

        // All resolved: closed by the alert, since nobody declared it.
        let resolved = try write(
            box, "resolved.json",
            P.json([P.alert("a1", "resolved"), P.alert("b2", "resolved", severity: "warning")]))
        #expect(
            try box.ok(["ingest", "alertmanager", resolved])
                == "INC-1 closed: every alert resolved (1 resolved)\n")
        inc = try incident(box, "INC-1")
        #expect(inc["open"] as? Bool == false)
        #expect(
            (inc["timeline"] as? [[String: Any]])?.last?["text"] as? String
                == "Closed from detect (forced): every alert resolved (closed by Alertmanager)")

        // Replays after the close: nothing.
        #expect(try box.ok(["ingest", "alertmanager", firing]) == "no incident changed\n")
        #expect(try box.ok(["ingest", "alertmanager", resolved]) == "no incident changed\n")
        #expect(try allIncidents(box).count == 1)

        // The group fires again: a new incident that links to the old one.
        let again = try write(
            box, "again.json", P.json([P.alert("a1", startsAt: "2026-11-21T11:00:00Z")]))
        #expect(
            try box.ok(["ingest", "alertmanager", again])
                == "INC-2 opened: SEV2 · detect (1 firing, fired again after INC-1)\n")
        let second = try incident(box, "INC-2")
        #expect(
            (second["links"] as? [[String: String]])?.first == [
                "label": "previous", "url": "irctl:INC-1",
            ])
        let data = try #require(alertEntries(second).first?["data"] as? [String: String])
        #expect(
            data["previous"] == "INC-1" && data["refired"] == "true" && data["opened"] == "true")
        #expect(try box.ok(["verify"]).contains("INC-2: ok"))
    }

    @Test func aDeclaredIncidentStaysOpenAndJSONSaysWhatHappened() throws {
        let box = try Sandbox()
        let opened = try #require(
            try Sandbox.json(
                box.ok(["ingest", "alertmanager", "-", "--json"], stdin: P.json([P.alert("a1")])))
                as? [String: Any])
        #expect(opened["action"] as? String == "opened" && opened["incident"] as? String == "INC-1")
        #expect(
            opened["fired"] as? Int == 1 && opened["alerts"] as? Int == 1
                && opened["ignored"] as? Int == 0)
        #expect(opened["group"] as? String == "irctl {}:{alertname=\"HighErrorRate\"}")
        try box.ok(["declare", "INC-1", "-s", "1"])
        let closed = try #require(
            try Sandbox.json(
                box.ok(
                    ["ingest", "alertmanager", "-", "--json"],
                    stdin: P.json([P.alert("a1", "resolved")]))) as? [String: Any])
        #expect(
            closed["action"] as? String == "updated" && closed["resolved"] as? Int == 1
                && closed["phase"] as? String == "declare")
        #expect(
            closed["severity"] as? String == "SEV1",
            "automatic changes never lower a person's severity")
        let again = try #require(
            try Sandbox.json(
                box.ok(
                    ["ingest", "alertmanager", "-", "--json"],
                    stdin: P.json([P.alert("a1", "resolved")]))) as? [String: Any])
        #expect(again["action"] as? String == "unchanged" && again["entries"] as? Int == 0)
    }

    @Test func routesInTheConfigShapeTheIncident() throws {
        let box = try Sandbox()
        try box.ok(["init", "--dir", box.store])
        let config = """
            {
              "alerts": {
                "routes": [
                  { "name": "heartbeat", "match": ["alertname=\\"Watchdog\\""], "ignore": true },
                  { "name": "database pages", "match": ["team=~\\"db|storage\\""], "severity": \
            "SEV1", "services": ["postgres"],
                    "tags": ["database"], "runbook": "disk-full", "commander": "dba-oncall", \
            "declare": true }
                ]
              }
            }
            """
        try Data(config.utf8).write(to: URL(fileURLWithPath: box.store + "/config.json"))
        #expect(
            try box.ok(
                ["ingest", "alertmanager", "-"],
                stdin: P.json([P.alert("w", labels: ["alertname": "Watchdog"])], groupKey: "wd"))
                == "ignored by the alert routes\n")
        #expect(
            try box.ok(
                ["ingest", "alertmanager", "-"],
                stdin: P.json([P.alert("d1", labels: ["team": "db"])], groupKey: "db"))
                == "INC-1 opened: SEV1 · declare (1 firing)\n")
        let inc = try incident(box, "INC-1")
        #expect(
            inc["services"] as? [String] == ["postgres"] && inc["tags"] as? [String] == ["database"]
        )
        #expect((inc["roles"] as? [String: String])?["commander"] == "dba-oncall")
        #expect((inc["runbook"] as? [String: Any])?["name"] as? String == "disk-full")
        #expect(try box.ok(["list", "--json"]).contains("\"INC-1\""))
    }

    @Test func aBadRouteIsAnErrorNamingIt() throws {
        let box = try Sandbox()
        try box.ok(["init", "--dir", box.store])
        try Data(
            #"{"alerts":{"routes":[{"match":["a=b"]},{"name":"pager","severity":"SEV9"}]}}"#.utf8
        )
        .write(to: URL(fileURLWithPath: box.store + "/config.json"))
        let result = try box.run(["ingest", "alertmanager", "-"], stdin: P.json([P.alert("a1")]))
        #expect(result.status == 1)
        #expect(
            result.stderr.contains(
                "alert route 2 ('pager'): unknown severity 'SEV9'; use one of SEV1, SEV2, SEV3, "
                    + "SEV4"
            ), "\(result.stderr)")
        try Data("{}".utf8).write(to: URL(fileURLWithPath: box.store + "/config.json"))
        #expect(try allIncidents(box).isEmpty, "nothing was written")
    }

    @Test(
        arguments: [
            (["ingest"], 2, "missing SOURCE"),
            (["ingest", "prometheus", "x.json"], 2, "unknown source 'prometheus'"),
            (
                ["ingest", "alertmanager", "/no/such/file.json"], 2,
                "invalid value '/no/such/file.json' for FILE"
            ),
            (["ingest", "alertmanager", "a", "b"], 2, "unexpected argument 'b'"),
        ] as [([String], Int32, String)])
    func usageErrors(_ arguments: [String], _ status: Int32, _ words: String) throws {
        let box = try Sandbox()
        let result = try box.run(arguments)
        #expect(result.status == status && result.stderr.contains(words), "\(result.stderr)")
    }

    @Test(arguments: [
        (
            #"{"version":"3","groupKey":"g","alerts":[]}"#,
            "Alertmanager webhook version '3' is not supported; irctl reads version 4"
        ),
        ("garbage", "not an Alertmanager webhook payload (not valid JSON)"),
        (#"{"version":"4","alerts":[]}"#, "missing field 'groupKey'"),
    ])
    func whatIsNotANotificationIsRefusedAndWritesNothing(_ body: String, _ words: String) throws {
        let box = try Sandbox()
        let result = try box.run(["ingest", "alertmanager", "-"], stdin: body)
        #expect(result.status == 2 && result.stderr.contains(words), "\(result.stderr)")
        #expect(try allIncidents(box).isEmpty, "nothing was written")
    }

    /// The same notification applied by several processes at once (two Alertmanagers in a
    /// cluster, or a retry racing the original): one incident, one entry per alert.
    @Test func concurrentIngestsOfOneGroupOpenOneIncident() throws {
        let box = try Sandbox()
        _ = try write(box, "firing.json", P.json([P.alert("a1"), P.alert("b2")]))
        let result = try box.sh(
            """
            for i in $(seq 1 8); do "$IRCTL" ingest alertmanager firing.json > /dev/null 2>err-$i \
            || cat err-$i & done
            wait
            """, env: ["IRCTL_LOCK_TIMEOUT": "30"], timeout: 120)
        #expect(result.status == 0 && result.stdout.isEmpty, "\(result.stdout)")
        #expect(try allIncidents(box).count == 1)
        #expect(alertEntries(try incident(box, "INC-1")).count == 2)
    }

    @Test func aNotificationWithoutAlertsOrWithOnlyResolutionsOpensNothing() throws {
        let box = try Sandbox()
        #expect(
            try box.ok(["ingest", "alertmanager", "-"], stdin: P.json([]))
                == "no incident changed\n")
        #expect(
            try box.ok(["ingest", "alertmanager", "-"], stdin: P.json([P.alert("a1", "resolved")]))
                == "no incident changed\n")
        #expect(try allIncidents(box).isEmpty)
    }

    @Test func secretsInLabelsAndAnnotationsNeverReachTheStore() throws {
        let box = try Sandbox()
        let token = "ghp_" + String(repeating: "Zx9q", count: 9)
        let password = "db_password=" + "correct-horse-battery"
        try box.ok(
            ["ingest", "alertmanager", "-"],
            stdin: P.json([
                P.alert("s1", labels: ["token": token], summary: "Login fails: " + password)
            ]))
        let stored = try box.ok(["show", "1", "--json"])
        #expect(!stored.contains(token) && !stored.contains("correct-horse-battery"))
        #expect(
            stored.contains("[REDACTED:github-token]") && stored.contains("[REDACTED:password]"))
        let files = try box.sh(
            "grep -rl -e '\(token)' -e correct-horse-battery \"$IRCTL_DIR\" || true")
        #expect(files.stdout.isEmpty, "no store file holds the secrets: \(files.stdout)")
    }

    @Test func helpDocumentsTheCommands() throws {
        let box = try Sandbox()
        let ingest = try box.ok(["help", "ingest"])
        #expect(ingest.contains("irctl ingest alertmanager [FILE | -] [--runbooks DIR]"))
        #expect(ingest.contains("--json prints what was done"))
        let serve = try box.ok(["serve", "--help"])
        for words in [
            "--listen ADDR:PORT", "--token-file FILE", "--request-timeout SECONDS",
            "--max-connections N", "127.0.0.1:9095",
            "credentials_file", "SIGTERM",
        ] {
            #expect(serve.contains(words), "\(words)")
        }
        let overview = try box.ok(["help"])
        #expect(overview.contains("  ingest ") && overview.contains("  serve "))
    }
}
