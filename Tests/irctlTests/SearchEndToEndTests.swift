import Foundation
import Testing

/// `irctl search`, `irctl similar` and the "similar:" lines of `declare`, through the built
/// binary: every option, every bad query, and the index following writes and pulls.
@Suite(.timeLimit(.minutes(5))) struct SearchEndToEndTests {
    /// A small history: the pool exhausted twice (closed, with root causes), a certificate
    /// expired, and an open search incident.
    static func history(_ sandbox: borrowing Sandbox) throws {
        try sandbox.ok([
            "declare", "Checkout returns 5xx after deploy", "-s", "2", "--service", "checkout",
            "--service", "postgres", "--tag", "db", "--detected", "2026-03-01T10:00:00Z",
            "--at", "2026-03-01T10:05:00Z",
        ])
        try sandbox.ok(["log", "1", "pg: remaining connection slots are reserved"])
        try sandbox.ok([
            "set", "1", "root-cause", "Connection pool exhausted after deploy 2.4 doubled workers",
        ])
        try sandbox.ok(["close", "1", "--force"])
        try sandbox.ok([
            "declare", "Checkout errors, pool exhausted again", "-s", "1", "--service", "checkout",
            "--detected", "2026-04-01T10:00:00Z", "--at", "2026-04-01T10:05:00Z", "--no-similar",
        ])
        try sandbox.ok(["set", "2", "resolution", "Put pgbouncer in front of the database"])
        try sandbox.ok(["close", "2", "--force"])
        try sandbox.ok([
            "declare", "TLS certificate expired on api", "--service", "api",
            "--detected", "2026-05-01T10:00:00Z", "--at", "2026-05-01T10:05:00Z",
        ])
        try sandbox.ok(["declare", "Search latency high", "--service", "search", "--no-similar"])
        try sandbox.ok(["log", "4", "Réseau saturé entre les zones"])
    }

    static func ids(_ out: String) -> [String] {
        out.split(separator: "\n").filter { $0.hasPrefix("INC-") }.map {
            String($0.split(separator: " ")[0])
        }
    }

    @Test func findsRanksAndShowsTheAnswer() throws {
        let sandbox = try Sandbox()
        try Self.history(sandbox)
        let out = try sandbox.ok(["search", "pool", "exhausted"])
        #expect(Self.ids(out) == ["INC-2", "INC-1"])
        #expect(
            out.contains("INC-1  SEV2  closed     2026-03-01  Checkout returns 5xx after deploy"))
        // The match is marked, and a closed incident says what was found.
        #expect(
            out.contains(
                "root cause: Connection *pool* *exhausted* after deploy 2.4 doubled workers"))
        #expect(out.contains("resolution: Put pgbouncer in front of the database"))
        // Accents and case don't matter; the snippet keeps the text as written.
        let accents = try sandbox.ok(["search", "RESEAU"])
        #expect(accents.contains("timeline: *Réseau* saturé entre les zones"))
        // A typo finds its neighbour; a prefix its words; an exclusion leaves out.
        #expect(Self.ids(try sandbox.ok(["search", "certifcate"])) == ["INC-3"])
        #expect(Self.ids(try sandbox.ok(["search", "certif*"])) == ["INC-3"])
        #expect(Self.ids(try sandbox.ok(["search", "checkout", "-again"])) == ["INC-1"])
        #expect(Self.ids(try sandbox.ok(["search", "\"pool exhausted\""])) == ["INC-2", "INC-1"])
        #expect(Self.ids(try sandbox.ok(["search", "checkout", "sev:1"])) == ["INC-2"])
        #expect(Self.ids(try sandbox.ok(["search", "tag:db"])) == ["INC-1"])
        #expect(Self.ids(try sandbox.ok(["search", "phase:declare"])) == ["INC-4", "INC-3"])
        #expect(Self.ids(try sandbox.ok(["grep", "pgbouncer"])) == ["INC-2"])
        // On a terminal (colours forced) the match is bold instead.
        let bold = try sandbox.ok(["search", "pgbouncer"], env: ["CLICOLOR_FORCE": "1"])
        #expect(bold.contains("\u{1B}[1mpgbouncer\u{1B}[0m"))
    }

    @Test func everyOption() throws {
        let sandbox = try Sandbox()
        try Self.history(sandbox)
        #expect(Self.ids(try sandbox.ok(["search", "checkout", "-s", "SEV2"])) == ["INC-1"])
        #expect(
            Self.ids(try sandbox.ok(["search", "checkout", "-s", "1", "-s", "2"])) == [
                "INC-2", "INC-1",
            ])
        #expect(Self.ids(try sandbox.ok(["search", "pool", "--service", "postgres"])) == ["INC-1"])
        #expect(
            Self.ids(try sandbox.ok(["search", "checkout", "--since", "2026-03-15T00:00:00Z"])) == [
                "INC-2"
            ])
        let limited = try sandbox.run(["search", "checkout", "--limit", "1"])
        #expect(Self.ids(limited.stdout) == ["INC-2"])
        #expect(limited.stderr.contains("1 of 2 matching incidents shown"))
        #expect(Self.ids(try sandbox.ok(["search", "checkout", "-n", "1"])) == ["INC-2"])
        let all = try sandbox.run(["search", "checkout", "--all"])
        #expect(Self.ids(all.stdout) == ["INC-2", "INC-1"] && all.stderr.isEmpty)
        let none = try sandbox.run(["search", "zebra"])
        #expect(
            none.status == 0 && none.stdout.isEmpty
                && none.stderr.contains("no incident matches zebra"))
        let partial = try sandbox.run(["search", "pgbouncer", "zebra"])
        #expect(Self.ids(partial.stdout) == ["INC-2"])
        #expect(partial.stderr.contains("no incident mentions every word"))
    }

    @Test func jsonShape() throws {
        let sandbox = try Sandbox()
        try Self.history(sandbox)
        let out = try sandbox.ok(["search", "pool", "exhausted", "--json"])
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
        #expect(object["query"] as? String == "pool exhausted")
        #expect(object["total"] as? Int == 2)
        #expect(object["partial"] as? Bool == false)
        let hits = try #require(object["hits"] as? [[String: Any]])
        #expect(hits.map { $0["id"] as? String } == ["INC-2", "INC-1"])
        let first = hits[1]
        #expect(
            Set(first.keys) == [
                "id", "uid", "severity", "phase", "open", "detectedAt", "title", "services",
                "tags", "score", "snippet", "rootCause", "resolution",
            ])
        #expect(first["detectedAt"] as? String == "2026-03-01T10:00:00Z")
        #expect(first["open"] as? Bool == false)
        #expect(first["services"] as? [String] == ["checkout", "postgres"])
        #expect(
            first["rootCause"] as? String
                == "Connection pool exhausted after deploy 2.4 doubled workers")
        #expect(first["resolution"] is NSNull)
        let snippet = try #require(first["snippet"] as? [String: Any])
        #expect(snippet["source"] as? String == "narrative")
        #expect(snippet["label"] as? String == "rootCause")
        #expect(snippet["marks"] as? [[Int]] == [[11, 15], [16, 25]])
        // Marks count Unicode scalars.
        let accents = try sandbox.ok(["search", "sature", "--json"])
        let accentHits = try #require(
            (try JSONSerialization.jsonObject(with: Data(accents.utf8)) as? [String: Any])?["hits"]
                as? [[String: Any]])
        #expect(
            (accentHits.first?["snippet"] as? [String: Any])?["marks"] as? [[Int]] == [[7, 13]])
        let empty = try sandbox.ok(["search", "zebra", "--json"])
        #expect(empty.contains("\"hits\" : [\n\n  ]") || empty.contains("\"hits\" : []"))
    }

    @Test(arguments: [
        ([], "missing QUERY"),
        (["   "], "missing QUERY"),
        ([String(repeating: "x", count: 10_000)], "10000 characters long; at most 1000"),
        (["pool\u{7}"], "control character U+0007"),
        (["pool\u{1B}[2J"], "control character U+001B"),
        (["\"pool exhausted"], "unmatched '\"'"),
        (["pool", "-"], "a '-' on its own leaves nothing out"),
        (["-replica"], "only says what to leave out"),
        (["c*"], "too short a prefix"),
        (["sev:banana"], "'sev:banana' is not a valid filter"),
        (["phase:soon"], "'phase:soon' is not a valid filter"),
        (["service:"], "'service:' needs a value"),
        (["pool", "--all", "--limit", "3"], "--all and --limit exclude each other"),
        (["pool", "--limit", "0"], "--limit"),
        (["pool", "--since", "someday"], "someday"),
        (["pool", "--frobnicate"], "unknown option '--frobnicate'"),
    ])
    func badQueriesAreUsageErrors(_ arguments: [String], _ message: String) throws {
        let sandbox = try Sandbox()
        try sandbox.ok(["declare", "Pool exhausted"])
        let result = try sandbox.run(["search"] + arguments)
        #expect(result.status == 2, "\(arguments.map { $0.prefix(20) }): \(result.stderr)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(!result.stderr.contains("\u{1B}[2J"))
    }

    @Test func followsWritesAndRemovals() throws {
        let sandbox = try Sandbox()
        try Self.history(sandbox)
        #expect(Self.ids(try sandbox.ok(["search", "pool"])).count == 2)
        try sandbox.ok(["log", "4", "the kafka consumer lag is back"])
        #expect(Self.ids(try sandbox.ok(["search", "kafka"])) == ["INC-4"])
        try sandbox.ok(["declare", "Kafka brokers down", "--no-similar"])
        #expect(Self.ids(try sandbox.ok(["search", "kafka"])) == ["INC-5", "INC-4"])
        try sandbox.ok(["set", "5", "root-cause", "Broker disk full"])
        try sandbox.ok(["close", "5", "--force"])
        #expect(
            try sandbox.ok(["search", "kafka", "brokers"]).contains(
                "root cause: *Broker* disk full"))
        // An incident removed by hand is gone from the results.
        let incidents = sandbox.store + "/incidents"
        for name in try FileManager.default.contentsOfDirectory(atPath: incidents) {
            let path = incidents + "/" + name
            let text =
                (try? FileManager.default.contentsOfDirectory(atPath: path))?.compactMap {
                    try? String(contentsOfFile: path + "/" + $0, encoding: .utf8)
                }.joined() ?? ""
            if text.contains("Kafka brokers down") {
                try FileManager.default.removeItem(atPath: path)
            }
        }
        #expect(Self.ids(try sandbox.ok(["search", "kafka"])) == ["INC-4"])
        // A damaged index is made again.
        try Data("garbage".utf8).write(
            to: URL(fileURLWithPath: sandbox.store + "/cache/search-base"))
        #expect(Self.ids(try sandbox.ok(["search", "kafka"])) == ["INC-4"])
        #expect(
            Self.ids(try sandbox.ok(["reindex"]) + (try sandbox.ok(["search", "pool"]))).count == 2)
    }

    @Test func aPulledIncidentIsFoundAtOnce() throws {
        let team = try GitTeam()
        try team.founding("alice", user: "alice")
        try team.clone("bob")
        try team.irctl(["init"], in: "bob", user: "bob")
        // bob's index is made, and trusted, before the pull.
        #expect(
            try team.irctl(["search", "checkout"], in: "bob", user: "bob").stdout.contains("INC-1"))
        #expect(try team.irctl(["search", "zebra"], in: "bob", user: "bob").stdout.isEmpty)

        try team.irctl(["log", "1", "a zebra crossed the data centre"], in: "alice", user: "alice")
        try team.irctl(
            ["declare", "Payments fail at the bank", "--no-similar"], in: "alice", user: "alice")
        try team.irctl(["sync"], in: "alice", user: "alice")
        try team.git(["pull", "--quiet", "--no-rebase"], in: "bob")

        let zebra = try team.irctl(["search", "zebra"], in: "bob", user: "bob").stdout
        #expect(zebra.contains("INC-1") && zebra.contains("*zebra*"), "\(zebra)")
        let bank = try team.irctl(["search", "bank"], in: "bob", user: "bob").stdout
        #expect(bank.contains("INC-2") && bank.contains("Payments fail at the *bank*"), "\(bank)")
        // And with irctl sync bringing it, the same.
        try team.irctl(["log", "2", "the bank's gateway answered 503"], in: "alice", user: "alice")
        try team.irctl(["sync"], in: "alice", user: "alice")
        try team.irctl(["sync"], in: "bob", user: "bob")
        #expect(
            try team.irctl(["search", "gateway", "503"], in: "bob", user: "bob").stdout.contains(
                "INC-2"))
    }

    @Test func declarePrintsSimilarPastIncidents() throws {
        let sandbox = try Sandbox()
        try Self.history(sandbox)
        let declared = try sandbox.run([
            "declare", "Checkout 5xx, pool exhausted", "--service", "checkout",
        ])
        #expect(declared.status == 0)
        #expect(declared.stdout == "INC-5 declared: SEV3 · Checkout 5xx, pool exhausted\n")
        let lines = declared.stderr.split(separator: "\n").map(String.init)
        #expect(
            lines == [
                "similar: INC-1 · 2026-03-01 · root cause: Connection pool exhausted after deploy "
                    + "2.4 "
                    + "doubled workers",
                "similar: INC-2 · 2026-04-01 · resolution: Put pgbouncer in front of the database",
            ], "\(declared.stderr)")
        // At most three.
        for n in 0..<4 {
            try sandbox.ok(["declare", "Checkout pool exhausted \(n)", "--no-similar"])
        }
        let many = try sandbox.run(["declare", "Checkout pool exhausted again"])
        #expect(many.stderr.split(separator: "\n").filter { $0.hasPrefix("similar: ") }.count == 3)
        // Off with --no-similar, with --json, and in the config.
        #expect(
            try sandbox.run(["declare", "Checkout pool exhausted", "--no-similar"]).stderr.isEmpty)
        #expect(try sandbox.run(["declare", "Checkout pool exhausted", "--json"]).stderr.isEmpty)
        try #"{"similar": false}"#.write(
            toFile: sandbox.store + "/config.json", atomically: true, encoding: .utf8)
        #expect(try sandbox.run(["declare", "Checkout pool exhausted"]).stderr.isEmpty)
        #expect(!(try sandbox.ok(["show", "5"])).contains("Similar"))
    }

    @Test func anIncidentAnAlertOpensGetsTheLinesToo() throws {
        let sandbox = try Sandbox()
        try sandbox.ok(["declare", "Checkout 5xx after deploy", "--service", "checkout"])
        try sandbox.ok(["set", "1", "root-cause", "Bad deploy of the payment client"])
        try sandbox.ok(["close", "1", "--force"])
        let payload = AlertPayloads.json([AlertPayloads.alert("a1")])
        let result = try sandbox.run(["ingest", "alertmanager", "-"], stdin: payload)
        #expect(result.stdout.hasPrefix("INC-2 opened"), "\(result.stdout)")
        #expect(
            result.stderr.contains("similar: INC-1 · ")
                && result.stderr.contains("root cause: Bad deploy of the payment client"),
            "\(result.stderr)")
    }

    @Test func showAndSimilarListThem() throws {
        let sandbox = try Sandbox()
        try Self.history(sandbox)
        try sandbox.ok([
            "declare", "Checkout 5xx, pool exhausted", "--service", "checkout", "--no-similar",
        ])
        let show = try sandbox.ok(["show", "5"])
        let expected =
            "\nSimilar\n"
            + "  INC-1 · 2026-03-01 · root cause: Connection pool exhausted after deploy 2.4 "
            + "doubled workers\n"
            + "  INC-2 · 2026-04-01 · resolution: Put pgbouncer in front of the database\n"
        #expect(show.hasSuffix(expected), "\(show)")
        let similar = try sandbox.ok(["similar", "5"])
        #expect(Self.ids(similar) == ["INC-1", "INC-2"])
        #expect(!Self.ids(similar).contains("INC-5"))
        let json = try sandbox.ok(["similar", "INC-5", "--limit", "1", "--json"])
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["incident"] as? String == "INC-5")
        #expect((object["hits"] as? [[String: Any]])?.map { $0["id"] as? String } == ["INC-1"])
        let none = try sandbox.run(["similar", "4"])
        #expect(none.status == 0 && none.stderr.contains("no past incident is like INC-4"))
        #expect(try sandbox.run(["similar", "99"]).status == 1)
        #expect(try sandbox.run(["similar"]).status == 2)
    }

    @Test func helpAndCompletionKnowTheCommands() throws {
        let sandbox = try Sandbox()
        let help = try sandbox.ok(["help", "search"])
        for piece in ["\"two words\"", "conn*", "-word", "service:NAME", "--limit N", "\"marks\""] {
            #expect(help.contains(piece), "\(piece)")
        }
        #expect(try sandbox.ok(["help"]).contains("search"))
        #expect(try sandbox.ok(["help", "similar"]).contains("--no-similar"))
        for shell in ["bash", "zsh", "fish"] {
            let script = try sandbox.ok(["completion", shell])
            #expect(
                script.contains("similar") && script.contains("no-similar")
                    && script.contains("limit"),
                "\(shell)")
        }
    }
}
