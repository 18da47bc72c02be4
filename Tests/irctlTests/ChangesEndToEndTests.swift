import Foundation
import Testing

/// `irctl change record|import`, `changes`, `suspects` through the built binary: a command's exit
/// status passed on, imports counted once, two clones converging through a real bare remote, and
/// `verify` finding an edited change.
@Suite(.timeLimit(.minutes(10))) struct ChangesEndToEndTests {
    func changes(_ box: borrowing Sandbox, _ extra: [String] = []) throws -> [[String: Any]] {
        try #require(try Sandbox.json(box.ok(["changes", "--json"] + extra)) as? [[String: Any]])
    }

    @Test func recordRunsTheCommandAndExitsWithItsStatus() throws {
        let box = try Sandbox()
        let failed = try box.run([
            "change", "record", "-s", "checkout", "--version", "v2.4.1", "--", "sh", "-c",
            "echo rolling out; exit 3",
        ])
        #expect(failed.status == 3, "irctl exits with the command's status")
        #expect(failed.stdout == "rolling out\n", "stdout is the command's own")
        #expect(failed.stderr.contains("recorded change ") && failed.stderr.contains("(exit 3"))
        try box.ok([
            "change", "record", "-s", "payments", "-m", "flag new-ledger on", "--at", "1h ago",
        ])
        let killed = try box.run(["change", "record", "-m", "x", "--", "sh", "-c", "kill -9 $$"])
        #expect(killed.status == 137)
        let missing = try box.run(["change", "record", "-m", "x", "--", "no-such-program-here"])
        #expect(
            missing.status == 127 && missing.stderr.contains("cannot run 'no-such-program-here'"))

        let all = try changes(box)
        #expect(all.count == 4)
        #expect(all[0]["text"] as? String == "flag new-ledger on", "oldest first")
        let deploy = try #require(all.first { $0["version"] as? String == "v2.4.1" })
        #expect(deploy["exitStatus"] as? Int == 3 && deploy["durationMs"] is Int)
        #expect(deploy["command"] as? String == "sh -c 'echo rolling out; exit 3'")
        #expect(
            deploy["services"] as? [String] == ["checkout"]
                && deploy["author"] as? String == "tester")
        #expect(all.contains { $0["signal"] as? Int == 9 })
        #expect(try changes(box, ["--service", "CHECKOUT"]).count == 1)
        #expect(try changes(box, ["--since", "30m ago"]).count == 3)
        let listed = try box.ok(["changes"])
        #expect(listed.contains("checkout v2.4.1: sh -c 'echo rolling out; exit 3' (exit 3, "))

        for (arguments, words) in [
            (["change"], "missing subcommand; use one of record, import"),
            (["change", "record"], "say what changed"),
            (["change", "record", "-m", "x", "--git", "."], "--git does not apply"),
            (["change", "deploy"], "unknown subcommand 'deploy'; use one of record, import"),
            (["change", "import"], "import needs --git DIR"),
            (["change", "record", "-m", "x", "--at", "1h ago", "--", "true"], "--at is for"),
            (["suspects"], "missing INCIDENT"),
        ] {
            let result = try box.run(arguments)
            #expect(
                result.status == 2 && result.stderr.contains(words),
                "\(arguments): \(result.stderr)")
        }
        #expect(try changes(box).count == 4, "a refused command records nothing")
        #expect(try box.ok(["verify"]).contains("changes (replica "))
    }

    @Test func suspectsAndThePostmortemRankChangesBeforeImpact() throws {
        let box = try Sandbox()
        try box.ok(["change", "record", "-s", "search", "-m", "reindex", "--at", "40m ago"])
        try box.ok(["change", "record", "-s", "checkout", "-m", "deploy v2.4.1", "--at", "50m ago"])
        try box.ok(["change", "record", "-s", "checkout", "-m", "ancient", "--at", "5h ago"])
        try box.ok([
            "declare", "Checkout returns 5xx", "-s", "SEV2", "--service", "checkout",
            "--started", "30m ago",
        ])
        let text = try box.ok(["suspects", "1"])
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.count == 3, "\(text)")
        #expect(
            lines[1].contains("1. 20m before [shares checkout]:")
                && lines[1].contains("deploy v2.4.1"))
        #expect(lines[2].contains("2. 10m before:") && lines[2].contains("reindex"))
        let json = try #require(
            try Sandbox.json(box.ok(["suspects", "1", "--json", "--window", "6h"]))
                as? [String: Any])
        #expect((json["suspects"] as? [Any])?.count == 3 && json["windowSeconds"] as? Int == 21600)
        let markdown = try box.ok(["postmortem", "1"])
        #expect(markdown.contains("## Changes before impact\n"))
        #expect(markdown.contains("| 20m | **checkout** | checkout deploy v2.4.1 | tester |"))
        let bad = try box.run(["suspects", "1", "--window", "soon"])
        #expect(bad.status == 2 && bad.stderr.contains("a duration such as 30s"))
    }

    @Test func importTakesTagsAndMergesOnce() throws {
        let box = try Sandbox()
        let repo = box.root + "/app"
        let script = """
            set -e
            git init -q -b main \(repo) && cd \(repo)
            git -c user.name=Dev -c user.email=d@x commit -q --allow-empty -m init
            git -c user.name=Dev -c user.email=d@x tag -a v1.0 -m 'first release'
            git checkout -q -b feature
            git -c user.name=Dev -c user.email=d@x commit -q --allow-empty -m work
            git checkout -q main
            git -c user.name=Dev -c user.email=d@x merge -q --no-ff -m 'Merge feature' feature
            git tag v1.1
            """
        #expect(try box.sh(script).status == 0)
        let first = try box.ok(["change", "import", "--git", repo, "--service", "app"])
        #expect(first == "imported 3 changes from \(repo) (3 tags and merges)\n", "\(first)")
        let again = try box.ok(["change", "import", "--git", repo, "--service", "app"])
        #expect(again.contains("imported 0 changes") && again.contains("3 already recorded"))
        let all = try changes(box)
        #expect(Set(all.compactMap { $0["source"] as? String }) == ["git-tag", "git-merge"])
        #expect(
            all.contains {
                $0["version"] as? String == "v1.0"
                    && $0["text"] as? String == "tag v1.0: first release"
            })
        #expect(
            all.contains {
                $0["text"] as? String == "Merge feature" && $0["author"] as? String == "Dev"
            })
        let notRepo = try box.run(["change", "import", "--git", box.root + "/nothing"])
        #expect(notRepo.status == 2 && notRepo.stderr.contains("is not a git repository"))
    }

    /// Two clones record changes offline, sync in turn through a bare remote, and hold the same
    /// files; an edited change file is then reported by verify.
    @Test func twoClonesConvergeAndVerifyFindsAnEdit() throws {
        let team = try GitTeam()
        try team.founding("alice", user: "alice")
        try team.clone("bob")
        try team.irctl(
            ["change", "record", "-s", "checkout", "-m", "deploy v2"], in: "alice", user: "alice")
        try team.irctl(
            ["change", "record", "-s", "payments", "-m", "flag on"], in: "bob", user: "bob")
        try team.irctl(
            ["change", "record", "-s", "payments", "-m", "flag off"], in: "bob", user: "bob")
        // A change a killed writer left half-written is not committed.
        try Data("{".utf8).write(
            to: URL(fileURLWithPath: team.store("alice") + "/changes/.torn.json.tmp"))
        try team.irctl(["sync"], in: "alice", user: "alice")
        try team.irctl(["sync"], in: "bob", user: "bob")
        try team.irctl(["sync"], in: "alice", user: "alice")
        let alice = try team.storeFiles("alice").filter { $0.key.hasPrefix(".irctl/changes/") }
        let bob = try team.storeFiles("bob").filter { $0.key.hasPrefix(".irctl/changes/") }
        #expect(!alice.keys.contains { $0.hasSuffix(".tmp") })
        let subjects = try team.git(["log", "--format=%s"], in: "alice").stdout
        #expect(
            subjects.contains("irctl: record 1 change\n")
                && subjects.contains("irctl: record 2 changes\n"), "\(subjects)")
        #expect(alice.count == 3 && alice == bob, "\(alice.keys.sorted()) vs \(bob.keys.sorted())")
        let listed = try team.irctl(["changes"], in: "alice", user: "alice").stdout
        #expect(
            listed.contains("deploy v2") && listed.contains("flag on")
                && listed.contains("flag off"))
        let verified = try team.irctl(["verify"], in: "bob", user: "bob").stdout
        #expect(verified.components(separatedBy: "changes (replica ").count == 3, "\(verified)")

        let name = try #require(
            bob.keys.first { key in
                String(decoding: bob[key]!, as: UTF8.self).contains("flag on")
            })
        let path = team.path("bob") + "/" + name
        let text = try String(contentsOfFile: path, encoding: .utf8)
        try text.replacingOccurrences(of: "flag on", with: "flag ON").write(
            toFile: path, atomically: true, encoding: .utf8)
        let tampered = try team.irctl(["verify"], in: "bob", user: "bob", check: false)
        #expect(tampered.status == 1)
        #expect(
            tampered.stdout.contains("FAILED: change #1")
                && tampered.stdout.contains("edited after it was recorded"), "\(tampered.stdout)")
    }
}
