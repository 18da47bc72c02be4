import Foundation
import Testing

/// A number that reached the remote never changes, whatever pushed it: `irctl sync`, or plain
/// `git pull` and `git push` in a clone set up with `irctl init` (its hooks), with real git.
@Suite struct PublishedNumberTests {
    /// Titles by number, as a clone lists them.
    private func titles(_ team: GitTeam, _ clone: String) throws -> [String: String] {
        var result: [String: String] = [:]
        for incident in try team.incidents(clone) {
            if let id = incident["id"] as? String, let title = incident["title"] as? String {
                result[id] = title
            }
        }
        return result
    }

    /// Titles by number as the remote has them now, seen from a fresh clone.
    private func remoteTitles(_ team: GitTeam) throws -> [String: String] {
        let name = "look-" + UUID().uuidString.prefix(6)
        try team.clone(name)
        defer { try? FileManager.default.removeItem(atPath: team.path(name)) }
        return try titles(team, name)
    }

    @Test(.timeLimit(.minutes(5)), arguments: ["--no-rebase", "--rebase"])
    func plainGitPullAndPushCannotTakeAPublishedNumber(mode: String) throws {
        let team = try GitTeam()
        try team.founding("a", user: "alice")
        try team.clone("b")
        let initialized = try team.irctl(["init"], in: "b", user: "bob")
        #expect(initialized.stdout.contains("Installed git hooks"), "\(initialized.stdout)")

        // Offline, both claim INC-2; alice publishes hers first.
        try team.irctl(["declare", "Bob's incident"], in: "b", user: "bob")
        try team.irctl(["declare", "Alice's incident"], in: "a", user: "alice")
        try team.irctl(["sync"], in: "a", user: "alice")
        #expect(try remoteTitles(team)["INC-2"] == "Alice's incident")

        // Bob shares with plain git.
        try team.git(["add", "-A", ".irctl"], in: "b")
        try team.git(["commit", "--quiet", "-m", "bob's incident"], in: "b")
        let pull = try team.git(["pull", mode, "origin", "main"], in: "b", check: false)
        #expect(pull.status == 0, "\(pull.stderr)")
        #expect(
            pull.stderr.contains("INC-2 renumbered INC-3"),
            "the hook settles after the pull: \(pull.stderr)")
        #expect(try titles(team, "b")["INC-3"] == "Bob's incident")
        let push = try team.git(["push", "origin", "main"], in: "b", check: false)
        #expect(push.status != 0, "a push that takes INC-2 is refused")
        #expect(push.stderr.contains("INC-2 (Bob's incident) would take INC-2"), "\(push.stderr)")
        #expect(push.stderr.contains("irctl sync"), "\(push.stderr)")
        #expect(
            try remoteTitles(team)["INC-2"] == "Alice's incident",
            "the remote never showed Bob's as INC-2")

        try team.irctl(["sync"], in: "b", user: "bob")
        try team.irctl(["sync"], in: "a", user: "alice")
        for clone in ["a", "b"] {
            let seen = try titles(team, clone)
            #expect(seen["INC-2"] == "Alice's incident", "\(clone): \(seen)")
            #expect(seen["INC-3"] == "Bob's incident", "\(clone): \(seen)")
            try team.irctl(["verify"], in: clone, user: "reader")
        }
        #expect(try remoteTitles(team) == titles(team, "a"))
    }

    @Test(.timeLimit(.minutes(5)))
    func aBackdatedClaimPushedWithoutHooksDoesNotTakeAPublishedNumber() throws {
        let team = try GitTeam()
        try team.founding("a", user: "alice")
        try team.clone("b")  // no 'irctl init': no hooks
        // Bob's claim of INC-2 says it was made a day earlier than Alice's.
        try team.irctl(
            ["declare", "Bob's incident"], in: "b", user: "bob",
            env: ["IRCTL_NOW": "2020-01-01T00:00:00Z"])
        try team.irctl(["declare", "Alice's incident"], in: "a", user: "alice")
        try team.irctl(["sync"], in: "a", user: "alice")
        try team.git(["add", "-A", ".irctl"], in: "b")
        try team.git(["commit", "--quiet", "-m", "bob's incident"], in: "b")
        try team.git(["pull", "--quiet", "--no-rebase", "origin", "main"], in: "b")
        try team.git(["push", "--quiet", "origin", "main"], in: "b")

        // Alice saw her INC-2 on the remote before Bob's arrived: hers keeps the number.
        let sync = try team.irctl(["sync"], in: "a", user: "alice")
        #expect(sync.stdout.contains("INC-2 renumbered INC-3"), "\(sync.stdout)")
        try team.irctl(["sync"], in: "b", user: "bob")
        for clone in ["a", "b"] {
            let seen = try titles(team, clone)
            #expect(seen["INC-2"] == "Alice's incident", "\(clone): \(seen)")
            #expect(seen["INC-3"] == "Bob's incident", "\(clone): \(seen)")
        }
    }

    /// A hosting service's merge button runs no hooks: the branch's colliding incident moves when
    /// a clone with hooks pulls, and the main branch's keeps its number.
    @Test(.timeLimit(.minutes(5)))
    func aMergeButtonCollisionIsSettledByTheNextPull() throws {
        let team = try GitTeam()
        try team.founding("a", user: "alice")
        try team.clone("dev")
        try team.irctl(["init"], in: "dev", user: "dev")
        try team.git(["checkout", "--quiet", "-b", "feature"], in: "dev")
        try team.irctl(["declare", "On the branch"], in: "dev", user: "dev")
        try team.git(["add", "-A", ".irctl"], in: "dev")
        try team.git(["commit", "--quiet", "-m", "branch incident"], in: "dev")
        try team.git(["push", "--quiet", "origin", "feature"], in: "dev")
        try team.irctl(["declare", "On main"], in: "a", user: "alice")
        try team.irctl(["sync"], in: "a", user: "alice")

        // The hosting service: a plain clone, no irctl, merges the branch.
        try team.clone("host")
        try team.git(["merge", "--quiet", "--no-edit", "origin/feature"], in: "host")
        try team.git(["push", "--quiet", "origin", "main"], in: "host")

        let pull = try team.git(["pull", "--no-rebase", "origin", "main"], in: "a")
        #expect(pull.stderr.contains("INC-2 renumbered INC-3"), "\(pull.stderr)")
        try team.irctl(["sync"], in: "a", user: "alice")
        let seen = try titles(team, "a")
        #expect(seen["INC-2"] == "On main" && seen["INC-3"] == "On the branch", "\(seen)")
        #expect(try remoteTitles(team) == seen)
    }

    @Test(.timeLimit(.minutes(5)))
    func hooksTheUserHadStillRun() throws {
        let team = try GitTeam()
        try team.founding("a", user: "alice")
        try team.clone("b")
        let hooks = team.path("b") + "/.git/hooks"
        let mine =
            "#!/bin/sh\necho \"$@\" >> \"$(git rev-parse --show-toplevel)/../ran-post-merge\"\n"
        try mine.write(toFile: hooks + "/post-merge", atomically: false, encoding: .utf8)
        chmod(hooks + "/post-merge", 0o755)
        let initialized = try team.irctl(["init"], in: "b", user: "bob")
        #expect(initialized.stdout.contains("post-merge.irctl-chained"), "\(initialized.stdout)")
        #expect(
            try String(contentsOfFile: hooks + "/post-merge.irctl-chained", encoding: .utf8) == mine
        )
        // Again: irctl's own hook is updated, never chained to itself.
        try team.irctl(["init"], in: "b", user: "bob")
        #expect(
            !FileManager.default.fileExists(
                atPath: hooks + "/post-merge.irctl-chained.irctl-chained"))
        #expect(
            try String(contentsOfFile: hooks + "/post-merge.irctl-chained", encoding: .utf8) == mine
        )

        try team.irctl(["log", "INC-1", "from alice"], in: "a", user: "alice")
        try team.irctl(["sync"], in: "a", user: "alice")
        try team.git(["pull", "--quiet", "--no-rebase", "origin", "main"], in: "b")
        let ran = try String(contentsOfFile: team.root + "/ran-post-merge", encoding: .utf8)
        #expect(ran == "0\n", "the user's hook ran with git's argument: \(ran)")
    }

    @Test(.timeLimit(.minutes(5)))
    func aSparseCheckoutDoesNotHideANumber() throws {
        let team = try GitTeam()
        try team.founding("a", user: "alice")
        try team.irctl(["declare", "Second"], in: "a", user: "alice")
        try team.irctl(["sync"], in: "a", user: "alice")
        let second = try #require(try team.show("INC-2", in: "a")["uid"] as? String)
        try team.clone("b")
        try team.irctl(["init"], in: "b", user: "bob")
        try team.git(
            ["sparse-checkout", "set", "--no-cone", "/*", "!/.irctl/incidents/\(second)/"], in: "b")
        #expect(!FileManager.default.fileExists(atPath: team.store("b") + "/incidents/\(second)"))
        try team.irctl(["declare", "Bob's incident"], in: "b", user: "bob")
        let sync = try team.irctl(["sync"], in: "b", user: "bob")
        #expect(sync.stdout.contains("renumbered INC-3"), "\(sync.stdout)")
        let remote = try remoteTitles(team)
        #expect(remote["INC-2"] == "Second", "\(remote)")
        #expect(remote["INC-3"] == "Bob's incident", "\(remote)")
    }
}
