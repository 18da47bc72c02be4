import Foundation
import Testing

/// Issue 3 through the real binary: narrative, edit, action items, postmortem, check and stats.
@Suite struct PostmortemEndToEndTests {
    static let clock = ["IRCTL_NOW": "2026-11-21T16:00:00Z"]

    /// A SEV2 detected 14:02, impact from 13:55, contained 14:20, recovered 14:40, in review.
    static func reviewed(_ box: borrowing Sandbox) throws {
        try box.ok(
            [
                "declare", "Checkout 5xx", "-s", "SEV2", "--service", "checkout", "--commander",
                "alice",
                "--started", "13:55", "--detected", "14:02",
            ], env: ["IRCTL_NOW": "2026-11-21T14:05:00Z"])
        try box.ok(["contain", "1", "--at", "14:20"], env: clock)
        try box.ok(["recover", "1", "--at", "14:40"], env: clock)
        try box.ok(["review", "1", "--at", "15:00"], env: clock)
    }

    @Test func setNarrativeTitleAndTimes() throws {
        let box = try Sandbox()
        try Self.reviewed(box)
        #expect(
            try box.ok(["set", "1", "root-cause", "pool", "too", "small"], env: Self.clock)
                == "INC-1: set root-cause\n")
        #expect(
            try box.ok(
                ["set", "INC-1", "summary", "-"], stdin: "line one\nline two\n", env: Self.clock)
                == "INC-1: set summary\n")
        #expect(
            try box.ok(["set", "1", "title", "Checkout returns 503"], env: Self.clock)
                == "INC-1: title is now Checkout returns 503\n")
        #expect(
            try box.ok(["set", "1", "started", "13:50"], env: Self.clock)
                == "INC-1: impact started 2026-11-21 13:50\n")
        #expect(
            try box.ok(["set", "1", "detected", "14:00"], env: Self.clock)
                == "INC-1: detected 2026-11-21 14:00\n")
        #expect(
            try box.ok(["set", "1", "summary", "--clear"], env: Self.clock)
                == "INC-1: cleared summary\n")
        let file = try box.incidentJSON(1)
        let narrative = try #require(file["narrative"] as? [String: Any])
        #expect(narrative["rootCause"] as? String == "pool too small")
        #expect(narrative["summary"] == nil)
        #expect(file["title"] as? String == "Checkout returns 503")
        #expect(file["startedAt"] as? String == "2026-11-21T13:50:00Z")
        #expect(file["detectedAt"] as? String == "2026-11-21T14:00:00Z")
        let edits = try #require(file["timeline"] as? [[String: Any]]).filter {
            $0["kind"] as? String == "edit"
        }
        #expect(edits.count == 6)
        let data = edits.compactMap { $0["data"] as? [String: String] }
        #expect(
            data[3] == [
                "field": "started", "from": "2026-11-21T13:55:00Z", "to": "2026-11-21T13:50:00Z",
            ])
        #expect(
            data[4] == [
                "field": "detected", "from": "2026-11-21T14:02:00Z", "to": "2026-11-21T14:00:00Z",
            ])
        #expect(data[2]["from"] == "Checkout 5xx" && data[2]["to"] == "Checkout returns 503")
    }

    @Test(arguments: [
        (["set", "1", "rootcase", "x"], Int32(2), "unknown field 'rootcase'"),
        (["set", "1", "lucky", ""], 2, "give some text, or clear the field with --clear"),
        (["set", "1", "title", "--clear"], 1, "can't be cleared"),
        (["set", "1", "lucky", "x", "--clear"], 2, "--clear takes no TEXT"),
        (["set", "1", "started", "15:00"], 1, "after INC-1 was detected"),
        (["set", "1", "detected", "14:30"], 1, "after it was declared"),
        (["set", "1", "started", "in 2h"], 2, "is in the future"),
        (["set", "1", "started", "soonish"], 2, "soonish"),
        (["set", "1"], 2, "missing FIELD"),
        (["set", "9", "summary", "x"], 1, "no incident INC-9"),
    ])
    func setErrors(arguments: [String], status: Int32, message: String) throws {
        let box = try Sandbox()
        try Self.reviewed(box)
        let result = try box.run(arguments, env: Self.clock)
        #expect(result.status == status, "\(result.stderr)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }

    @Test func editStoresOnlyChangedFieldsThroughTheEditor() throws {
        let box = try Sandbox()
        try Self.reviewed(box)
        try box.ok(["set", "1", "lucky", "before peak"], env: Self.clock)
        // A fake editor with arguments: replaces the Root cause section's empty body and clears
        // lucky.
        let script = box.root + "/fake-editor.sh"
        try """
        #!/bin/sh
        [ "$1" = "--flag" ] || exit 3
        sed -i -e '/^## Root cause$/{n;a\\
        The pool was sized for the old workers.
        }' -e '/^before peak$/d' "$2"
        """.write(toFile: script, atomically: true, encoding: .utf8)
        chmod(script, 0o755)
        let out = try box.ok(
            ["edit", "1"],
            env: Self.clock.merging(["EDITOR": script + " --flag", "VISUAL": ""]) { $1 })
        #expect(out == "INC-1: edited root-cause, lucky\n")
        let file = try box.incidentJSON(1)
        let narrative = try #require(file["narrative"] as? [String: Any])
        #expect(narrative["rootCause"] as? String == "The pool was sized for the old workers.")
        #expect(narrative["lucky"] == nil)
        let edits = try #require(file["timeline"] as? [[String: Any]]).filter {
            $0["kind"] as? String == "edit"
        }
        #expect(edits.count == 3)
    }

    @Test func editStoresNothingWhenUnchangedOrTheEditorFails() throws {
        let box = try Sandbox()
        try Self.reviewed(box)
        let before = try Data(contentsOf: URL(fileURLWithPath: box.incidentFile(1)))
        let unchanged = try box.run(
            ["edit", "1"], env: Self.clock.merging(["EDITOR": "true"]) { $1 })
        #expect(unchanged.status == 0)
        #expect(unchanged.stderr.contains("no changes; nothing stored"))
        let failed = try box.run(
            ["edit", "1"], env: Self.clock.merging(["VISUAL": "sed -i s/Checkout/X/; false"]) { $1 }
        )
        #expect(failed.status == 1)
        #expect(failed.stderr.contains("exited with status 1; nothing stored"))
        let emptied = try box.run(
            ["edit", "1"], env: Self.clock.merging(["EDITOR": "sed -i '/^Checkout 5xx$/d'"]) { $1 })
        #expect(emptied.status == 1)
        #expect(emptied.stderr.contains("the title section is empty"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: box.incidentFile(1))) == before)
    }

    @Test func actionItemsLifecycleAndListing() throws {
        let box = try Sandbox()
        try Self.reviewed(box)
        #expect(
            try box.ok(
                [
                    "action", "add", "1", "alert on pool saturation", "--owner", "bob", "--due",
                    "+3d", "--type", "detect",
                    "--priority", "p1",
                ], env: Self.clock) == "INC-1: added action item A1\n")
        try box.ok(
            ["action", "add", "1", "load test", "--due", "2026-11-20", "-p", "2"], env: Self.clock)
        try box.ok(["action", "add", "1", "update runbook", "--owner", "carol"], env: Self.clock)
        try box.ok(["close", "1"], env: Self.clock)
        // Follow-ups outlive the incident.
        try box.ok(
            ["action", "add", "1", "review dashboards", "--due", "tomorrow", "--owner", "bob"],
            env: Self.clock)
        #expect(
            try box.ok(["action", "done", "1", "a3", "-m", "merged"], env: Self.clock)
                == "INC-1: A3 done\n")
        #expect(
            try box.ok(["action", "reopen", "1", "A3", "-m", "not quite"], env: Self.clock)
                == "INC-1: A3 reopened\n")
        try box.ok(["action", "done", "1", "A3"], env: Self.clock)
        #expect(
            try box.ok(
                ["action", "edit", "1", "A4", "--due", "none", "--priority", "P3"], env: Self.clock)
                == "INC-1: A4 updated\n")

        let json = try #require(
            try Sandbox.json(try box.ok(["actions", "--json"], env: Self.clock)) as? [[String: Any]]
        )
        // Overdue first, then by due date (none last), then done.
        #expect(json.map { $0["id"] as? String } == ["A2", "A1", "A4", "A3"])
        #expect(json[0]["overdue"] as? Bool == true)
        #expect(json[1]["due"] as? String == "2026-11-24T16:00:00Z")
        #expect(json[3]["status"] as? String == "done" && json[3]["note"] as? String == "not quite")
        let open = try box.ok(["actions", "--open", "--owner", "bob"], env: Self.clock)
        #expect(
            open.contains("A1") && open.contains("A4") && !open.contains("A2")
                && !open.contains("A3"))
        let overdue = try box.ok(["actions", "--overdue"], env: Self.clock)
        #expect(overdue.contains("A2") && overdue.contains("overdue") && !overdue.contains("A1"))

        let timeline = try #require(try box.incidentJSON(1)["timeline"] as? [[String: Any]])
        #expect(timeline.filter { $0["kind"] as? String == "action-item" }.count == 8)
    }

    @Test(arguments: [
        (["action", "done", "1", "A9"], Int32(1), "has no action item A9; it has A1"),
        (["action", "done", "1", "B1"], 2, "invalid action item id 'B1'"),
        (["action", "add", "1", "x", "--type", "fix"], 2, "invalid value 'fix' for --type"),
        (["action", "add", "1", "x", "--priority", "P4"], 2, "invalid value 'P4' for --priority"),
        (["action", "add", "1", "x", "--due", "someday"], 2, "someday"),
        (["action", "add", "1", "x", "-m", "note"], 2, "does not apply"),
        (["action", "reopen", "1", "A1"], 1, "still open"),
        (["action", "edit", "1", "A1"], 1, "nothing to change"),
        (["action", "finish", "1", "A1"], 2, "unknown action 'finish'"),
        (["action", "add", "1"], 2, "the action item is empty"),
    ])
    func actionErrors(arguments: [String], status: Int32, message: String) throws {
        let box = try Sandbox()
        try Self.reviewed(box)
        try box.ok(["action", "add", "1", "first"], env: Self.clock)
        let result = try box.run(arguments, env: Self.clock)
        #expect(result.status == status, "\(result.stderr)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }

    @Test func postmortemToStdoutFileAndJSONWithoutWritingTheStore() throws {
        let box = try Sandbox()
        try Self.reviewed(box)
        try box.ok(["set", "1", "root-cause", "pool | too small"], env: Self.clock)
        let before = try Data(contentsOf: URL(fileURLWithPath: box.incidentFile(1)))
        let markdown = try box.ok(["postmortem", "1"], env: Self.clock)
        #expect(markdown.hasPrefix("# INC-1: Checkout 5xx\n"))
        #expect(markdown.contains("pool | too small"))
        #expect(markdown.contains("| Time to contain | 38m |"))
        #expect(
            try box.ok(["postmortem", "1"], env: ["IRCTL_NOW": "2027-01-01T00:00:00Z"]) == markdown)

        let path = box.root + "/out/pm.md"
        try FileManager.default.createDirectory(
            atPath: box.root + "/out", withIntermediateDirectories: true)
        let written = try box.run(["postmortem", "1", "-o", path], env: Self.clock)
        #expect(written.status == 0 && written.stdout.isEmpty)
        #expect(written.stderr.contains("written to \(path)"))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == markdown)
        try box.ok(["postmortem", "1", "--output", path], env: Self.clock)  // replaces

        let json = try #require(
            try Sandbox.json(try box.ok(["postmortem", "1", "--json"], env: Self.clock))
                as? [String: String])
        #expect(json["markdown"] == markdown)
        #expect(try Data(contentsOf: URL(fileURLWithPath: box.incidentFile(1))) == before)
    }

    @Test(arguments: [
        (["postmortem", "7"], "no incident INC-7"),
        (
            ["postmortem", "1", "-o", "/etc/passwd/x/pm.md"],
            "/etc/passwd is a file, not a directory"
        ),
        (["postmortem", "1", "-o", "/tmp"], "is a directory"),
        (["postmortem", "1", "-o", "/tmp/"], "names a directory"),
    ])
    func postmortemErrors(arguments: [String], message: String) throws {
        let box = try Sandbox()
        try Self.reviewed(box)
        let result = try box.run(arguments, env: Self.clock)
        #expect(result.status == 1)
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }

    @Test func checkNamesProblemsAndExitsOne() throws {
        let box = try Sandbox()
        try Self.reviewed(box)
        try box.ok(["action", "add", "1", "alert", "--due", "2026-11-20"], env: Self.clock)
        let result = try box.run(["check"], env: Self.clock)
        #expect(result.status == 1)
        #expect(result.stdout.contains("INC-1  narrative-empty  summary is empty"))
        #expect(result.stdout.contains("fix: irctl set INC-1 summary TEXT"))
        // A due date alone is that day's noon UTC, and check shows it in the reader's zone (UTC
        // here).
        #expect(
            result.stdout.contains("INC-1  action-overdue  action item A1 was due 2026-11-20 12:00")
        )
        #expect(result.stdout.contains("action-no-owner"))
        #expect(result.stderr.contains("problems in 1 incident (1 incident checked)"))
        let json = try #require(
            try Sandbox.json(try box.run(["check", "INC-1", "--json"], env: Self.clock).stdout)
                as? [[String: String]])
        #expect(
            json.contains {
                $0["rule"] == "action-overdue" && $0["incident"] == "INC-1" && $0["fix"] != nil
            })

        try box.ok(["declare", "Active one"], env: Self.clock)
        let fresh = try box.run(["check", "2"], env: Self.clock)
        #expect(fresh.status == 0 && fresh.stderr.contains("no problems"))
        #expect(try box.run(["check", "2", "--all"], env: Self.clock).status == 2)
        let help = try box.ok(["help", "check"])
        for rule in [
            "narrative-empty", "root-cause-missing", "action-no-owner", "action-no-due",
            "action-overdue", "start-missing", "phase-times-missing",
        ] {
            #expect(help.contains(rule))
        }
    }

    @Test func statsFromTheIndex() throws {
        let box = try Sandbox()
        try Self.reviewed(box)
        try box.ok(["action", "add", "1", "alert", "--due", "2026-11-20"], env: Self.clock)
        try box.ok(
            ["declare", "Second", "-s", "SEV1", "--service", "db", "--detected", "15:00"],
            env: Self.clock)
        let json = try #require(
            try Sandbox.json(try box.ok(["stats", "--json"], env: Self.clock)) as? [String: Any])
        #expect(json["count"] as? Int == 2)
        let metrics = try #require(json["metrics"] as? [String: [String: Any]])
        #expect(metrics["timeToDetect"]?["count"] as? Int == 1)
        #expect(metrics["timeToDetect"]?["mean"] as? Double == 420)
        #expect(metrics["timeToRecover"]?["p90"] as? Double == 3480)
        #expect(metrics["timeToDeclare"]?["count"] as? Int == 2)
        #expect(json["actionItems"] as? [String: Int] == ["open": 1, "overdue": 1])
        #expect(
            (json["groups"] as? [[String: Any]])?.map { $0["name"] as? String } == ["SEV1", "SEV2"])

        let text = try box.ok(
            ["stats", "--by", "service"], env: Self.clock.merging(["COLUMNS": "60"]) { $1 })
        #expect(text.hasPrefix("2 incidents (all time)"))
        #expect(text.contains("time to detect    1"))
        #expect(text.contains("Action items: 1 open, 1 overdue"))
        #expect(text.contains("checkout  █"))

        let since = try #require(
            try Sandbox.json(try box.ok(["stats", "--since", "14:30", "--json"], env: Self.clock))
                as? [String: Any])
        #expect(since["count"] as? Int == 1)
        let bad = try box.run(["stats", "--by", "team"], env: Self.clock)
        #expect(bad.status == 2 && bad.stderr.contains("expected severity, service or month"))
    }
}
