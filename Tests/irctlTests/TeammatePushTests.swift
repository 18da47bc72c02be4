import Foundation
import Testing

/// What a teammate with push access (or whoever holds their credentials) can make arrive by git,
/// with real git: it stays data in the other clones, never a command, an identity or a hiding
/// place.
@Suite struct TeammatePushTests {
    /// Writes `config.json` of clone `name`'s store from a JSON text.
    private func writeConfig(_ team: GitTeam, _ name: String, _ json: String) throws {
        try json.write(
            toFile: team.store(name) + "/config.json", atomically: false,
            encoding: .utf8)
    }

    /// The value `--approve-hook` takes, as the refusal quotes it.
    private func approval(in stderr: String) -> String? {
        guard let range = stderr.range(of: "--approve-hook ") else { return nil }
        return String(stderr[range.upperBound...].prefix { $0.isHexDigit })
    }

    // MARK: A pulled configuration

    @Test(.timeLimit(.minutes(5)))
    func aPulledUpdateCommandRunsOnlyOnceThisCloneApprovesThatExactCommand() throws {
        let team = try GitTeam()
        try team.founding("a", user: "alice")
        try team.clone("b")
        try team.irctl(["sync"], in: "b", user: "bob")
        let marker = team.root + "/ran"
        try writeConfig(team, "a", #"{"updates": {"command": ["sh", "-c", "cat > '\#(marker)'"]}}"#)
        try team.irctl(["sync"], in: "a", user: "alice")

        let sync = try team.irctl(["sync"], in: "b", user: "bob")
        #expect(sync.stdout.contains("config.json changed"), "\(sync.stdout)")
        #expect(sync.stdout.contains("updates"), "\(sync.stdout)")

        let refused = try team.irctl(
            ["update", "INC-1", "-m", "rolled back"], in: "b", user: "bob",
            check: false)
        #expect(refused.status != 0)
        #expect(!FileManager.default.fileExists(atPath: marker), "the pulled command ran")
        #expect(refused.stderr.contains("not approved on this clone"), "\(refused.stderr)")
        #expect(refused.stderr.contains("cat > "), "the command is shown: \(refused.stderr)")
        let digest = try #require(approval(in: refused.stderr), "\(refused.stderr)")
        #expect(digest.count >= 16)

        // A wrong value approves nothing.
        let wrong = try team.irctl(
            [
                "update", "INC-1", "-m", "x",
                "--approve-hook", "0123456789abcdef",
            ],
            in: "b", user: "bob", check: false)
        #expect(wrong.status != 0)
        #expect(!FileManager.default.fileExists(atPath: marker))

        try team.irctl(
            ["update", "INC-1", "-m", "rolled back", "--approve-hook", digest],
            in: "b", user: "bob")
        #expect(FileManager.default.fileExists(atPath: marker))
        try FileManager.default.removeItem(atPath: marker)
        try team.irctl(["update", "INC-1", "-m", "still fine"], in: "b", user: "bob")
        #expect(FileManager.default.fileExists(atPath: marker), "an approved command runs again")
        try FileManager.default.removeItem(atPath: marker)

        // A changed command is asked again, and sync --json names the change.
        try writeConfig(
            team, "a",
            #"{"updates": {"command": ["sh", "-c", "cat > '\#(marker)'; id"]}}"#)
        try team.irctl(["sync"], in: "a", user: "alice")
        let json = try team.irctl(["sync", "--json"], in: "b", user: "bob")
        let report = try #require(try Sandbox.json(json.stdout) as? [String: Any])
        let changed = try #require(
            report["sharedConfiguration"] as? [[String: Any]],
            "\(json.stdout)")
        #expect(
            changed.contains {
                ($0["file"] as? String) == "config.json"
                    && (($0["keys"] as? [String]) ?? []).contains("updates")
            }, "\(changed)")
        let again = try team.irctl(
            ["update", "INC-1", "-m", "x"], in: "b", user: "bob",
            check: false)
        #expect(again.status != 0)
        #expect(!FileManager.default.fileExists(atPath: marker), "a changed command ran unapproved")
        #expect(approval(in: again.stderr) != digest)
    }

    @Test(arguments: ["/etc", "../../elsewhere", "runbooks/../../../x"])
    func sharedRunbooksStayInsideTheRepository(_ directory: String) throws {
        let box = try Sandbox()
        try FileManager.default.createDirectory(
            atPath: box.store,
            withIntermediateDirectories: true)
        try #"{"runbooks": "\#(directory)"}"#.write(
            toFile: box.store + "/config.json",
            atomically: false, encoding: .utf8)
        let result = try box.run(["runbook", "list"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("'runbooks'"), "\(result.stderr)")
        #expect(result.stderr.contains("--runbooks"), "the other way: \(result.stderr)")
    }

    // MARK: Names from a pulled configuration

    @Test(arguments: ["$(id>FILE)", "`id`", "SEV 1", "", "a;b", String(repeating: "S", count: 40)])
    func aSeverityNameOutsideTheGrammarIsRefusedWhenTheConfigLoads(_ name: String) throws {
        let box = try Sandbox()
        try FileManager.default.createDirectory(
            atPath: box.store,
            withIntermediateDirectories: true)
        let config =
            #"{"severities": [{"name": "SEV1", "description": "d"}, "#
            + #"{"name": "\#(name)", "description": "d"}]}"#
        try config.write(toFile: box.store + "/config.json", atomically: false, encoding: .utf8)
        let result = try box.run(["list"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("severity name"), "\(result.stderr)")
        #expect(result.stderr.contains("A-Z"), "the grammar is named: \(result.stderr)")
    }

    @Test func aRouteServiceOrTagOutsideTheGrammarIsRefused() throws {
        let box = try Sandbox()
        try FileManager.default.createDirectory(
            atPath: box.store,
            withIntermediateDirectories: true)
        let config = #"{"alerts": {"routes": [{"name": "db", "services": ["$(id)"]}]}}"#
        try config.write(toFile: box.store + "/config.json", atomically: false, encoding: .utf8)
        let result = try box.run(["list"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("$(id)"), "\(result.stderr)")
    }

    /// Runs the bash completion function the way bash does on Tab, with `irctl` from `bin` first
    /// on PATH; returns the candidates.
    private func complete(
        _ words: [String], script: String, bin: String,
        box: borrowing Sandbox
    ) throws -> [String] {
        try BashCompletion.candidates(words, script: script, bin: bin, box: box)
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/bin/bash")))
    func bashCompletionNeverExpandsAValueAgain() throws {
        let box = try Sandbox()
        let script = box.root + "/irctl.bash"
        try box.ok(["completion", "bash"]).write(toFile: script, atomically: false, encoding: .utf8)
        // Whatever irctl prints as values (an older binary, a store it did not check) stays words.
        let bin = box.root + "/bin"
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        let pwned = box.root + "/pwned"
        let fake = "#!/bin/sh\nprintf '%s\\n' SEV1 '$(touch \(pwned))' '`touch \(pwned)`' 'a b'\n"
        try fake.write(toFile: bin + "/irctl", atomically: false, encoding: .utf8)
        chmod(bin + "/irctl", 0o755)
        let all = try complete(["irctl", "declare", "-s", ""], script: script, bin: bin, box: box)
        #expect(!FileManager.default.fileExists(atPath: pwned), "a value ran as code on Tab")
        #expect(all == ["SEV1", "$(touch \(pwned))", "`touch \(pwned)`", "a b"], "\(all)")
        #expect(
            try complete(["irctl", "declare", "-s", "SE"], script: script, bin: bin, box: box)
                == ["SEV1"])
        #expect(
            try complete(
                ["irctl", "severity", "INC-1", "$("], script: script, bin: bin,
                box: box) == ["$(touch \(pwned))"])
        #expect(!FileManager.default.fileExists(atPath: pwned))
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/bin/bash")))
    func aHostileSeverityInTheStoreDoesNotRunOnTab() throws {
        let box = try Sandbox()
        try FileManager.default.createDirectory(
            atPath: box.store,
            withIntermediateDirectories: true)
        let pwned = box.root + "/pwned"
        let config =
            #"{"severities": [{"name": "SEV1", "description": "d"}, "#
            + #"{"name": "$(touch \#(pwned))", "description": "d"}]}"#
        try config.write(toFile: box.store + "/config.json", atomically: false, encoding: .utf8)
        let script = box.root + "/irctl.bash"
        try box.ok(["completion", "bash"]).write(toFile: script, atomically: false, encoding: .utf8)
        let bin = FileManager.default.currentDirectoryPath
        let directory = (Sandbox.binary as NSString).deletingLastPathComponent
        _ = try complete(
            ["irctl", "declare", "-s", ""], script: script,
            bin: directory.isEmpty ? bin : directory, box: box)
        #expect(!FileManager.default.fileExists(atPath: pwned), "a severity ran as code on Tab")
    }

    // MARK: A stolen number

    /// The attack as reported: a clone that declared before another, offline, shares with plain
    /// git (no irctl hooks installed); the other clone's published SEV1 keeps its number, and
    /// what is logged to that number goes to it.
    @Test(.timeLimit(.minutes(5)), arguments: ["2026-01-01T10:00:00Z", "2020-01-01T00:00:00Z"])
    func anEarlierOfflineClaimSharedWithPlainGitKeepsAPublishedNumber(bobsClock: String) throws {
        let team = try GitTeam()
        try team.clone("a")
        try team.irctl(["init"], in: "a", user: "alice")
        try team.irctl(["sync"], in: "a", user: "alice")
        try team.clone("b")  // no 'irctl init': no hooks
        try team.irctl(
            ["declare", "Bob's incident"], in: "b", user: "bob",
            env: ["IRCTL_NOW": bobsClock])
        try team.irctl(
            ["declare", "Payments down", "-s", "SEV1"], in: "a", user: "alice",
            env: ["IRCTL_NOW": "2026-01-01T10:05:00Z"])
        try team.irctl(["sync"], in: "a", user: "alice")
        try team.git(["add", "-A", ".irctl"], in: "b")
        try team.git(["commit", "--quiet", "-m", "bob's incident"], in: "b")
        try team.git(["pull", "--quiet", "--no-rebase", "origin", "main"], in: "b")
        try team.git(["push", "--quiet", "origin", "main"], in: "b")

        try team.irctl(["sync"], in: "a", user: "alice")
        try team.irctl(["log", "INC-1", "rolled back"], in: "a", user: "alice")
        let mine = try team.show("INC-1", in: "a")
        #expect(mine["title"] as? String == "Payments down", "\(mine)")
        let notes = (mine["timeline"] as? [[String: Any]] ?? [])
            .compactMap { $0["text"] as? String }
        #expect(notes.contains("rolled back"), "\(notes)")
        try team.irctl(["sync"], in: "a", user: "alice")
        try team.irctl(["sync"], in: "b", user: "bob")
        for clone in ["a", "b"] {
            let titles = try team.incidents(clone).reduce(into: [String: String]()) {
                $0[$1["id"] as? String ?? ""] = $1["title"] as? String
            }
            #expect(
                titles == ["INC-1": "Payments down", "INC-2": "Bob's incident"],
                "\(clone): \(titles)")
        }
    }

    // MARK: Per-clone state

    private func replica(_ team: GitTeam, _ clone: String) -> String? {
        try? String(contentsOfFile: team.localState(clone) + "/replica", encoding: .utf8)
    }

    @Test(.timeLimit(.minutes(5)))
    func perCloneStateLivesWhereGitCannotWriteAndMovesThereLosslessly() throws {
        let team = try GitTeam()
        try team.founding("a", user: "alice")
        let state = team.localState("a")
        #expect(!FileManager.default.fileExists(atPath: team.store("a") + "/local"))
        let before = try #require(replica(team, "a"), "no replica in \(state)")
        #expect(!FileManager.default.fileExists(atPath: team.store("a") + "/cache"))

        // A store that an older irctl set up keeps its identity and numbers when it moves.
        try FileManager.default.moveItem(atPath: state, toPath: team.store("a") + "/local")
        try team.irctl(["log", "INC-1", "after the move"], in: "a", user: "alice")
        #expect(replica(team, "a") == before)
        #expect(!FileManager.default.fileExists(atPath: team.store("a") + "/local"))
        try team.irctl(["declare", "Second"], in: "a", user: "alice")
        try team.irctl(["sync"], in: "a", user: "alice")
        let files = try team.storeFiles("a").keys
        #expect(files.allSatisfy { !$0.contains("/local/") }, "\(files)")
        #expect(try team.incidents("a").count == 2)
        try team.irctl(["verify"], in: "a", user: "reader")
    }

    @Test(.timeLimit(.minutes(5)))
    func aForceAddedReplicaIsNotAnotherClonesIdentity() throws {
        let team = try GitTeam()
        try team.founding("a", user: "alice")
        try team.clone("b")
        try team.irctl(["log", "INC-1", "bob was here"], in: "b", user: "bob")
        try team.irctl(["sync"], in: "b", user: "bob")
        let bobs = try #require(replica(team, "b"))
        let alices = try #require(replica(team, "a"))

        // Alice plants her replica id as the store's local/replica, force-added, and a state.
        let planted = team.store("a") + "/local"
        try FileManager.default.createDirectory(atPath: planted, withIntermediateDirectories: true)
        try alices.write(toFile: planted + "/replica", atomically: false, encoding: .utf8)
        try "highest=500\n".write(toFile: planted + "/state", atomically: false, encoding: .utf8)
        try team.git(["add", "-f", ".irctl/local"], in: "a")
        try team.git(["commit", "--quiet", "-m", "plant"], in: "a")
        try team.git(["pull", "--quiet", "--no-rebase", "origin", "main"], in: "a")
        try team.git(["push", "--quiet", "origin", "main"], in: "a")

        try team.git(["pull", "--quiet", "--no-rebase", "origin", "main"], in: "b")
        try team.irctl(["log", "INC-1", "bob again"], in: "b", user: "bob")
        try team.irctl(["declare", "Bob's second"], in: "b", user: "bob")
        #expect(replica(team, "b") == bobs)
        let sync = try team.irctl(["sync"], in: "b", user: "bob")
        #expect(
            sync.stderr.contains(".irctl/local is tracked by git")
                && sync.stderr.contains("git rm"),
            "\(sync.stderr)")
        let ids = try team.incidents("b").compactMap { $0["id"] as? String }.sorted()
        #expect(ids == ["INC-1", "INC-2"], "\(ids)")
        try team.irctl(["sync"], in: "a", user: "alice")
        try team.irctl(["verify"], in: "a", user: "reader")
        try team.irctl(["verify"], in: "b", user: "reader")
    }

    @Test(.timeLimit(.minutes(5)))
    func aPulledGitignoreCannotPublishAClonesState() throws {
        let team = try GitTeam()
        try team.founding("a", user: "alice")
        try team.clone("b")
        let ignore = team.store("a") + "/.gitignore"
        let text =
            try String(contentsOfFile: ignore, encoding: .utf8)
            + "!local/\n!local/*\n!cache/\n"
        try text.write(toFile: ignore, atomically: false, encoding: .utf8)
        try team.irctl(["sync"], in: "a", user: "alice")
        try team.irctl(["sync"], in: "b", user: "bob")
        try team.irctl(["log", "INC-1", "bob was here"], in: "b", user: "bob")
        try team.irctl(["sync"], in: "b", user: "bob")
        let tracked = try team.git(
            ["ls-tree", "-r", "--name-only", "origin/main", "--", ".irctl"],
            in: "b"
        ).stdout
        #expect(
            !tracked.contains(".irctl/local/") && !tracked.contains(".irctl/cache/"),
            "\(tracked)")
    }

    // MARK: A pulled .gitignore

    @Test(.timeLimit(.minutes(5)))
    func aPulledIgnoreRuleDoesNotHideNewIncidents() throws {
        let team = try GitTeam()
        try team.founding("a", user: "alice")
        try team.clone("b")
        let ignore = team.store("a") + "/.gitignore"
        let text = try String(contentsOfFile: ignore, encoding: .utf8) + "incidents/*/*.json\n"
        try text.write(toFile: ignore, atomically: false, encoding: .utf8)
        try team.irctl(["sync"], in: "a", user: "alice")
        try team.irctl(["sync"], in: "b", user: "bob")

        try team.irctl(["declare", "Hidden?"], in: "b", user: "bob")
        try team.irctl(["log", "INC-1", "a note"], in: "b", user: "bob")
        let sync = try team.irctl(["sync"], in: "b", user: "bob")
        #expect(!sync.stdout.contains("nothing to exchange"), "\(sync.stdout)")
        try team.irctl(["sync"], in: "a", user: "alice")
        let titles = try team.incidents("a").compactMap { $0["title"] as? String }
        #expect(titles.contains("Hidden?"), "\(titles)")
        let notes = (try team.show("INC-1", in: "a")["timeline"] as? [[String: Any]] ?? [])
            .compactMap { $0["text"] as? String }
        #expect(notes.contains("a note"), "\(notes)")
        #expect(try team.untrackedOrModified("b").isEmpty)
    }
}
