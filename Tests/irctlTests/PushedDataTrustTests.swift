import Foundation
import Glibc
import Testing

/// What a teammate's push (or a stolen credential) can put in the store is data: it can't rewrite
/// the past under a recorded head, starve `serve`, stall it with a costly route, strike what may
/// not be struck, lead a walk out of the store, or ping a whole channel. Through the built binary.
@Suite(.timeLimit(.minutes(5))) struct PushedDataTrustTests {
    typealias P = AlertPayloads

    /// A second clone of `box`'s store, as a teammate's would be: the same files, its own replica.
    static func teammate(of box: borrowing Sandbox) throws -> String {
        let other = box.root + "/teammate"
        let copied = try box.sh("cp -R \"$IRCTL_DIR\" '\(other)' && rm -rf '\(other)/local'")
        try #require(copied.status == 0)
        return other
    }

    /// Copies the replica files `other` has and `box`'s store lacks into `box`'s store, as a
    /// `git pull` brings them; returns their paths in `box`'s store.
    @discardableResult
    static func pull(from other: String, into box: borrowing Sandbox) throws -> [String] {
        let result = try box.sh(
            """
            for f in '\(other)'/incidents/*/*.json; do
              n="$IRCTL_DIR/incidents/$(basename "$(dirname "$f")")/$(basename "$f")"
              [ -e "$n" ] || { cp "$f" "$n"; echo "$n"; }
            done
            """)
        try #require(result.status == 0, "\(result.stderr)")
        return result.stdout.split(separator: "\n").map(String.init)
    }

    static func at(_ time: String) -> [String: String] { ["IRCTL_NOW": "2026-11-21T\(time):00Z"] }

    static func timeline(_ box: borrowing Sandbox) throws -> [[String: Any]] {
        let text = try box.ok(["show", "1", "--json"])
        let show = try #require(try Sandbox.json(text) as? [String: Any])
        return try #require(show["timeline"] as? [[String: Any]])
    }

    static func head(_ box: borrowing Sandbox, _ incident: String = "1") throws -> String {
        let text = try box.ok(["verify", incident, "--json"])
        let json = try #require(try Sandbox.json(text) as? [String: Any])
        let first = try #require((json["incidents"] as? [[String: Any]])?.first)
        return try #require(first["head"] as? String)
    }

    // MARK: verify --expect-head

    @Test func aRecordedHeadCoversEveryEntryThatCameBeforeIt() throws {
        let box = try Sandbox()
        try box.ok(["declare", "Checkout down", "-s", "SEV2"], env: Self.at("10:00"))
        let mallory = try Self.teammate(of: box)
        try box.ok(["log", "1", "rolled back"], env: Self.at("10:10"))
        let recorded = try Self.head(box)

        // A forged entry in a new replica file, backdated so that it sorts before the head.
        try box.ok(
            ["log", "1", "the commander approved skipping the review"],
            env: Self.at("10:05").merging(["IRCTL_DIR": mallory, "IRCTL_USER": "al"]) { $1 })
        let forged = try Self.pull(from: mallory, into: box)
        #expect(forged.count == 1)
        #expect(try box.run(["verify", "1"]).status == 0, "each chain is intact on its own")
        let result = try box.run(["verify", "1", "--expect-head", recorded])
        #expect(result.status == 1, "\(result.stdout)")
        #expect(!result.stdout.contains("(the expected head)"), "\(result.stdout)")
        #expect(
            result.stdout.contains(
                "FAILED: the timeline up to the recorded head \(recorded) "
                    + "is not what it was"), "\(result.stdout)")

        // A teammate's note that came before the head can't be taken out by removing its file.
        let withNote = try Self.head(box)
        #expect(
            try box.ok(["verify", "1", "--expect-head", withNote])
                .contains("(the expected head: the same 4 entries"))
        try FileManager.default.removeItem(atPath: forged[0])
        #expect(try box.run(["verify", "1"]).status == 0, "nothing points at the removed note")
        let removed = try box.run(["verify", "1", "--expect-head", withNote])
        #expect(removed.status == 1, "\(removed.stdout)")
        #expect(removed.stdout.contains("is not what it was"), "\(removed.stdout)")

        // Entries written after the head are what timelines are for: the head still holds.
        try Self.pull(from: mallory, into: box)
        try box.ok(["log", "1", "error rate back to normal"], env: Self.at("10:20"))
        #expect(
            try box.ok(["verify", "1", "--expect-head", withNote])
                .contains("(1 entry appended after the expected head)"))
    }

    @Test func aHeadPrintedByAnOlderIrctlStillChecksWhatItCan() throws {
        let box = try Sandbox()
        try box.ok(["declare", "Checkout down"], env: Self.at("10:00"))
        try box.ok(["log", "1", "rolled back"], env: Self.at("10:10"))
        // Older irctl printed the last entry's own hash as the head.
        let timeline = try Self.timeline(box)
        let entryHash = try #require(timeline.last?["hash"] as? String)
        #expect(entryHash != (try Self.head(box)))
        let old = try box.run(["verify", "1", "--expect-head", entryHash])
        #expect(old.status == 0, "\(old.stderr)")
        #expect(
            old.stdout.contains("is entry #3's own hash, a head printed by an older irctl"),
            "\(old.stdout)")
        #expect(old.stdout.contains("not that nothing was added before it"), "\(old.stdout)")
    }

    // MARK: serve

    static let token = "c0ffee-trust-token-5e1d"

    func tokenFile(_ box: borrowing Sandbox) throws -> String {
        let path = box.root + "/token"
        try Data((Self.token + "\n").utf8).write(to: URL(fileURLWithPath: path))
        chmod(path, 0o600)
        return path
    }

    @Test func clientsThatNeverAuthenticateCannotHoldEverySlot() throws {
        let box = try Sandbox()
        let serve = try ServeProcess(box, ["--token-file", try tokenFile(box)])
        // More connections than there are slots, each sending only a request line, as a client
        // that renews them before the request deadline would keep them.
        var held: [RawClient] = []
        for _ in 0..<40 {
            let client = try RawClient(port: serve.port)
            client.send("POST /alertmanager HTTP/1.1\r\n")
            held.append(client)
        }
        // The attack renews its connections every few seconds: each is older than the second a
        // new connection has to authenticate before it may be closed to make room.
        usleep(2_000_000)
        let body = P.json([P.alert("a1")])
        let reply = try serve.post(body, token: Self.token)
        #expect(reply.status == 200, "\(reply.status) \(reply.body)")
        let again = try serve.post(P.json([P.alert("a2")]), token: Self.token)
        #expect(again.status == 200, "\(again.status) \(again.body)")
        // A closed connection's thread logs why when it next wakes: on a busy machine that can
        // come after the posts are answered, so the log is read until it says so (a minute at
        // most).
        let said = "connections from 127.0.0.1 that have not authenticated"
        let deadline = Date().addingTimeInterval(60)
        while !serve.log.contains(said), Date() < deadline { usleep(50_000) }
        #expect(serve.log.contains(said), "\(serve.log)")
        held.removeAll()
        #expect(serve.stop() == 0)
    }

    @Test func aWrongTokenIsRefusedAsSoonAsItsHeaderLineArrives() throws {
        let box = try Sandbox()
        let token = try tokenFile(box)
        let serve = try ServeProcess(box, ["--token-file", token, "--request-timeout", "60"])
        let client = try RawClient(port: serve.port)
        // The head is not finished: the refusal must not wait for it (nor for the 60 s deadline).
        client.send("POST /alertmanager HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer guess\r\n")
        let reply = client.response(timeout: 30)
        #expect(reply.status == 401, "\(reply.status) \(reply.body)")
        #expect(reply.body.contains("wrong bearer token"))
        #expect(client.closedByServer(timeout: 30))
        #expect(serve.stop() == 0)
    }

    // MARK: alert routes

    @Test func aCostlyRouteRegexIsRefusedWhenTheConfigLoads() throws {
        let box = try Sandbox()
        try box.ok(["init", "--dir", box.store])
        let config = #"{"alerts":{"routes":[{"match":["team=~\"(a+)+\""],"severity":"SEV1"}]}}"#
        try Data(config.utf8).write(to: URL(fileURLWithPath: box.store + "/config.json"))
        let team = String(repeating: "a", count: 41) + "!"
        let payload = P.json([P.alert("a1", labels: ["team": team])])
        let started = Date()
        let result = try box.run(["ingest", "alertmanager", "-"], stdin: payload)
        #expect(Date().timeIntervalSince(started) < 60)
        #expect(result.status == 1, "\(result.stdout)")
        let refusal = #"invalid matcher 'team=~"(a+)+"': the regular expression is too costly"#
        #expect(result.stderr.contains(refusal), "\(result.stderr)")
        #expect(
            result.stderr.contains("a repeated group contains a repetition"),
            "\(result.stderr)")
        let tokenPath = try tokenFile(box)
        // Bounded: a serve that starts anyway is stopped, not waited for.
        let serve = try box.sh(
            "timeout 120 '\(Sandbox.binary)' serve --listen 127.0.0.1:0 "
                + "--token-file '\(tokenPath)'", timeout: 150)
        #expect(serve.status == 1 && serve.stderr.contains("too costly"), "\(serve.stderr)")

        // Polynomial shapes that pass the syntax check are caught by counting steps.
        let stacked = #"{"alerts":{"routes":[{"match":["team=~\"a*a*a*a*a*a*b\""]}]}}"#
        try Data(stacked.utf8).write(to: URL(fileURLWithPath: box.store + "/config.json"))
        let counted = try box.run(["ingest", "alertmanager", "-"], stdin: payload)
        #expect(
            counted.status == 1 && counted.stderr.contains("steps on a value of"),
            "\(counted.stderr)")

        // An ordinary route still works.
        let fine = #"{"alerts":{"routes":[{"match":["team=~\"a+|db-.*\""],"severity":"SEV1"}]}}"#
        try Data(fine.utf8).write(to: URL(fileURLWithPath: box.store + "/config.json"))
        #expect(try box.run(["ingest", "alertmanager", "-"], stdin: payload).status == 0)
    }

    // MARK: strikes

    /// Appends an entry with a correct hash to a replica file, as a hand-made or hostile push
    /// could.
    static let forge = #"""
        import hashlib, json, sys
        path, kind, text, data, at = sys.argv[1:6]
        def field(name, value):
            raw = value.encode("utf-8")
            return name.encode("utf-8") + b" " + str(len(raw)).encode() + b"\n" + raw + b"\n"
        d = json.load(open(path, encoding="utf-8"))
        last = d["entries"][-1]
        e = {"seq": last["seq"] + 1, "at": at, "recordedAt": at, "author": "mallory", "kind": kind,
             "text": text, "data": json.loads(data), "parents": []}
        body = field("seq", str(e["seq"]))
        for name in ("at", "recordedAt", "author", "kind", "text"):
            body += field(name, e[name])
        for key in sorted(e["data"], key=lambda k: k.encode("utf-8")):
            body += field("data." + key, e["data"][key])
        head = (b"irctl-entry-v2\n" + field("incident", d["incident"])
                + field("replica", d["replica"]) + field("prev", last["hash"]))
        e["hash"] = hashlib.sha256(head + body).hexdigest()
        d["entries"].append(e)
        json.dump(d, open(path, "w", encoding="utf-8"), indent=2)
        print(e["hash"])
        """#

    @discardableResult
    static func forge(
        _ box: borrowing Sandbox, kind: String, data: [String: String],
        at: String
    ) throws -> String {
        let script = box.root + "/forge.py"
        try Data(forge.utf8).write(to: URL(fileURLWithPath: script))
        let json = String(decoding: try JSONSerialization.data(withJSONObject: data), as: UTF8.self)
        let file = box.incidentFile(1)
        let at = "2026-11-21T\(at):00Z"
        let result = try box.sh("python3 '\(script)' '\(file)' '\(kind)' Struck '\(json)' '\(at)'")
        try #require(result.status == 0, "python3 is needed for this test: \(result.stderr)")
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func aStrikeThatTheStrikeCommandWouldRefuseIsIgnoredAndReported() throws {
        let box = try Sandbox()
        let env = ["IRCTL_NOW": "2026-11-21T10:00:00Z"]
        try box.ok(["declare", "Checkout down", "-s", "SEV2"], env: env)
        try box.ok(["log", "1", "rolled back the deploy"], env: env)
        try box.ok(["contain", "1"], env: env)
        try box.ok(["strike", "1", "3", "--reason", "wrong incident"], env: env)
        let timeline = try Self.timeline(box)
        let hashes = timeline.compactMap { $0["hash"] as? String }
        try #require(hashes.count == 5)
        // Strikes of a phase entry, of a strike, of the struck note again, and of nothing.
        let nowhere = String(repeating: "0", count: 64)
        let targets = [hashes[0], hashes[3], hashes[4], hashes[2], nowhere]
        for (k, target) in targets.enumerated() {
            try Self.forge(
                box, kind: "strike", data: ["entry": target, "reason": "x"],
                at: "10:0\(k + 1)")
        }

        let verify = try box.run(["verify", "1"])
        #expect(verify.status == 1, "\(verify.stdout)")
        #expect(
            verify.stdout.contains(
                "entry #6 strikes entry #1, a phase change, which a strike "
                    + "can't undo; it is ignored"), "\(verify.stdout)")
        #expect(verify.stdout.contains("entry #7 strikes entry #4"), "\(verify.stdout)")
        #expect(verify.stdout.contains("entry #8 strikes entry #5, a strike"), "\(verify.stdout)")
        #expect(
            verify.stdout.contains("entry #9 strikes entry #3, which entry #5 struck already"),
            "\(verify.stdout)")
        #expect(
            verify.stdout.contains("entry #10 strikes an entry that is not in this incident"),
            "\(verify.stdout)")

        let shown = try box.run(["show", "1"])
        #expect(shown.status == 0)
        #expect(
            shown.stderr.contains("INC-1: entry #6 strikes entry #1, a phase change"),
            "\(shown.stderr)")
        let postmortem = try box.ok(["postmortem", "1"])
        #expect(postmortem.contains("Declared SEV2"), "phase entries stay: \(postmortem)")
        #expect(!postmortem.contains("rolled back the deploy"), "a note 'strike' struck stays out")
    }

    // MARK: symlinks

    @Test func noWalkOfTheStoreFollowsASymlinkedIncidentDirectory() throws {
        let box = try Sandbox()
        try box.ok(["declare", "Checkout down"])
        let outside = box.root + "/outside"
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: outside + "/.precious.tmp"))
        try Data("{}".utf8).write(to: URL(fileURLWithPath: outside + "/0123456789abcdef.json"))
        let link = box.store + "/incidents/0a0b0c0d-1111-2222-3333-444455556666"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: outside)

        let reindex = try box.run(["reindex"])
        #expect(reindex.status == 0, "\(reindex.stderr)")
        #expect(
            FileManager.default.fileExists(atPath: outside + "/.precious.tmp"),
            "reindex deleted a file outside the store")
        #expect(
            reindex.stderr.contains("\(link) is a symbolic link; irctl refuses to follow"),
            "\(reindex.stderr)")
        for arguments in [["list"], ["verify"], ["stats"]] {
            let result = try box.run(arguments)
            let said = result.stdout + result.stderr
            #expect(said.contains("\(link) is a symbolic link"), "\(arguments): \(said)")
        }
        #expect(try box.run(["verify"]).status == 1)
        #expect(try box.ok(["show", "1"]).contains("Checkout down"))
        #expect(FileManager.default.fileExists(atPath: outside + "/.precious.tmp"))
    }

    // MARK: mentions and links in status updates

    static let loud =
        "Ping @channel @here @All @everyone <!channel> <!here|here> "
        + "[click](http://evil.example/x) ![img](http://evil.example/p.png)"

    @Test(arguments: ["slack", "markdown"])
    func storedTextCannotPingEveryoneOrEmbedLinks(_ format: String) throws {
        let box = try Sandbox()
        try box.ok(["declare", Self.loud, "-s", "SEV3"])
        let text = try box.ok([
            "update", "1", "--dry-run", "--format", format,
            "-m", "db @here [a](http://b.example)",
        ])
        let loud = [
            "@channel", "@here", "@All", "@everyone", "<!channel>", "<!here", "](http",
            "![img]",
        ]
        for word in loud {
            #expect(!text.contains(word), "\(format): \(word) in \(text)")
        }
        #expect(text.contains("@\u{2060}channel") && text.contains("@\u{2060}here"), "\(text)")
    }

    @Test func theMessageMayPingWhenAskedExplicitly() throws {
        let box = try Sandbox()
        try box.ok(["declare", "Ping @channel", "-s", "SEV3"])
        let slack = try box.ok([
            "update", "1", "--dry-run", "--format", "slack", "--allow-mentions",
            "-m", "<!here> db is back, see [status](https://status.example)",
        ])
        #expect(
            slack.contains("<!here> db is back, see [status](https://status.example)"),
            "\(slack)")
        #expect(slack.contains("Ping @\u{2060}channel"), "the title is stored data: \(slack)")
        let markdown = try box.ok([
            "update", "1", "--dry-run", "--format", "markdown",
            "--allow-mentions",
            "-m", "@here see [status](https://status.example)",
        ])
        #expect(markdown.contains("@here see [status](https://status.example)"), "\(markdown)")
        #expect(try box.ok(["update", "--help"]).contains("--allow-mentions"))
    }
}
