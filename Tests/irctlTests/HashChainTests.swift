import Foundation
import Testing

/// `irctl verify`, checked against an independent implementation of the documented hash input.
@Suite struct HashChainTests {
    /// The README's "Hash-chain format", implemented from the text alone in Python: if irctl and
    /// this script agree on every head, the format is documented precisely enough to verify a store
    /// without irctl.
    static let independentVerifier = #"""
        import hashlib, json, os, sys

        def field(name, value):
            raw = value.encode("utf-8")
            return name.encode("utf-8") + b" " + str(len(raw)).encode() + b"\n" + raw + b"\n"

        def content(entry):
            text = field("seq", str(entry["seq"]))
            for name in ("at", "recordedAt", "author", "kind", "text"):
                text += field(name, entry[name])
            data = entry.get("data", {})
            for key in sorted(data, key=lambda k: k.encode("utf-8")):
                text += field("data." + key, data[key])
            return text

        def entry_hash(entry, uid, replica, previous):
            if "parents" not in entry:  # converted from store format 1
                return hashlib.sha256(b"irctl-entry-v1\n" + field("prev", previous) + \#
        content(entry)).hexdigest()
            text = b"irctl-entry-v2\n" + field("incident", uid) + field("replica", replica) + \#
        field("prev", previous)
            for parent in sorted(entry["parents"], key=lambda p: p.encode("utf-8")):
                text += field("parent", parent)
            return hashlib.sha256(text + content(entry)).hexdigest()

        store = sys.argv[1]
        failed = False
        incidents = os.path.join(store, "incidents")
        for directory in sorted(os.listdir(incidents)):
            files = sorted(n for n in os.listdir(os.path.join(incidents, directory)) if \#
        n.endswith(".json") and not n.startswith("."))
            chains = []
            for name in files:
                with open(os.path.join(incidents, directory, name), encoding="utf-8") as f:
                    chains.append((name[:-5], json.load(f)))
            known = {e["hash"] for _, c in chains for e in c["entries"]}
            count = len(known)
            bad = None
            for replica, chain in chains:
                previous = ""
                for index, entry in enumerate(chain["entries"]):
                    if (entry["seq"] != index + 1 or entry_hash(entry, chain["incident"], \#
        replica, previous) != entry["hash"]
                            or any(p not in known for p in entry.get("parents", []))):
                        bad = (replica, index + 1)
                        break
                    previous = entry["hash"]
                if bad:
                    break
            if bad is None:
                print(directory, "ok", count)
            else:
                failed = True
                print(directory, "bad", bad[0], bad[1])
        sys.exit(1 if failed else 0)
        """#

    /// A store whose timelines hold everything that could trip a second implementation: non-ASCII,
    /// newlines, tabs, quotes, backslashes, escape characters, data keys, redactions, entries in
    /// the past.
    static func richStore() throws -> Sandbox {
        let box = try Sandbox()
        let env = ["IRCTL_NOW": "2026-11-21T14:00:00Z"]
        try box.ok(
            [
                "declare", "Checkout 5xx — ünïcödé 日本語 🔥", "-s", "SEV2", "--service", "checkout",
                "--commander", "alice",
            ], env: env)
        try box.ok(
            ["log", "1", "line one\nline two\twith tab \"quoted\" back\\slash \u{1B}[2J"], env: env)
        try box.ok(
            [
                "log", "1", "--kind", "action", "--at", "10m ago",
                "rolled back; password=hunter2 removed",
            ], env: env)
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
        let irctl = incidents.map {
            "\(($0["file"] as! NSString).lastPathComponent) ok \($0["entries"]!)"
        }.sorted()
        #expect(incidents.count == 3)

        let script = box.root + "/verify_chain.py"
        try Self.independentVerifier.write(toFile: script, atomically: true, encoding: .utf8)
        let python = try box.sh(
            "python3 \"$0\" \"$IRCTL_DIR\"".replacingOccurrences(of: "$0", with: script))
        #expect(
            python.status == 0, "python3 is needed for this test (CI installs it): \(python.stderr)"
        )
        #expect(python.stdout.split(separator: "\n").map(String.init) == irctl)
        let file = box.incidentFile(1)
        let directory = (box.incidentDirectory(1) as NSString).lastPathComponent
        let replica = ((file as NSString).lastPathComponent as NSString).deletingPathExtension

        // Both must also point at the same entry once a file is edited by hand.
        try box.sh(
            #"python3 -c 'import json,sys; p=sys.argv[1]; d=json.load(open(p)); d["entries"][2]"#
                + #"["text"]="rolled back quietly"; json.dump(d, open(p, "w")"#
                + #", indent=2, ensure_ascii=False)' "#
                + file)
        let again = try box.sh("python3 \"\(script)\" \"$IRCTL_DIR\"")
        #expect(again.status == 1)
        #expect(again.stdout.contains("\(directory) bad \(replica) 3\n"))
        let tampered = try box.run(["verify"])
        #expect(tampered.status == 1)
        #expect(tampered.stdout.hasPrefix("INC-1: FAILED at entry #3: "))
        #expect(tampered.stdout.contains("INC-2: ok, "))
        #expect(tampered.stderr.contains("1 of 3 incidents failed verification: INC-1 (entry #3)"))
    }

    @Test func verifyNamesTheFirstBadEntryForEachKindOfTampering() throws {
        let cases: [(String, String, Int)] = [
            ("edit a text", #"d["entries"][1]["text"] = "something else""#, 2),
            ("edit an author", #"d["entries"][2]["author"] = "mallory""#, 3),
            ("edit a time", #"d["entries"][1]["at"] = "2020-01-01T00:00:00Z""#, 2),
            ("edit data", #"d["entries"][4]["data"]["to"] = "recover""#, 5),
            (
                "edit what the incident opened with",
                #"d["entries"][0]["data"]["title"] = "Nothing happened""#, 1
            ),
            ("drop a parent link", #"d["entries"][3]["parents"] = ["0" * 64]"#, 4),
            // The timeline renumbers without the dropped entry: the one after it now shows as #2.
            ("drop a middle entry", #"del d["entries"][1]"#, 2),
            (
                "swap two entries",
                #"d["entries"][1], d["entries"][2] = d["entries"][2], d["entries"][1]"#, 2
            ),
            (
                "recompute nothing after renumbering",
                #"del d["entries"][1]; [e.update(seq=i + 1) for i, e in enumerate(d["entries"])]"#,
                2
            ),
        ]
        for (what, edit, seq) in cases {
            let box = try Self.richStore()
            let script =
                "import json,sys; p=sys.argv[1]; d=json.load(open(p)); \(edit); json.dump(d, "
                + "open(p, 'w'), indent=2)"
            let edited = try box.sh(
                "python3 -c '\(script.replacingOccurrences(of: "'", with: "'\\''"))' "
                    + box.incidentFile(1))
            try #require(edited.status == 0, "\(what): \(edited.stderr)")
            let result = try box.run(["verify", "1"])
            #expect(result.status == 1, "\(what)")
            #expect(
                result.stdout.hasPrefix("INC-1: FAILED at entry #\(seq): "),
                "\(what): \(result.stdout)")
            #expect(
                result.stderr.contains("INC-1 failed verification at entry #\(seq)"),
                "\(what): \(result.stderr)")
            let json = try #require(
                try Sandbox.json(try box.run(["verify", "1", "--json"]).stdout) as? [String: Any])
            let first = try #require((json["incidents"] as? [[String: Any]])?.first)
            #expect((first["firstMismatch"] as? [String: Any])?["seq"] as? Int == seq, "\(what)")
        }
    }

    @Test func expectHeadCatchesADroppedLastEntry() throws {
        let box = try Self.richStore()
        let line = try box.ok(["verify", "1"])
        let head = try #require(line.split(separator: " ").last.map { String($0.dropLast()) })
        #expect(head.count == 64)
        #expect(
            try box.ok(["verify", "1", "--expect-head", head])
                .hasSuffix("(the expected head: the same 6 entries in the same order)\n"))
        // Appending is what timelines are for: a recorded head stays valid.
        try box.ok(["log", "1", "later note"])
        #expect(
            try box.ok(["verify", "1", "--expect-head", head.uppercased()]).contains(
                "(1 entry appended after the expected head)"))

        // Dropping the last two entries leaves a chain that is valid on its own: the clone that
        // wrote them knows its own last entry and says what is missing…
        try box.sh(
            #"python3 -c 'import json,sys; p=sys.argv[1]; d=json.load(open(p)); d["entries"]"#
                + #"=d["entries"][:-2]; json.dump(d, open(p, "w"), indent=2)' "#
                + box.incidentFile(1))
        let own = try box.run(["verify", "1"])
        #expect(
            own.status == 1 && own.stdout.contains("this clone's entries 6–7 of its chain"),
            "\(own.stdout)")
        // …but any other clone (here: this one without its record) sees a valid chain…
        try box.sh(#"rm -r "$IRCTL_DIR/local/heads""#)
        #expect(try box.run(["verify", "1"]).status == 0)
        // …which only the recorded head exposes.
        let result = try box.run(["verify", "1", "--expect-head", head])
        #expect(result.status == 1)
        #expect(result.stdout.contains("FAILED: the timeline up to the recorded head \(head)"))
        let json = try #require(
            try Sandbox.json(try box.run(["verify", "1", "--expect-head", head, "--json"]).stdout)
                as? [String: Any])
        #expect(json["ok"] as? Bool == false)

        #expect(try box.run(["verify", "--expect-head", head]).status == 2)
        #expect(try box.run(["verify", "1", "--expect-head", "abc"]).status == 2)
        #expect(
            try box.run(["verify", "1", "--expect-head", String(repeating: "g", count: 64)]).status
                == 2)
    }

    @Test func verifyReportsUnreadableFilesAndKeepsGoing() throws {
        let box = try Self.richStore()
        let file = box.incidentFile(2)
        try Data("{\"incident\": \"x\", \"entri".utf8).write(to: URL(fileURLWithPath: file))
        let result = try box.run(["verify"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("INC-1: ok, "))
        #expect(result.stdout.contains("INC-2: UNREADABLE: \(file) is not a valid incident file"))
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
