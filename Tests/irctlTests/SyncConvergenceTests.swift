import Foundation
import Glibc
import TestSupport
import Testing

/// Convergence under sync (DESIGN §9): random work on several clones synced in random order ends
/// with every clone byte-identical and nothing lost; two clones pushing at once settle by retry.
@Suite struct SyncConvergenceTests {
    /// Seeds replay exactly; set IRCTL_SYNC_SEED to try another one.
    static let seeds: [UInt64] =
        ProcessInfo.processInfo.environment["IRCTL_SYNC_SEED"].flatMap(UInt64.init).map { [$0] }
        ?? [0x5EED_0001, 0x5EED_0002]

    @Test(.timeLimit(.minutes(5)), arguments: seeds)
    func randomWorkOnThreeClonesConverges(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        let team = try GitTeam()
        let clones = ["c0", "c1", "c2"]
        let users = ["c0": "alice", "c1": "bob", "c2": "carol"]
        try team.founding("c0", user: "alice")
        try team.clone("c1")
        try team.clone("c2")

        /// Entries on each clone now, from its own listing; entries each clone wrote.
        func entryCount(_ clone: String) throws -> (total: Int, uids: [String]) {
            let listed = try team.incidents(clone)
            return (
                listed.compactMap { $0["entryCount"] as? Int }.reduce(0, +),
                listed.compactMap { $0["uid"] as? String }
            )
        }
        var present: [String: Int] = [:]
        var targets: [String: [String]] = [:]
        for clone in clones { (present[clone], targets[clone]) = try entryCount(clone) }
        let founded = present["c0"]!
        var written = 0
        var logged: [(uid: String, text: String)] = []
        var succeeded = 0
        var syncs = 0

        func sync(_ clone: String, round: Int) throws -> Bool {
            let result = try team.irctl(
                ["sync", "--json"], in: clone, user: users[clone]!, check: false)
            #expect(
                result.status == 0,
                "seed \(seed) round \(round): sync on \(clone) failed: \(result.stderr)")
            let report = try #require(
                try Sandbox.json(result.stdout) as? [String: Any], "seed \(seed)")
            written += (report["renumbered"] as? [Any])?.count ?? 0
            // Settling action item numbers writes an entry per item moved.
            written += (report["renumberedActionItems"] as? [Any])?.count ?? 0
            (present[clone], targets[clone]) = try entryCount(clone)
            syncs += 1
            return report["summary"] as? String == "nothing to exchange"
        }

        for round in 1...10 {
            for clone in clones.shuffled(using: &random) {
                for step in 0..<Int.random(in: 1...2, using: &random) {
                    let uid = targets[clone]!.randomElement(using: &random)!
                    let target = String(uid.prefix(8))
                    let tag = "r\(round)-\(clone)-\(step)"
                    let arguments: [String]
                    switch Int.random(in: 0..<8, using: &random) {
                    case 0, 1: arguments = ["log", target, "note \(tag)"]
                    case 2:
                        arguments = [
                            "declare", "Incident \(tag)", "-s",
                            "SEV\(Int.random(in: 1...4, using: &random))",
                        ]
                    case 3:
                        arguments = [
                            "severity", target, "SEV\(Int.random(in: 1...4, using: &random))",
                            "--reason", tag,
                        ]
                    case 4:
                        arguments = [
                            "assign", target, "--commander",
                            ["alice", "bob", "carol", "dan"].randomElement(using: &random)!,
                        ]
                    case 5:
                        arguments = [
                            "tag", target, "--add", "t\(Int.random(in: 1...4, using: &random))",
                        ]
                    case 6:
                        arguments = [
                            "phase", target,
                            ["declare", "contain", "eradicate", "recover"].randomElement(
                                using: &random)!,
                            "--reason", tag,
                        ]
                    default: arguments = ["action", "add", target, "follow up \(tag)"]
                    }
                    let result = try team.irctl(
                        arguments, in: clone, user: users[clone]!, check: false)
                    // Refusals (a tag already there, the same severity) are fine; anything else is
                    // not.
                    #expect(
                        result.status == 0 || result.status == 1,
                        "seed \(seed): \(arguments) → \(result.status) \(result.stderr)")
                    if result.status == 0 {
                        succeeded += 1
                        if arguments[0] == "log" { logged.append((uid, arguments[2])) }
                    }
                    let before = present[clone]!
                    (present[clone], targets[clone]) = try entryCount(clone)
                    #expect(
                        present[clone]! >= before,
                        "seed \(seed): \(arguments) lost entries on \(clone)")
                    written += present[clone]! - before
                }
            }
            for clone in clones.shuffled(using: &random) where Bool.random(using: &random) {
                _ = try sync(clone, round: round)
            }
        }
        #expect(
            succeeded >= 30,
            "seed \(seed): most random commands must succeed, only \(succeeded) did")

        // Every clone syncs until a whole pass exchanges nothing.
        var quiet = false
        for pass in 1...6 where !quiet {
            quiet = true
            for clone in clones {
                if try !sync(clone, round: 100 + pass) { quiet = false }
            }
        }
        #expect(quiet, "seed \(seed): the clones did not settle within 6 passes of sync")

        let tree = try team.storeTree("c0")
        let files = try team.storeFiles("c0")
        let listing = try team.irctl(["list", "--all", "--json"], in: "c0", user: "reader").stdout
        for clone in clones {
            #expect(
                try team.storeTree(clone) == tree,
                "seed \(seed): \(clone)'s store differs from c0's")
            #expect(
                try team.storeFiles(clone) == files,
                "seed \(seed): \(clone)'s files differ from c0's")
            #expect(
                try team.untrackedOrModified(clone) == "",
                "seed \(seed): \(clone) has uncommitted files")
            #expect(try !team.isMidMerge(clone))
            try team.irctl(["verify"], in: clone, user: "reader")
            #expect(
                try team.irctl(["list", "--all", "--json"], in: clone, user: "reader").stdout
                    == listing, "seed \(seed)")
            // No entry lost: every entry written anywhere is on every clone.
            #expect(
                present[clone] == founded + written,
                "seed \(seed): \(clone) has \(present[clone]!) of \(founded + written) entries")
        }
        let ids = try team.incidents("c0").compactMap { $0["id"] as? String }
        #expect(Set(ids).count == ids.count, "seed \(seed): ids not distinct: \(ids)")
        #expect(
            ids.allSatisfy { $0.hasPrefix("INC-") },
            "seed \(seed): every claim settled to a number: \(ids)")
        var timelines: [String: [String]] = [:]
        for (uid, text) in logged {
            if timelines[uid] == nil {
                timelines[uid] = try #require(
                    try team.show(String(uid.prefix(8)), in: "c2")["timeline"] as? [[String: Any]]
                )
                .compactMap { $0["text"] as? String }
            }
            #expect(timelines[uid]!.contains(text), "seed \(seed): '\(text)' is missing")
        }
        #expect(syncs >= 10, "seed \(seed)")
    }

    /// Two clones sync at the same moment. Their pre-push hooks order the race so that it is lost
    /// for certain: Alice's push waits until Bob's is about to go (he has fetched), and Bob's waits
    /// until Alice's has landed. Bob's push is rejected, and his sync must merge, renumber his
    /// unpublished claim and push again, while Alice's published number never changes.
    @Test(.timeLimit(.minutes(5)))
    func twoClonesPushingAtOnceSettleByRetry() throws {
        let team = try GitTeam()
        try team.founding("a", user: "alice")
        try team.clone("b")
        let initial = try team.git(["rev-parse", "main"], in: team.remote).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let marker = team.root + "/bob-waited"
        let hook = """
            #!/bin/sh
            # First push only: wait (at most 60 s) until someone else's push has moved the remote.
            [ -e '\(marker)' ] && exit 0
            touch '\(marker)'
            i=0
            while [ "$(git ls-remote '\(team.remote)' refs/heads/main | cut -f1)" = '\(initial)' ] \
            && [ $i -lt 600 ]; do
                sleep 0.1; i=$((i + 1))
            done
            exit 0
            """
        let aliceHook = """
            #!/bin/sh
            # Wait (at most 60 s) until Bob's first push is under way.
            i=0
            while [ ! -e '\(marker)' ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
            exit 0
            """
        for (clone, script) in [("b", hook), ("a", aliceHook)] {
            let hookPath = team.path(clone) + "/.git/hooks/pre-push"
            try Data(script.utf8).write(to: URL(fileURLWithPath: hookPath))
            #expect(chmod(hookPath, 0o755) == 0)
        }

        try team.irctl(["declare", "Alice's outage"], in: "a", user: "alice")
        try team.irctl(["log", "INC-1", "alice was here"], in: "a", user: "alice")
        try team.irctl(["declare", "Bob's outage"], in: "b", user: "bob")
        try team.irctl(["log", "INC-1", "bob was here"], in: "b", user: "bob")

        let bob = try team.start(
            [Sandbox.binary, "sync", "--json"], cwd: team.path("b"), env: ["IRCTL_USER": "bob"])
        let alice = try team.start(
            [Sandbox.binary, "sync", "--json"], cwd: team.path("a"), env: ["IRCTL_USER": "alice"])
        let bobResult = team.wait(bob)
        let aliceResult = team.wait(alice)
        #expect(aliceResult.status == 0, "\(aliceResult.stderr)")
        #expect(bobResult.status == 0, "\(bobResult.stderr)")
        let aliceReport = try #require(try Sandbox.json(aliceResult.stdout) as? [String: Any])
        let bobReport = try #require(try Sandbox.json(bobResult.stdout) as? [String: Any])
        #expect(aliceReport["pushed"] as? Bool == true)
        #expect(bobReport["pushed"] as? Bool == true)
        #expect(
            bobReport["attempts"] as? Int == 2,
            "bob's first push was rejected and retried: \(bobResult.stdout)")
        #expect(
            (aliceReport["renumbered"] as? [Any])?.isEmpty == true,
            "alice's published claim never moves")
        let moves = try #require(bobReport["renumbered"] as? [[String: Any]])
        #expect(
            moves.count == 1 && moves.first?["from"] as? String == "INC-2"
                && moves.first?["to"] as? String == "INC-3")

        try team.irctl(["sync"], in: "a", user: "alice")
        #expect(try team.storeTree("a") == team.storeTree("b"))
        // Published ids: the first remote commit holding either new incident holds Alice's, as
        // INC-2.
        for clone in ["a", "b"] {
            #expect(try team.show("INC-2", in: clone)["title"] as? String == "Alice's outage")
            #expect(try team.show("INC-3", in: clone)["title"] as? String == "Bob's outage")
            try team.irctl(["verify"], in: clone, user: "reader")
        }
        let aliceUID = try #require(try team.show("INC-2", in: "a")["uid"] as? String)
        let bobUID = try #require(try team.show("INC-3", in: "a")["uid"] as? String)
        let history = try team.git(["rev-list", "--reverse", "main"], in: team.remote).stdout.split(
            separator: "\n")
        var first: [String]?
        for commit in history where first == nil {
            let names = try team.git(
                ["ls-tree", "-d", "--name-only", "\(commit):.irctl/incidents"], in: team.remote
            ).stdout
                .split(separator: "\n").map(String.init)
            if names.contains(aliceUID) || names.contains(bobUID) { first = names }
        }
        #expect(first?.contains(aliceUID) == true && first?.contains(bobUID) == false)
    }
}
