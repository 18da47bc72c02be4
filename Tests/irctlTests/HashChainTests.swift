import Foundation
import Testing

/// `irctl verify`, checked against an independent implementation of the documented hash input.
@Suite struct HashChainTests {
    /// The README's "Hash-chain format", implemented from the text alone in Python: if irctl and this
    /// script agree on every head, the format is documented precisely enough to verify a store without irctl.
    static let independentVerifier = #"""
    import hashlib, json, os, sys

    def field(name, value):
        raw = value.encode("utf-8")
        return name.encode("utf-8") + b" " + str(len(raw)).encode() + b"\n" + raw + b"\n"

    def entry_hash(entry, previous):
        text = b"irctl-entry-v1\n"
        text += field("prev", previous)
        text += field("seq", str(entry["seq"]))
        for name in ("at", "recordedAt", "author", "kind", "text"):
            text += field(name, entry[name])
        data = entry.get("data", {})
        for key in sorted(data, key=lambda k: k.encode("utf-8")):
            text += field("data." + key, data[key])
        return hashlib.sha256(text).hexdigest()

    store = sys.argv[1]
    failed = False
    names = [n for n in os.listdir(os.path.join(store, "incidents")) if n.startswith("INC-") and n.endswith(".json")]
    for name in sorted(names, key=lambda n: int(n[4:-5])):
        with open(os.path.join(store, "incidents", name), encoding="utf-8") as f:
            incident = json.load(f)
        previous = ""
        bad = None
        for index, entry in enumerate(incident["timeline"]):
            if entry["seq"] != index + 1 or entry_hash(entry, previous) != entry["hash"]:
                bad = entry["seq"]
                break
            previous = entry["hash"]
        if bad is None:
            print(incident["id"], "ok", len(incident["timeline"]), previous)
        else:
            failed = True
            print(incident["id"], "bad", bad)
    sys.exit(1 if failed else 0)
    """#

    /// A store whose timelines hold everything that could trip a second implementation: non-ASCII,
    /// newlines, tabs, quotes, backslashes, escape characters, data keys, redactions, entries in the past.
    static func richStore() throws -> Sandbox {
        let box = try Sandbox()
        let env = ["IRCTL_NOW": "2026-11-21T14:00:00Z"]
        try box.ok(["declare", "Checkout 5xx — ünïcödé 日本語 🔥", "-s", "SEV2", "--service", "checkout", "--commander", "alice"], env: env)
        try box.ok(["log", "1", "line one\nline two\twith tab \"quoted\" back\\slash \u{1B}[2J"], env: env)
        try box.ok(["log", "1", "--kind", "action", "--at", "10m ago", "rolled back; password=hunter2 removed"], env: env)
        try box.ok(["contain", "1", "-m", "e\u{301}rror rate falling"], env: env)
        try box.ok(["--as", "Zoë O'Brien", "log", "1", "-"], stdin: "pasted\r\noutput\n", env: env)
        try box.ok(["detect", "Disk filling on db-2"], env: env)
        try box.ok(["declare", "2", "-s", "1"], env: env)
        try box.ok(["declare", "Third"], env: env)
        try box.ok(["close", "3", "--force", "-m", "false alarm"], env: env)
        return box
    }

    @Test func anIndependentScriptAgreesWithIrctlOnEveryHead() throws {
        let box = try Self.richStore()
        let verified = try box.run(["verify", "--json"])
        #expect(verified.status == 0, "\(verified.stderr)")
        let json = try #require(try Sandbox.json(verified.stdout) as? [String: Any])
        #expect(json["ok"] as? Bool == true)
        let incidents = try #require(json["incidents"] as? [[String: Any]])
        let irctl = incidents.map { "\($0["id"]!) ok \($0["entries"]!) \($0["head"]!)" }
        #expect(incidents.count == 3)

        let script = box.root + "/verify_chain.py"
        try Self.independentVerifier.write(toFile: script, atomically: true, encoding: .utf8)
        let python = try box.sh("python3 \"$0\" \"$IRCTL_DIR\"".replacingOccurrences(of: "$0", with: script))
        #expect(python.status == 0, "python3 is needed for this test (CI installs it): \(python.stderr)")
        #expect(python.stdout.split(separator: "\n").map(String.init) == irctl)

        // Both must also point at the same entry once a file is edited by hand.
        try box.sh(#"python3 -c 'import json,sys; p=sys.argv[1]; d=json.load(open(p)); d["timeline"][2]["text"]="rolled back quietly"; json.dump(d, open(p, "w"), indent=2, ensure_ascii=False)' "#
            + box.incidentFile(1))
        let again = try box.sh("python3 \"\(script)\" \"$IRCTL_DIR\"")
        #expect(again.status == 1)
        #expect(again.stdout.hasPrefix("INC-1 bad 3\n"))
        let tampered = try box.run(["verify"])
        #expect(tampered.status == 1)
        #expect(tampered.stdout.hasPrefix("INC-1: FAILED at entry #3: "))
        #expect(tampered.stdout.contains("INC-2: ok, "))
        #expect(tampered.stderr.contains("1 of 3 incidents failed verification: INC-1 (entry #3)"))
    }

    @Test func verifyNamesTheFirstBadEntryForEachKindOfTampering() throws {
        let cases: [(String, String, Int)] = [
            ("edit a text", #"d["timeline"][1]["text"] = "something else""#, 2),
            ("edit an author", #"d["timeline"][2]["author"] = "mallory""#, 3),
            ("edit a time", #"d["timeline"][1]["at"] = "2020-01-01T00:00:00Z""#, 2),
            ("edit data", #"d["timeline"][4]["data"]["to"] = "recover""#, 5),
            ("drop a middle entry", #"del d["timeline"][1]"#, 3),
            ("swap two entries", #"d["timeline"][1], d["timeline"][2] = d["timeline"][2], d["timeline"][1]"#, 3),
            ("recompute nothing after renumbering", #"del d["timeline"][1]; [e.update(seq=i + 1) for i, e in enumerate(d["timeline"])]"#, 2),
        ]
        for (what, edit, seq) in cases {
            let box = try Self.richStore()
            let script = "import json,sys; p=sys.argv[1]; d=json.load(open(p)); \(edit); json.dump(d, open(p, 'w'), indent=2)"
            let edited = try box.sh("python3 -c '\(script.replacingOccurrences(of: "'", with: "'\\''"))' " + box.incidentFile(1))
            try #require(edited.status == 0, "\(what): \(edited.stderr)")
            let result = try box.run(["verify", "1"])
            #expect(result.status == 1, "\(what)")
            #expect(result.stdout.hasPrefix("INC-1: FAILED at entry #\(seq): "), "\(what): \(result.stdout)")
            #expect(result.stderr.contains("INC-1 failed verification at entry #\(seq)"), "\(what): \(result.stderr)")
            let json = try #require(try Sandbox.json(try box.run(["verify", "1", "--json"]).stdout) as? [String: Any])
            let first = try #require((json["incidents"] as? [[String: Any]])?.first)
            #expect((first["firstMismatch"] as? [String: Any])?["seq"] as? Int == seq, "\(what)")
        }
    }

    @Test func expectHeadCatchesADroppedLastEntry() throws {
        let box = try Self.richStore()
        let line = try box.ok(["verify", "1"])
        let head = try #require(line.split(separator: " ").last.map { String($0.dropLast()) })
        #expect(head.count == 64)
        #expect(try box.ok(["verify", "1", "--expect-head", head]).hasSuffix("(the expected head)\n"))
        // Appending is what timelines are for: a recorded head stays valid.
        try box.ok(["log", "1", "later note"])
        #expect(try box.ok(["verify", "1", "--expect-head", head.uppercased()]).contains("(1 entry appended after the expected head)"))

        // Dropping the last two entries leaves a chain that is valid on its own…
        try box.sh(#"python3 -c 'import json,sys; p=sys.argv[1]; d=json.load(open(p)); d["timeline"]=d["timeline"][:-2]; json.dump(d, open(p, "w"), indent=2)' "# + box.incidentFile(1))
        #expect(try box.run(["verify", "1"]).status == 0)
        // …which only the recorded head exposes.
        let result = try box.run(["verify", "1", "--expect-head", head])
        #expect(result.status == 1)
        #expect(result.stdout.contains("FAILED: the recorded head \(head) is not in the timeline"))
        let json = try #require(try Sandbox.json(try box.run(["verify", "1", "--expect-head", head, "--json"]).stdout) as? [String: Any])
        #expect(json["ok"] as? Bool == false)

        #expect(try box.run(["verify", "--expect-head", head]).status == 2)
        #expect(try box.run(["verify", "1", "--expect-head", "abc"]).status == 2)
        #expect(try box.run(["verify", "1", "--expect-head", String(repeating: "g", count: 64)]).status == 2)
    }

    @Test func verifyReportsUnreadableFilesAndKeepsGoing() throws {
        let box = try Self.richStore()
        try Data("{\"id\": \"INC-2\", \"timeli".utf8).write(to: URL(fileURLWithPath: box.incidentFile(2)))
        let result = try box.run(["verify"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("INC-1: ok, "))
        #expect(result.stdout.contains("INC-2: UNREADABLE: \(box.incidentFile(2)) is not a valid incident file"))
        #expect(result.stdout.contains("INC-3: ok, "))
        #expect(result.stderr.contains("1 of 3 incidents failed verification: INC-2 (unreadable)"))

        #expect(try box.run(["verify", "9"]).status == 1)
        #expect(try box.run(["verify", "../x"]).status == 2)
        let empty = try Sandbox()
        let none = try empty.run(["verify"])
        #expect(none.status == 0)
        #expect(none.stderr.contains("no incidents to verify"))
    }
}
