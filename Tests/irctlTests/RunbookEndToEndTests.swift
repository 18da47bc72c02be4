import Foundation
import Testing

/// `irctl runbook …`, `declare --runbook` and `step`, through the built binary.
@Suite struct RunbookEndToEndTests {
    static let starterSet = [
        "database-outage", "disk-full", "error-rate-spike", "failed-deployment",
        "latency-regression", "leaked-credential", "tls-certificate-expiry", "traffic-spike-ddos",
    ]
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent()
    static let env = ["IRCTL_NOW": "2026-11-21T14:00:00Z"]

    static func runbook(
        _ title: String, steps: [String] = ["Do it.\n\n   ```sh\n   echo done <incident>\n   ```"]
    ) -> String {
        let list = steps.enumerated().map { "\($0.offset + 1). \($0.element)" }.joined(
            separator: "\n\n")
        return
            "---\ntitle: \(title)\nseverity: SEV3\n---\n\n## When to use\n\nAlways.\n\n## "
            + "Steps\n\n\(list)\n\n## Verify\n\nIt works.\n"
    }

    func write(_ text: String, to path: String) throws {
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    @Test func listShowsTheStarterSet() throws {
        let box = try Sandbox()
        let table = try box.ok(["runbook", "list"])
        let lines = table.split(separator: "\n")
        #expect(lines.first?.hasPrefix("NAME") == true)
        #expect(lines.dropFirst().map { String($0.prefix { $0 != " " }) } == Self.starterSet)
        #expect(table.contains("disk-full               SEV2  9      Disk or volume full"))
        #expect(lines.dropFirst().allSatisfy { $0.hasSuffix("built-in") })

        let json = try #require(
            try Sandbox.json(box.ok(["runbook", "list", "--json"])) as? [[String: Any]])
        #expect(json.count == 8)
        let disk = try #require(json.first { $0["name"] as? String == "disk-full" })
        #expect(disk["title"] as? String == "Disk or volume full")
        #expect(disk["severity"] as? String == "SEV2")
        #expect(disk["steps"] as? Int == 9)
        #expect(disk["source"] as? String == "built-in")
        #expect(disk["builtin"] as? Bool == true)
    }

    @Test func showPrintsTheMarkdownSanitized() throws {
        let box = try Sandbox()
        let shown = try box.ok(["runbook", "show", "disk-full"])
        let file = try String(
            contentsOfFile: Self.repository.path + "/runbooks/disk-full.md", encoding: .utf8)
        #expect(shown == file)

        let dir = box.root + "/team"
        try write(Self.runbook("Evil \u{1B}]0;pwned\u{07} title"), to: dir + "/evil.md")
        let evil = try box.ok(["runbook", "show", "evil", "--runbooks", dir])
        #expect(!evil.contains("\u{1B}"))
        #expect(evil.contains("Evil \\x1B]0;pwned\\x07 title"))

        let json = try #require(
            try Sandbox.json(box.ok(["runbook", "show", "disk-full", "--json"])) as? [String: Any])
        let steps = try #require(json["steps"] as? [[String: Any]])
        #expect(steps.count == 9)
        #expect(steps[0]["command"] as? String == "df -h && df -i")

        let missing = try box.run(["runbook", "show", "no-such-runbook"])
        #expect(missing.status == 1)
        #expect(
            missing.stderr.contains(
                "no runbook named 'no-such-runbook'; available: database-outage"))
        let bad = try box.run(["runbook", "show", "../etc/passwd"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("invalid runbook name '../etc/passwd'"))
    }

    @Test func lintPassesOnTheShippedRunbooks() throws {
        let box = try Sandbox()
        let result = try box.run(["runbook", "lint", Self.repository.path + "/runbooks"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout == "8 runbooks OK\n")
        // No directory at all: the built-in set is linted.
        #expect(try box.ok(["runbook", "lint"]) == "8 runbooks OK\n")
    }

    @Test func lintReportsFileAndLineAndFails() throws {
        let box = try Sandbox()
        let dir = box.root + "/broken"
        try write(
            "---\ntitel: Oops\n---\n\n## When to use\n\nx\n\n## Steps\n\n1. Run it.\n\n   ```sh\n  "
                + " echo never closed\n",
            to: dir + "/bad-one.md")
        try write("# Title only\n\nNo sections.\n", to: dir + "/no-steps.md")
        try write(Self.runbook("Fine"), to: dir + "/fine.md")
        let result = try box.run(["runbook", "lint", dir])
        #expect(result.status == 1)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(
            lines.contains(
                "\(dir)/bad-one.md:2: unknown front matter key 'titel'; known keys: escalation, "
                    + "owner, reviewed, services, severity, tags, title"
            ))
        #expect(
            lines.contains(
                "\(dir)/bad-one.md:13: code block opened with ``` is never closed; add a closing "
                    + "``` line"
            ))
        #expect(
            lines.contains(
                "\(dir)/no-steps.md:1: no '## Steps' section; add one with numbered steps ('1. …')")
        )
        #expect(!result.stdout.contains("fine.md"))
        #expect(lines.allSatisfy { $0.hasPrefix(dir + "/") && $0.split(separator: ":").count >= 3 })
        #expect(result.stderr.contains("problems in 2 of 3 runbook files"))

        let json = try #require(
            try Sandbox.json(box.run(["runbook", "lint", dir + "/no-steps.md", "--json"]).stdout)
                as? [String: Any])
        #expect(json["checked"] as? Int == 1)
        #expect((json["problems"] as? [[String: Any]])?.first?["line"] as? Int == 1)

        let missing = try box.run(["runbook", "lint", box.root + "/nowhere"])
        #expect(missing.status == 1)
        #expect(missing.stdout.contains("/nowhere:1: no such file or directory"))
    }

    @Test func lookupOrderAndOverride() throws {
        let box = try Sandbox()
        let option = box.root + "/option"
        let environment = box.root + "/env"
        let beside = box.root + "/runbooks"
        try write(Self.runbook("Team disk full"), to: option + "/disk-full.md")
        try write(Self.runbook("Env disk full"), to: environment + "/disk-full.md")
        try write(Self.runbook("Env only"), to: environment + "/env-only.md")
        try write(Self.runbook("Beside disk full"), to: beside + "/disk-full.md")
        try write(Self.runbook("Beside only"), to: beside + "/beside-only.md")

        // runbooks/ beside the store beats the built-in one.
        var json = try #require(
            try Sandbox.json(box.ok(["runbook", "list", "--json"])) as? [[String: Any]])
        var disk = try #require(json.first { $0["name"] as? String == "disk-full" })
        #expect(disk["title"] as? String == "Beside disk full")
        #expect(disk["source"] as? String == beside + "/disk-full.md")
        #expect(json.count == 9)

        // IRCTL_RUNBOOKS beats beside; --runbooks beats everything.
        let env = ["IRCTL_RUNBOOKS": environment]
        json = try #require(
            try Sandbox.json(box.ok(["runbook", "list", "--json"], env: env)) as? [[String: Any]])
        disk = try #require(json.first { $0["name"] as? String == "disk-full" })
        #expect(disk["title"] as? String == "Env disk full")
        #expect(json.count == 10)

        let table = try box.ok(["runbook", "list", "--runbooks", option], env: env)
        let row = try #require(table.split(separator: "\n").first { $0.hasPrefix("disk-full ") })
        #expect(row.contains("Team disk full"))
        // The table shows a path below the current directory relative to it (JSON keeps it whole).
        #expect(row.hasSuffix(" option/disk-full.md") && option.hasPrefix(box.root + "/"))
        #expect(
            table.contains("beside-only") && table.contains("env-only")
                && table.contains("latency-regression"))
        #expect(
            try box.ok(["runbook", "show", "disk-full", "--runbooks", option], env: env).contains(
                "title: Team disk full"))

        // The config's directory comes between the environment and beside.
        let configured = box.store + "/team-runbooks"
        try write(Self.runbook("Configured disk full"), to: configured + "/disk-full.md")
        try write("{\"runbooks\": \"team-runbooks\"}\n", to: box.store + "/config.json")
        #expect(
            try box.ok(["runbook", "show", "disk-full"]).contains("title: Configured disk full"))
        #expect(
            try box.ok(["runbook", "show", "disk-full"], env: env).contains("title: Env disk full"))

        let missing = try box.run(["runbook", "list", "--runbooks", box.root + "/absent"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("no directory '\(box.root)/absent' for --runbooks"))
    }

    @Test func declareWithRunbookThenStepsRoundTrip() throws {
        let box = try Sandbox()
        let declared = try box.ok(
            ["declare", "Disk full on db-1", "-s", "2", "--runbook", "disk-full"], env: Self.env)
        #expect(
            declared == "INC-1 declared: SEV2 · Disk full on db-1 · runbook disk-full (9 steps)\n")
        var file = try box.incidentJSON(1)
        let checklist = try #require(file["runbook"] as? [String: Any])
        #expect(checklist["name"] as? String == "disk-full")
        #expect(checklist["source"] as? String == "built-in")
        #expect(checklist["attachedAt"] as? String == "2026-11-21T14:00:00Z")
        var steps = try #require(checklist["steps"] as? [[String: Any]])
        #expect(steps.count == 9)
        #expect(steps.allSatisfy { $0["status"] as? String == "pending" })
        #expect(steps[0]["command"] as? String == "df -h && df -i")

        #expect(
            try box.ok(["step", "INC-1", "1"], env: Self.env)
                == "INC-1: step 1/9 done · next: 2. Find what grew, staying on that filesystem "
                + "(`-x`).\n"
        )
        #expect(
            try box.ok(["step", "1", "3", "--skip", "-m", "no lsof on this host"], env: Self.env)
                .hasPrefix("INC-1: step 3/9 skipped · next: 2."))
        #expect(
            try box.ok(["step", "1", "3", "-m", "installed lsof"], env: Self.env).hasPrefix(
                "INC-1: step 3/9 done"))

        let again = try box.run(["step", "1", "1"], env: Self.env)
        #expect(again.status == 1)
        #expect(again.stderr.contains("step 1 of INC-1 is already done (by tester)"))
        let skipDone = try box.run(["step", "1", "1", "--skip"], env: Self.env)
        #expect(skipDone.status == 1)
        let range = try box.run(["step", "1", "10"], env: Self.env)
        #expect(range.status == 1)
        #expect(range.stderr.contains("INC-1's runbook has steps 1 to 9, not 10"))
        #expect(try box.run(["step", "1", "zero"], env: Self.env).status == 2)
        #expect(try box.run(["step", "1"], env: Self.env).status == 2)

        file = try box.incidentJSON(1)
        steps = try #require((file["runbook"] as? [String: Any])?["steps"] as? [[String: Any]])
        #expect(
            steps.map { $0["status"] as? String } == ["done", "pending", "done"]
                + Array(repeating: "pending", count: 6))
        #expect(steps[2]["note"] as? String == "installed lsof")
        #expect(steps[2]["by"] as? String == "tester")
        #expect(steps[2]["at"] as? String == "2026-11-21T14:00:00Z")
        let timeline = try #require(file["timeline"] as? [[String: Any]])
        let runbookEntries = timeline.filter { $0["kind"] as? String == "runbook" }
        #expect(
            runbookEntries.map { $0["text"] as? String } == [
                "Attached runbook disk-full: Disk or volume full (9 steps)",
                "Step 1/9 done: See which filesystem is full; check blocks and inodes (a full "
                    + "inode table also gives `No space left on device`).",
                "Step 3/9 skipped: Look for deleted files still held open by a process: the space "
                    + "is only freed when the process closes them or restarts. — no lsof on this "
                    + "host",
                "Step 3/9 done: Look for deleted files still held open by a process: the space is "
                    + "only freed when the process closes them or restarts. — installed lsof",
            ])
        #expect(
            runbookEntries[3]["data"] as? [String: String] == [
                "runbook": "disk-full", "step": "3", "status": "done", "note": "installed lsof",
            ])

        let show = try box.ok(["show", "1"], env: Self.env)
        #expect(show.contains("Runbook: Disk or volume full (2/9 steps)"))
        #expect(show.contains("  [x] 3. Look for deleted files"))
    }

    @Test func attachRefusesASecondRunbookUnlessReplace() throws {
        let box = try Sandbox()
        try box.ok(["declare", "Cert expires", "-s", "3"])
        let none = try box.run(["step", "1", "1"])
        #expect(none.status == 1)
        #expect(
            none.stderr.contains(
                "INC-1 has no runbook attached; attach one with 'irctl runbook attach INC-1 NAME'"))

        let attached = try box.ok(["runbook", "attach", "INC-1", "tls-certificate-expiry"])
        #expect(
            attached.hasPrefix(
                "INC-1: attached runbook tls-certificate-expiry (8 steps) · next: 1. "))
        try box.ok(["step", "1", "1"])
        let twice = try box.run(["runbook", "attach", "1", "disk-full"])
        #expect(twice.status == 1)
        #expect(
            twice.stderr.contains(
                "INC-1 already has the runbook 'tls-certificate-expiry' attached; add --replace"))
        try box.ok(["runbook", "attach", "1", "disk-full", "--replace"])
        let file = try box.incidentJSON(1)
        #expect((file["runbook"] as? [String: Any])?["name"] as? String == "disk-full")
        let last = try #require((file["timeline"] as? [[String: Any]])?.last)
        #expect(last["kind"] as? String == "runbook")
        #expect(
            last["text"] as? String
                == "Attached runbook disk-full: Disk or volume full (9 steps); replaced "
                + "tls-certificate-expiry (1/8 steps finished)"
        )
        #expect((last["data"] as? [String: String])?["replaced"] == "tls-certificate-expiry")

        #expect(try box.run(["runbook", "attach", "1", "nope"]).status == 1)
        #expect(
            try box.run(["runbook", "frobnicate"]).stderr.contains(
                "unknown subcommand 'frobnicate'"))
        #expect(try box.run(["runbook", "list", "--replace"]).status == 2)
        let unknownRunbook = try box.run(["declare", "X", "--runbook", "nope"])
        #expect(unknownRunbook.status == 1)
        #expect(!FileManager.default.fileExists(atPath: box.incidentFile(2)))
    }

    @Test func stepRunNeedsConfirmationOrYes() throws {
        let box = try Sandbox()
        let dir = box.root + "/team"
        try write(
            Self.runbook(
                "Two steps",
                steps: [
                    "Say done.\n\n   ```sh\n   echo step one for <incident>\n   ```",
                    "Fail.\n\n   ```sh\n   echo failing >&2; exit 4\n   ```",
                    "Needs a value.\n\n   ```sh\n   echo restarting <unit> on <host>\n   ```",
                ]), to: dir + "/two.md")
        try box.ok(["declare", "Run steps", "--runbook", "two", "--runbooks", dir])

        let refused = try box.run(["step", "1", "1", "--run"])
        #expect(refused.status == 2)
        #expect(
            refused.stderr.contains(
                "refusing to run step 1's command without confirmation: standard input is not a "
                    + "terminal; add --yes"
            ))
        #expect(try box.incidentJSON(1)["timeline"].map { ($0 as? [Any])?.count } == 3)

        let ran = try box.run(["step", "1", "1", "--run", "--yes"])
        #expect(ran.status == 0, "\(ran.stderr)")
        #expect(ran.stdout == "step one for INC-1\n")
        #expect(ran.stderr.contains("  $ echo step one for INC-1"))
        #expect(ran.stderr.contains("INC-1: step 1/3 done"))

        let failed = try box.run(["step", "1", "2", "--run", "--yes"])
        #expect(failed.status == 4)
        #expect(failed.stderr.contains("failing"))
        #expect(
            failed.stderr.contains("INC-1: step 2 is still pending: the command failed (exit 4"))

        let placeholders = try box.run(["step", "1", "3", "--run", "--yes"])
        #expect(placeholders.status == 1)
        #expect(
            placeholders.stderr.contains(
                "step 3 of INC-1 has placeholders to fill in: <unit>, <host>"))
        let filled = try box.run([
            "step", "1", "3", "--run", "--yes", "--set", "unit=nginx", "--set", "host=web-1",
        ])
        #expect(filled.status == 0)
        #expect(filled.stdout == "restarting nginx on web-1\n")

        let file = try box.incidentJSON(1)
        let steps = try #require((file["runbook"] as? [String: Any])?["steps"] as? [[String: Any]])
        #expect(steps.map { $0["status"] as? String } == ["done", "pending", "done"])
        let commands = try #require(file["timeline"] as? [[String: Any]]).filter {
            $0["kind"] as? String == "command"
        }
        #expect(
            commands.map { $0["text"] as? String } == [
                "echo step one for INC-1", "echo failing >&2; exit 4",
                "echo restarting nginx on web-1",
            ])
        let data = commands.compactMap { $0["data"] as? [String: String] }
        #expect(data.map { $0["exitStatus"] } == ["0", "4", "0"])
        #expect(data.map { $0["step"] } == ["1", "2", "3"])
        #expect(data[1]["output"] == "failing")

        let doneAlready = try box.run(["step", "1", "1", "--run", "--yes"])
        #expect(doneAlready.status == 1)
        #expect(doneAlready.stdout.isEmpty)
    }
}
