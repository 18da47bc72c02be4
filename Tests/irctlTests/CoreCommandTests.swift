import Foundation
import Testing

@Suite struct CoreErrorTests {
    /// Every nasty input: the exit status, and words the message must contain. No crash, no trace.
    @Test(
        arguments: [
            (["frobnicate"], 2, "unknown command 'frobnicate'"),
            (["lsit"], 2, "did you mean 'list'?"),
            (["list", "--bogus"], 2, "unknown option '--bogus' for 'irctl list'"),
            (["declare", "x", "-s"], 2, "option -s needs a value (SEV)"),
            (["declare", "x", "-s", "SEV9"], 2, "unknown severity 'SEV9'"),
            (["declare", "x", "--started", "yesterdy"], 2, "yesterdy"),
            (["declare", "x", "--detected", "+3d"], 2, "is in the future"),
            (["declare", ""], 2, "the title is empty"),
            (["declare"], 2, "missing TITLE"),
            (["phase", "INC-1", "mitigate"], 2, "unknown phase 'mitigate'"),
            (["phase", "INC-1"], 2, "missing PHASE"),
            (["log", "INC-1", "x", "--kind", "gossip"], 2, "unknown entry kind 'gossip'"),
            (["log", "INC-1", "x", "--at", "25:99"], 2, "25:99"),
            (["show", "INC-42"], 1, "no incident INC-42"),
            (["show", "../etc/passwd"], 2, "invalid incident id"),
            (["show"], 2, "missing INCIDENT"),
            (["close", "INC-1"], 1, "not review; run 'irctl review INC-1' first"),
            (["reopen", "INC-1"], 2, "reopening needs --reason"),
            (["assign", "INC-1"], 2, "nothing to assign"),
            (["severity", "INC-1", "SEV2"], 1, "INC-1 is already SEV2"),
            (["show", "INC-1", "extra"], 2, "unexpected argument 'extra'"),
            (["list", "--json=yes"], 2, "takes no value"),
        ] as [([String], Int32, String)])
    func fails(_ arguments: [String], _ status: Int32, _ words: String) throws {
        let box = try Sandbox()
        try box.ok(["declare", "Checkout 5xx", "-s", "2"])
        let result = try box.run(arguments)
        #expect(result.status == status, "\(arguments): \(result.stderr)")
        #expect(result.stderr.hasPrefix("irctl: error: "), "\(result.stderr)")
        #expect(result.stderr.contains(words), "\(result.stderr)")
        #expect(!result.stderr.contains("Fatal error") && !result.stderr.contains("Stack dump"))
        #expect(result.stdout.isEmpty)
        if status == 2, arguments.first != "frobnicate", arguments.first != "lsit" {
            #expect(
                result.stderr.contains("usage: irctl ")
                    || !result.stderr.contains("unknown option"), "usage errors show the usage line"
            )
        }
    }

    @Test func failedCommandsWriteNothing() throws {
        let box = try Sandbox()
        try box.ok(["declare", "Checkout 5xx"])
        let before = try Data(contentsOf: URL(fileURLWithPath: box.incidentFile(1)))
        for arguments in [
            ["close", "INC-1"], ["phase", "INC-1", "detect"], ["log", "INC-1", "   "],
            ["severity", "INC-1", "SEV3"],
        ] {
            #expect(try box.run(arguments).status != 0)
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: box.incidentFile(1))) == before)
    }

    @Test func helpAndVersion() throws {
        let box = try Sandbox()
        let version = try box.ok(["--version"])
        #expect(version.hasPrefix("irctl ") && version.hasSuffix("\n"))
        let help = try box.ok(["help"])
        for command in [
            "init", "detect", "declare", "log", "phase", "contain", "eradicate", "recover",
            "review", "severity", "assign", "list", "show", "close", "reopen",
        ] {
            #expect(help.contains("  \(command) "), "help lists \(command)")
        }
        #expect(help.contains("SEV1  critical"))
        let logHelp = try box.ok(["help", "log"])
        #expect(try box.ok(["log", "--help"]) == logHelp)
        #expect(logHelp.contains("irctl log INCIDENT [TEXT | -] [--kind KIND] [--at TIME]"))
        #expect(logHelp.contains("--kind, -k KIND") || logHelp.contains("-k, --kind KIND"))
        #expect(try box.run(["help", "nope"]).status == 2)
        #expect(try box.run([]).status == 2, "no command is a usage error, with the overview")
    }
}

@Suite struct CoreCommandTests {
    @Test func jsonOutputIsValidEverywhere() throws {
        let box = try Sandbox()
        let declared = try box.ok([
            "declare", "Checkout 5xx", "-s", "SEV1", "--service", "checkout", "--json",
        ])
        var outputs = [declared]
        outputs.append(try box.ok(["log", "1", "note", "--json"]))
        outputs.append(try box.ok(["contain", "1", "--json"]))
        outputs.append(try box.ok(["assign", "1", "--comms", "bob", "--json"]))
        outputs.append(try box.ok(["severity", "1", "2", "--json"]))
        outputs.append(try box.ok(["show", "INC-1", "--json"]))
        outputs.append(try box.ok(["list", "--json"]))
        outputs.append(try box.ok(["list", "--all", "--json", "--phase", "closed"]))
        for output in outputs {
            let result = try Sandbox.run(
                ["python3", "-m", "json.tool"].dropFirst(0).map { $0 }, viaShell: output)
            #expect(result == 0, "python3 -m json.tool rejects: \(output.prefix(200))")
        }
        let incident = try #require(Sandbox.json(outputs[5]) as? [String: Any])
        #expect(incident["id"] as? String == "INC-1")
        #expect(incident["open"] as? Bool == true)
        #expect(incident["active"] as? Bool == true)
        #expect(incident["severity"] as? String == "SEV2")
        #expect((incident["roles"] as? [String: String]) == ["comms": "bob"])
        #expect(incident["declaredAt"] is String)
        let list = try #require(Sandbox.json(outputs[6]) as? [[String: Any]])
        #expect(list.count == 1)
        for key in [
            "id", "title", "severity", "phase", "open", "roles", "services", "tags", "detectedAt",
            "declaredAt",
        ] {
            #expect(list[0][key] != nil, "list --json has \(key)")
        }
        #expect(try Sandbox.json(outputs[7]) as? [Any] != nil)
    }

    @Test func listOrdersByseverityThenAgeAndFilters() throws {
        let box = try Sandbox()
        let env = ["IRCTL_NOW": "2026-11-21T14:00:00Z"]
        try box.ok(
            ["declare", "minor thing", "-s", "4", "--detected", "13:00", "--tag", "db"], env: env)
        try box.ok(
            ["declare", "old critical", "-s", "1", "--detected", "10:00", "--service", "api"],
            env: env)
        try box.ok(
            ["declare", "new critical", "-s", "1", "--detected", "12:00", "--commander", "carol"],
            env: env)
        try box.ok(["detect", "maybe", "-s", "2"], env: env)
        try box.ok(["review", "INC-2"], env: env)
        try box.ok(["close", "INC-1", "--force"], env: env)
        func ids(_ arguments: [String]) throws -> [String] {
            let json = try #require(
                Sandbox.json(box.ok(arguments + ["--json"], env: env)) as? [[String: Any]])
            return json.compactMap { $0["id"] as? String }
        }
        #expect(try ids(["list"]) == ["INC-2", "INC-3", "INC-4"])
        #expect(try ids(["list", "--all"]) == ["INC-2", "INC-3", "INC-4", "INC-1"])
        #expect(try ids(["list", "--active"]) == ["INC-3", "INC-4"])
        #expect(try ids(["list", "-s", "SEV1"]) == ["INC-2", "INC-3"])
        #expect(try ids(["list", "-s", "1", "-s", "P2"]) == ["INC-2", "INC-3", "INC-4"])
        #expect(try ids(["list", "--phase", "detect"]) == ["INC-4"])
        #expect(try ids(["list", "--phase", "closed"]) == ["INC-1"])
        #expect(try ids(["list", "--service", "api"]) == ["INC-2"])
        #expect(try ids(["list", "--owner", "carol"]) == ["INC-3"])
        #expect(try ids(["list", "--tag", "db", "--all"]) == ["INC-1"])
        #expect(try ids(["list", "--since", "11:00"]) == ["INC-3", "INC-4"])
        let none = try box.run(["list", "--service", "nothing"], env: env)
        #expect(
            none.status == 0 && none.stdout.isEmpty && none.stderr.contains("no incidents match"))
    }

    @Test func tableFitsTheTerminalAndColoursOnlyWhenAllowed() throws {
        let box = try Sandbox()
        try box.ok([
            "declare", String(repeating: "very long title ", count: 10), "-s", "1", "--service",
            "checkout,payments", "--commander", "alice",
        ])
        let wide = try box.ok(["list"])
        #expect(
            wide.contains(String(repeating: "very long title ", count: 9)),
            "piped output is not cut")
        let narrow = try box.ok(["list"], env: ["COLUMNS": "60"])
        for line in narrow.split(separator: "\n") {
            #expect(line.count <= 60, "\(line)")
        }
        #expect(narrow.contains("…"))
        let tiny = try box.ok(["list"], env: ["COLUMNS": "30"])
        #expect(!tiny.contains("SERVICES"), "least important columns go first")
        #expect(!wide.contains("\u{1B}["), "no colour when piped")
        let forced = try box.ok(["list"], env: ["CLICOLOR_FORCE": "1"])
        #expect(forced.contains("\u{1B}["))
        #expect(
            !(try box.ok(["list"], env: ["CLICOLOR_FORCE": "1", "NO_COLOR": "1"])).contains(
                "\u{1B}["))
        #expect(
            !(try box.ok(["list", "--no-color"], env: ["CLICOLOR_FORCE": "1"])).contains("\u{1B}["))
    }

    @Test func storeDiscoveryWalksUpLikeGit() throws {
        let box = try Sandbox()
        let repo = box.root + "/repo"
        try FileManager.default.createDirectory(
            atPath: repo + "/a/b", withIntermediateDirectories: true)
        var env = box.environment
        env.removeValue(forKey: "IRCTL_DIR")
        let initialized = try Sandbox.run(
            ["init"], stdin: nil, environment: env, cwd: repo, scratch: box.root)
        #expect(
            initialized.status == 0
                && initialized.stdout.contains("Initialized an incident store in \(repo)/.irctl"))
        #expect(FileManager.default.fileExists(atPath: repo + "/.irctl/config.json"))
        #expect(
            try String(contentsOfFile: repo + "/.irctl/.gitignore", encoding: .utf8).contains(
                "cache/"))
        let declared = try Sandbox.run(
            ["declare", "from below"], stdin: nil, environment: env, cwd: repo + "/a/b",
            scratch: box.root)
        #expect(declared.status == 0)
        #expect(
            FileManager.default.fileExists(atPath: Sandbox.incidentFile(1, in: repo + "/.irctl")))
        // Without a .irctl/ above, the per-user store under XDG_DATA_HOME is used.
        env["XDG_DATA_HOME"] = box.root + "/xdg"
        let elsewhere = try Sandbox.run(
            ["declare", "personal"], stdin: nil, environment: env, cwd: box.root, scratch: box.root)
        #expect(elsewhere.status == 0)
        #expect(
            FileManager.default.fileExists(
                atPath: Sandbox.incidentFile(1, in: box.root + "/xdg/irctl")))
        // --dir wins over everything.
        let explicit = try Sandbox.run(
            ["--dir", box.root + "/explicit", "declare", "explicit"], stdin: nil, environment: env,
            cwd: repo, scratch: box.root)
        #expect(explicit.status == 0)
        #expect(
            FileManager.default.fileExists(
                atPath: Sandbox.incidentFile(1, in: box.root + "/explicit")))
        let again = try Sandbox.run(
            ["init"], stdin: nil, environment: env, cwd: repo, scratch: box.root)
        #expect(again.status == 0 && again.stdout.contains("already exists"))
    }

    @Test func authorsAndBackdatedEntries() throws {
        let box = try Sandbox()
        try box.ok(["declare", "x"], env: ["IRCTL_NOW": "2026-11-21T14:00:00Z"])
        try box.ok(
            ["log", "1", "from flag", "--as", "dana", "--at", "13:50"],
            env: ["IRCTL_NOW": "2026-11-21T14:05:00Z"])
        try box.ok(["log", "1", "from env"], env: ["IRCTL_USER": "erin"])
        let timeline = try #require(box.incidentJSON(1)["timeline"] as? [[String: Any]])
        #expect(timeline[2]["author"] as? String == "dana")
        #expect(timeline[2]["at"] as? String == "2026-11-21T13:50:00Z")
        #expect(timeline[2]["recordedAt"] as? String == "2026-11-21T14:05:00Z")
        #expect(timeline[3]["author"] as? String == "erin")
        let show = try box.ok(["show", "1"], env: ["IRCTL_NOW": "2026-11-21T14:06:00Z"])
        let timelinePart = String(show[show.range(of: "Timeline")!.upperBound...])
        // The 13:50 entry happened before the detection at 14:00, though it was written after it.
        let order = ["from flag", "Detected:", "Declared SEV", "from env"].map {
            timelinePart.range(of: $0)!.lowerBound
        }
        #expect(order == order.sorted(), "show lists entries in the order they happened")
    }

    @Test func stdinIsReadWhenPipedAndRefusedWhenEmpty() throws {
        let box = try Sandbox()
        try box.ok(["declare", "x"])
        try box.ok(["log", "1"], stdin: "piped without a dash\n")
        let empty = try box.run(["log", "1"], stdin: "")
        #expect(empty.status == 2 && empty.stderr.contains("the entry is empty"))
        let timeline = try #require(box.incidentJSON(1)["timeline"] as? [[String: Any]])
        #expect(timeline.last?["text"] as? String == "piped without a dash")
    }

    @Test func detectThenPromoteAndReopen() throws {
        let box = try Sandbox()
        #expect(try box.ok(["detect", "p99 alert"]) == "INC-1 detected: SEV3 · p99 alert\n")
        #expect(
            try box.ok(["declare", "INC-1", "-s", "1"]) == "INC-1 declared: SEV1 · p99 alert\n")
        let again = try box.run(["declare", "INC-1"])
        #expect(again.status == 1 && again.stderr.contains("already declared"))
        try box.ok(["close", "1", "--force", "-m", "false alarm"])
        try box.ok(["reopen", "1", "--reason", "it is real", "--phase", "contain"])
        let file = try box.incidentJSON(1)
        #expect(file["phase"] as? String == "contain")
        #expect(try box.ok(["declare", "--title", "42"]).hasPrefix("INC-2 declared"))
    }
}

@Suite struct BackdatedPhaseTests {
    @Test func aPhaseChangeDatedBeforeTheCurrentPhaseIsRefused() throws {
        let box = try Sandbox()
        let env = ["IRCTL_NOW": "2026-11-21T14:00:00Z"]
        try box.ok(["declare", "x", "--detected", "13:50"], env: env)
        let before = try Data(contentsOf: URL(fileURLWithPath: box.incidentFile(1)))
        let early = try box.run(["contain", "1", "--at", "13:00"], env: env)
        #expect(early.status == 1)
        // Times in messages are in the user's zone (UTC here), not stored ISO 8601.
        #expect(early.stderr.contains("INC-1 has been in phase declare since 2026-11-21 14:00;"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: box.incidentFile(1))) == before)
        try box.ok(["contain", "1", "--at", "14:00"], env: env)
        let show = try box.ok(["show", "1"], env: env)
        #expect(!show.contains("+-"), "no negative offsets")
    }
}

@Suite struct StoreAwareHelpAndErrorTests {
    func customStore() throws -> Sandbox {
        let box = try Sandbox()
        try FileManager.default.createDirectory(
            atPath: box.store, withIntermediateDirectories: true)
        let config =
            #"{"severities":[{"name":"SEV0","description":"everything is down"},{"name":"SEV1","de"#
            + #"scription":"critical"}],"#
            + #""redactionRules":[{"kind":"acme-key","pattern":"ACME-[0-9]"#
            + #"{6}","keywords":["acme-"]}]}"#
        try config.write(toFile: box.store + "/config.json", atomically: true, encoding: .utf8)
        return box
    }

    @Test func helpShowsTheStoresOwnSeverities() throws {
        let box = try customStore()
        let help = try box.ok(["help"])
        #expect(help.contains("(this store's scheme, from its config.json)"))
        #expect(help.contains("  SEV0  everything is down"))
        #expect(!help.contains("SEV4"))
        let plain = try Sandbox()
        #expect(try plain.ok(["help"]).contains("  SEV4  low:"))
    }

    @Test func errorsAreRedactedWithTheStoresOwnRulesToo() throws {
        let box = try customStore()
        let result = try box.run(["declare", "x", "-s", "ACME-" + "123456"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("[REDACTED:acme-key]"))
        #expect(!result.stderr.contains("ACME-123456"))
    }
}
