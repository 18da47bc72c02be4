import Foundation
import Testing

/// Team sync through git (DESIGN §9), proved with the real `git`, bare remotes and the built
/// `irctl` in temporary directories: conflict-free merges, nothing lost, convergence to the same
/// bytes, ids settled, and sync's behaviour when git or the network fails.
@Suite struct SyncProofTests {
    // MARK: The two-clone scenario of issue 8

    @Test(.timeLimit(.minutes(5)))
    func twoClonesWorkingOfflineConvergeWithoutConflicts() throws {
        let team = try GitTeam()
        try team.founding("a", user: "alice")
        try team.clone("b")

        // Offline, both log to INC-1 and declare an incident: both claim INC-2.
        try team.irctl(["log", "INC-1", "alice: pool exhausted"], in: "a", user: "alice")
        try team.irctl(["declare", "Search latency", "-s", "SEV3"], in: "a", user: "alice")
        try team.irctl(["log", "INC-1", "bob: rolled back"], in: "b", user: "bob")
        try team.irctl(["declare", "Login errors", "-s", "SEV2"], in: "b", user: "bob")

        let first = try team.irctl(["sync"], in: "a", user: "alice")
        #expect(first.stdout.contains("sent"), "a's work went out: \(first.stdout)")
        let second = try team.irctl(["sync"], in: "b", user: "bob")
        #expect(second.stdout.contains("INC-1: 1 entry from alice"), "\(second.stdout)")
        #expect(second.stdout.contains("INC-2 declared by alice"), "\(second.stdout)")
        #expect(
            second.stdout.contains("INC-2 renumbered INC-3"),
            "b's unpublished claim moves: \(second.stdout)")
        let third = try team.irctl(["sync"], in: "a", user: "alice")
        #expect(third.stdout.contains("INC-1: 1 entry from bob"), "\(third.stdout)")
        #expect(third.stdout.contains("INC-3 declared by bob"), "\(third.stdout)")
        #expect(try team.irctl(["sync"], in: "b", user: "bob").stdout == "nothing to exchange\n")

        for clone in ["a", "b"] {
            #expect(try !team.isMidMerge(clone))
            #expect(try team.untrackedOrModified(clone) == "", "\(clone) has uncommitted files")
            try team.irctl(["verify"], in: clone, user: "reader")
            // Every entry on both clones.
            let texts = try #require(
                try team.show("INC-1", in: clone)["timeline"] as? [[String: Any]]
            ).compactMap { $0["text"] as? String }
            #expect(
                texts.contains("alice: pool exhausted") && texts.contains("bob: rolled back"),
                "\(clone): \(texts)")
            // Distinct ids; the renumbered one still answers to its uid and keeps its title.
            let listed = try team.incidents(clone)
            #expect(
                listed.compactMap { $0["id"] as? String }.sorted() == ["INC-1", "INC-2", "INC-3"])
            #expect(try team.show("INC-2", in: clone)["title"] as? String == "Search latency")
            let moved = try team.show("INC-3", in: clone)
            #expect(moved["title"] as? String == "Login errors")
            let uid = try #require(moved["uid"] as? String)
            #expect(try team.show(String(uid.prefix(8)), in: clone)["id"] as? String == "INC-3")
        }
        // Byte-identical stores: the same tree, the same files, the same projection.
        #expect(try team.storeTree("a") == team.storeTree("b"))
        #expect(try team.storeFiles("a") == team.storeFiles("b"))
        for id in ["INC-1", "INC-2", "INC-3"] {
            let a = try team.irctl(["show", id, "--json"], in: "a", user: "reader").stdout
            let b = try team.irctl(["show", id, "--json"], in: "b", user: "reader").stdout
            #expect(a == b, "show \(id) --json differs between the clones")
        }
    }

    // MARK: Plain git, no irctl sync, no merge driver

    @Test(.timeLimit(.minutes(5)), arguments: ["--no-rebase", "--rebase"])
    func plainGitPullNeverConflicts(mode: String) throws {
        let team = try GitTeam()
        try team.founding("a", user: "alice")
        try team.clone("b")
        try team.irctl(["log", "INC-1", "alice's note"], in: "a", user: "alice")
        try team.irctl(["declare", "Alice's incident"], in: "a", user: "alice")
        try team.irctl(["log", "INC-1", "bob's note"], in: "b", user: "bob")
        try team.irctl(["declare", "Bob's incident"], in: "b", user: "bob")
        for clone in ["a", "b"] {
            try team.git(["add", "-A", ".irctl"], in: clone)
            try team.git(["commit", "--quiet", "-m", "incidents from \(clone)"], in: clone)
        }
        try team.git(["push", "--quiet", "origin", "main"], in: "a")
        let pull = try team.git(["pull", "--quiet", mode, "origin", "main"], in: "b", check: false)
        #expect(pull.status == 0, "git pull \(mode) failed: \(pull.stderr)")
        #expect(!pull.stdout.contains("CONFLICT") && !pull.stderr.contains("CONFLICT"))
        try team.git(["push", "--quiet", "origin", "main"], in: "b")
        // a was set up by 'irctl init', so its hooks settle the collision after the pull: Alice's
        // INC-2 reached the remote first and keeps it; the renumbering is a change to commit.
        let settled = try team.git(["pull", "--quiet", mode, "origin", "main"], in: "a")
        #expect(settled.stderr.contains("INC-2 renumbered INC-3"), "\(settled.stderr)")
        try team.git(["add", "-A", ".irctl"], in: "a")
        try team.git(["commit", "--quiet", "-m", "settled"], in: "a")
        try team.git(["push", "--quiet", "origin", "main"], in: "a")
        try team.git(["pull", "--quiet", mode, "origin", "main"], in: "b")

        #expect(try team.storeTree("a") == team.storeTree("b"))
        for clone in ["a", "b"] {
            #expect(try team.untrackedOrModified(clone) == "")
            try team.irctl(["verify"], in: clone, user: "reader")
            let texts = try #require(
                try team.show("INC-1", in: clone)["timeline"] as? [[String: Any]]
            ).compactMap { $0["text"] as? String }
            #expect(texts.contains("alice's note") && texts.contains("bob's note"))
            let listed = try team.incidents(clone)
            let titles = listed.compactMap { $0["title"] as? String }.sorted()
            #expect(titles == ["Alice's incident", "Bob's incident", "Checkout returns 5xx"])
            let ids = listed.compactMap { $0["id"] as? String }
            #expect(Set(ids).count == 3, "both incidents list distinctly: \(ids)")
        }
        let listA = try team.irctl(["list", "--all", "--json"], in: "a", user: "reader").stdout
        let listB = try team.irctl(["list", "--all", "--json"], in: "b", user: "reader").stdout
        #expect(listA == listB, "both clones list the same")
    }

    // MARK: An older teammate still on format 1

    /// The teammate's old irctl edits `INC-1.json`, which this clone converted (and so deleted):
    /// git sees a modify/delete conflict, which sync resolves by keeping the edit and converting it
    /// again. Nothing is lost, and the repository is never left mid-merge.
    @Test(.timeLimit(.minutes(5)))
    func anOlderTeammatesFormat1EditIsConvertedAgain() throws {
        let team = try GitTeam()
        try team.clone("old")
        let store = team.store("old")
        try FileManager.default.createDirectory(
            atPath: store + "/incidents", withIntermediateDirectories: true)
        for (path, text) in [
            ("config.json", Format1SyncFixture.config),
            (".gitignore", Format1SyncFixture.gitignore),
            ("incidents/INC-1.json", Format1SyncFixture.before),
        ] {
            try Data((text + "\n").utf8).write(to: URL(fileURLWithPath: store + "/" + path))
        }
        try team.git(["add", "-A"], in: "old")
        try team.git(["commit", "--quiet", "-m", "format-1 store"], in: "old")
        try team.git(["push", "--quiet", "origin", "HEAD:refs/heads/main"], in: "old")

        try team.clone("new")
        try team.irctl(
            ["log", "INC-1", "new binary: scaled the database"], in: "new", user: "nina")
        #expect(
            !FileManager.default.fileExists(atPath: team.store("new") + "/incidents/INC-1.json"),
            "converted on write")
        // Meanwhile the older teammate's irctl logs to INC-1 and pushes the format-1 file.
        try Data((Format1SyncFixture.after + "\n").utf8).write(
            to: URL(fileURLWithPath: store + "/incidents/INC-1.json"))
        try team.git(["commit", "--quiet", "-am", "old irctl logged to INC-1"], in: "old")
        try team.git(["push", "--quiet", "origin", "HEAD:refs/heads/main"], in: "old")

        let result = try team.irctl(["sync", "--json"], in: "new", user: "nina")
        let report = try #require(try Sandbox.json(result.stdout) as? [String: Any])
        #expect(
            report["converted"] as? [String] == [".irctl/incidents/INC-1.json"], "\(result.stdout)")
        #expect(report["pushed"] as? Bool == true)
        #expect(try !team.isMidMerge("new"))
        #expect(try team.untrackedOrModified("new") == "")
        #expect(
            !FileManager.default.fileExists(atPath: team.store("new") + "/incidents/INC-1.json"),
            "converted again")
        #expect(
            try team.git(
                ["ls-tree", "-r", "--name-only", "main", ".irctl/incidents"], in: team.remote
            ).stdout
                .split(separator: "\n").allSatisfy { !$0.hasSuffix("INC-1.json") })
        // Every entry once (each conversion also records a `migrated` entry of its own).
        let timeline = try #require(
            try team.show("INC-1", in: "new")["timeline"] as? [[String: Any]])
        let texts = timeline.filter { $0["kind"] as? String != "migrated" }.compactMap {
            $0["text"] as? String
        }
        #expect(
            texts == [
                "Detected: Payments timeouts", "Declared SEV2 · services payments",
                "old binary: restarted the payments pods", "new binary: scaled the database",
            ], "\(texts)")
        let changes =
            (report["incoming"] as? [[String: Any]] ?? [])
            + (report["outgoing"] as? [[String: Any]] ?? [])
        #expect(
            !changes.isEmpty && changes.allSatisfy { $0["declared"] as? Bool == false },
            "INC-1 was known on both sides: \(result.stdout)")
        try team.irctl(["verify"], in: "new", user: "reader")
        // A fresh clone of the result shows the same.
        try team.clone("fresh")
        #expect(
            try team.irctl(["show", "INC-1", "--json"], in: "fresh", user: "reader").stdout
                == team.irctl(["show", "INC-1", "--json"], in: "new", user: "reader").stdout)
    }

    // MARK: Sync's own failure modes

    /// git checks files out with the umask's modes: sync makes every file of the store private,
    /// after a clone and after a pull made by hand, and a sync at the same commit again does not
    /// walk every file.
    @Test(.timeLimit(.minutes(5)))
    func syncMakesEveryFileGitCheckedOutPrivate() throws {
        let team = try GitTeam()
        try team.clone("a")
        try team.irctl(["init"], in: "a", user: "alice")
        try team.irctl(["declare", "First incident"], in: "a", user: "alice")
        try team.irctl(["sync"], in: "a", user: "alice")
        try team.clone("b")
        func modes(_ clone: String) throws -> [String] {
            try team.run(
                [
                    "sh", "-c",
                    "find .irctl/incidents -mindepth 1 \\( -type f -o -type d \\) -exec stat -c "
                        + "'%a %n' {} + | sort",
                ],
                cwd: team.path(clone)
            ).stdout.split(separator: "\n").map(String.init)
        }
        let cloned = try modes("b")
        #expect(
            cloned.contains { $0.hasPrefix("644 ") || $0.hasPrefix("755 ") },
            "a clone starts loose: \(cloned)")
        try team.irctl(["sync"], in: "b", user: "bob")
        let synced = try modes("b")
        #expect(
            !synced.isEmpty && synced.allSatisfy { $0.hasPrefix("600 ") || $0.hasPrefix("700 ") },
            "\(synced)")
        // Alice adds an incident; Bob pulls it with git by hand, then syncs.
        try team.irctl(["declare", "Second incident"], in: "a", user: "alice")
        try team.irctl(["sync"], in: "a", user: "alice")
        try team.git(["pull", "--quiet", "--no-rebase", "origin", "main"], in: "b")
        let pulled = try modes("b")
        #expect(pulled.contains { $0.hasPrefix("644 ") || $0.hasPrefix("755 ") }, "\(pulled)")
        let quiet = try team.irctl(["sync"], in: "b", user: "bob")
        #expect(quiet.stderr == "", "\(quiet.stderr)")
        let again = try modes("b")
        #expect(
            again.count > synced.count
                && again.allSatisfy { $0.hasPrefix("600 ") || $0.hasPrefix("700 ") }, "\(again)")
    }

    @Test(.timeLimit(.minutes(5)))
    func firstPushToAnEmptyRemoteSetsTheUpstream() throws {
        let team = try GitTeam()
        try team.clone("a")
        try team.irctl(["init"], in: "a", user: "alice")
        try team.irctl(["declare", "First incident"], in: "a", user: "alice")
        let result = try team.irctl(["sync"], in: "a", user: "alice")
        #expect(result.stderr == "", "no warning on a first push: \(result.stderr)")
        #expect(
            try team.git(["rev-parse", "--abbrev-ref", "main@{upstream}"], in: "a").stdout
                == "origin/main\n")
        #expect(
            try team.git(["rev-parse", "main"], in: team.remote).stdout
                == team.git(["rev-parse", "HEAD"], in: "a").stdout)
        #expect(try team.untrackedOrModified("a") == "")
        // The commit holds the store and nothing else, with a subject saying what changed.
        let files = try team.git(["show", "--name-only", "--format=%s", "HEAD"], in: "a").stdout
        #expect(files.hasPrefix("irctl: "), "\(files)")
        #expect(
            files.split(separator: "\n").dropFirst().allSatisfy { $0.hasPrefix(".irctl/") },
            "\(files)")
        // A fresh clone gets it all.
        try team.clone("b")
        #expect(try team.incidents("b").compactMap { $0["title"] as? String } == ["First incident"])
    }

    @Test(.timeLimit(.minutes(5)))
    func noPushCommitsAndMergesButPublishesNothing() throws {
        let team = try GitTeam()
        try team.founding("a", user: "alice")
        let remoteBefore = try team.git(["rev-parse", "main"], in: team.remote).stdout
        try team.irctl(["log", "INC-1", "draft"], in: "a", user: "alice")
        let result = try team.irctl(["sync", "--no-push"], in: "a", user: "alice")
        #expect(result.stdout.contains("not pushed"), "\(result.stdout)")
        #expect(try team.git(["rev-parse", "main"], in: team.remote).stdout == remoteBefore)
        #expect(try team.untrackedOrModified("a") == "", "the note is committed locally")
        #expect(
            try team.git(["rev-list", "--count", "origin/main..HEAD"], in: "a").stdout == "1\n")
        // The next sync publishes it.
        let later = try team.irctl(["sync"], in: "a", user: "alice")
        #expect(later.stdout.contains("sent INC-1: 1 entry"), "\(later.stdout)")
        #expect(
            try team.git(["rev-parse", "main"], in: team.remote).stdout
                == team.git(["rev-parse", "HEAD"], in: "a").stdout)
    }

    @Test(.timeLimit(.minutes(5)))
    func anUnreachableRemoteKeepsTheWorkCommittedLocally() throws {
        let team = try GitTeam()
        try team.founding("a", user: "alice")
        try team.git(["remote", "set-url", "origin", team.root + "/no-such-remote.git"], in: "a")
        let head = try team.git(["rev-parse", "HEAD"], in: "a").stdout
        try team.irctl(["log", "INC-1", "written on the train"], in: "a", user: "alice")
        let result = try team.irctl(["sync"], in: "a", user: "alice")
        #expect(result.status == 0)
        #expect(result.stderr.contains("could not fetch from origin"), "\(result.stderr)")
        #expect(result.stderr.contains("committed locally"), "\(result.stderr)")
        #expect(result.stdout.contains("committed locally, not pushed"), "\(result.stdout)")
        #expect(try team.git(["rev-parse", "HEAD"], in: "a").stdout != head)
        #expect(try team.untrackedOrModified("a") == "")
        #expect(try !team.isMidMerge("a"))
    }

    @Test(.timeLimit(.minutes(5)))
    func aRepositoryWithoutRemoteCommitsAndSaysSo() throws {
        let team = try GitTeam()
        try team.git(
            ["init", "--quiet", "--initial-branch=main", team.path("solo")], in: team.root)
        try team.irctl(["init"], in: "solo", user: "alice")
        try team.irctl(["declare", "Alone"], in: "solo", user: "alice")
        let result = try team.irctl(["sync"], in: "solo", user: "alice")
        #expect(result.stderr.contains("no remote"), "\(result.stderr)")
        #expect(try team.untrackedOrModified("solo") == "")
        #expect(try team.git(["log", "--format=%s"], in: "solo").stdout.hasPrefix("irctl: "))
    }

    @Test(.timeLimit(.minutes(5)))
    func aConflictOutsideTheStoreStopsAndRestores() throws {
        let team = try GitTeam()
        try team.founding("a", user: "alice")
        try Data("ops\n".utf8).write(to: URL(fileURLWithPath: team.path("a") + "/README.md"))
        try team.git(["add", "README.md"], in: "a")
        try team.git(["commit", "--quiet", "-m", "readme"], in: "a")
        try team.git(["push", "--quiet"], in: "a")
        try team.clone("b")
        for (clone, text) in [("a", "alice's line\n"), ("b", "bob's line\n")] {
            try Data(("ops\n" + text).utf8).write(
                to: URL(fileURLWithPath: team.path(clone) + "/README.md"))
            try team.git(["commit", "--quiet", "-am", "readme from \(clone)"], in: clone)
        }
        try team.git(["push", "--quiet"], in: "a")
        try team.irctl(["log", "INC-1", "bob's note"], in: "b", user: "bob")
        // An unrelated file bob is editing, not staged: never committed by sync, never lost.
        try Data("scratch\n".utf8).write(to: URL(fileURLWithPath: team.path("b") + "/notes.txt"))
        let headBefore = try team.git(["rev-parse", "HEAD"], in: "b").stdout

        let result = try team.irctl(["sync"], in: "b", user: "bob", check: false)
        #expect(result.status == 1)
        #expect(result.stderr.contains("README.md"), "names the file: \(result.stderr)")
        #expect(result.stderr.contains("outside the store"), "\(result.stderr)")
        #expect(try !team.isMidMerge("b"))
        #expect(try team.git(["ls-files", "-u"], in: "b").stdout == "")
        #expect(
            try String(contentsOfFile: team.path("b") + "/README.md", encoding: .utf8)
                == "ops\nbob's line\n")
        #expect(
            try String(contentsOfFile: team.path("b") + "/notes.txt", encoding: .utf8)
                == "scratch\n")
        // The store's change is committed (one commit on top of what was there), nothing else.
        #expect(try team.git(["rev-parse", "HEAD~1"], in: "b").stdout == headBefore)
        #expect(try team.git(["status", "--porcelain"], in: "b").stdout == "?? notes.txt\n")
    }

    @Test(.timeLimit(.minutes(5)))
    func aMergeOfTheUsersOwnUnderWayIsLeftAlone() throws {
        let team = try GitTeam()
        try team.git(
            ["init", "--quiet", "--initial-branch=main", team.path("solo")], in: team.root)
        try team.irctl(["init"], in: "solo", user: "alice")
        try Data("one\n".utf8).write(to: URL(fileURLWithPath: team.path("solo") + "/file"))
        try team.git(["add", "-A"], in: "solo")
        try team.git(["commit", "--quiet", "-m", "base"], in: "solo")
        try team.git(["switch", "--quiet", "-c", "side"], in: "solo")
        try Data("side\n".utf8).write(to: URL(fileURLWithPath: team.path("solo") + "/file"))
        try team.git(["commit", "--quiet", "-am", "side"], in: "solo")
        try team.git(["switch", "--quiet", "main"], in: "solo")
        try Data("main\n".utf8).write(to: URL(fileURLWithPath: team.path("solo") + "/file"))
        try team.git(["commit", "--quiet", "-am", "main"], in: "solo")
        #expect(try team.git(["merge", "side"], in: "solo", check: false).status != 0)
        let result = try team.irctl(["sync"], in: "solo", user: "alice", check: false)
        #expect(result.status == 1)
        #expect(result.stderr.contains("a merge is in progress"), "\(result.stderr)")
        #expect(try team.isMidMerge("solo"), "the user's merge is untouched")
    }

    @Test(.timeLimit(.minutes(5)))
    func filesStagedOutsideTheStoreAreNamedAndKept() throws {
        let team = try GitTeam()
        try team.founding("a", user: "alice")
        try team.clone("b")
        try team.irctl(["log", "INC-1", "from bob"], in: "b", user: "bob")
        try team.irctl(["sync"], in: "b", user: "bob")
        try Data("draft\n".utf8).write(
            to: URL(fileURLWithPath: team.path("a") + "/runbook-draft.md"))
        try team.git(["add", "runbook-draft.md"], in: "a")
        try team.irctl(["log", "INC-1", "from alice"], in: "a", user: "alice")
        let result = try team.irctl(["sync"], in: "a", user: "alice", check: false)
        #expect(result.status == 1)
        #expect(
            result.stderr.contains("files outside the store are staged (runbook-draft.md)"),
            "\(result.stderr)")
        #expect(
            try team.git(["status", "--porcelain"], in: "a").stdout == "A  runbook-draft.md\n",
            "still staged, store committed")
        #expect(try !team.isMidMerge("a"))
        try team.git(["commit", "--quiet", "-m", "draft"], in: "a")
        try team.irctl(["sync"], in: "a", user: "alice")
        let texts = try #require(try team.show("INC-1", in: "a")["timeline"] as? [[String: Any]])
            .compactMap { $0["text"] as? String }
        #expect(texts.contains("from bob") && texts.contains("from alice"), "\(texts)")
        #expect(
            try team.git(["rev-parse", "HEAD"], in: "a").stdout
                == team.git(["rev-parse", "main"], in: team.remote).stdout)
    }

    @Test(.timeLimit(.minutes(5)))
    func aStoreOutsideAGitWorkTreeIsAClearError() throws {
        let team = try GitTeam()
        try FileManager.default.createDirectory(
            atPath: team.path("plain"), withIntermediateDirectories: true)
        try team.irctl(["init"], in: "plain", user: "alice")
        let result = try team.irctl(["sync"], in: "plain", user: "alice", check: false)
        #expect(result.status == 1)
        #expect(result.stderr.contains("not in a git work tree"), "\(result.stderr)")
        #expect(result.stderr.contains("git init"), "says how to fix it: \(result.stderr)")
    }

    @Test(.timeLimit(.minutes(5)))
    func aMissingGitIsAClearError() throws {
        let team = try GitTeam()
        try team.clone("a")
        try team.irctl(["init"], in: "a", user: "alice")
        let result = try team.irctl(
            ["sync"], in: "a", user: "alice", env: ["PATH": team.root + "/no-bin"], check: false)
        #expect(result.status == 1)
        #expect(result.stderr.contains("git is not installed"), "\(result.stderr)")
    }

    @Test(.timeLimit(.minutes(5)))
    func initInAWorkTreePreparesTheStoreWithoutCommitting() throws {
        let team = try GitTeam()
        try team.clone("a")
        let result = try team.irctl(["init"], in: "a", user: "alice")
        #expect(result.stdout.contains("ready for 'irctl sync'"), "\(result.stdout)")
        #expect(FileManager.default.fileExists(atPath: team.store("a") + "/.gitignore"))
        #expect(
            try team.git(["rev-parse", "-q", "--verify", "HEAD"], in: "a", check: false).status
                != 0, "init made no commit")
    }

    @Test(.timeLimit(.minutes(5)))
    func syncHelp() throws {
        let team = try GitTeam()
        let help = try team.run([Sandbox.binary, "sync", "--help"], cwd: team.root)
        #expect(help.status == 0)
        #expect(help.stdout.hasPrefix("irctl sync: exchange incidents with the team through git"))
        #expect(help.stdout.contains("--no-push"))
        let bad = try team.run([Sandbox.binary, "sync", "--bogus"], cwd: team.root)
        #expect(bad.status == 2)
    }
}
