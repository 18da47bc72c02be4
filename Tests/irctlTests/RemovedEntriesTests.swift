import Foundation
import Testing

/// No entry vanishes silently: a commit that takes entries out of the store (a `git revert` of a
/// store commit) is named by `sync` and `verify`, and `irctl restore` brings the entries back with
/// the same hashes, with real git.
@Suite struct RemovedEntriesTests {
    private func texts(_ team: GitTeam, _ clone: String) throws -> [String] {
        try #require(try team.show("INC-1", in: clone)["timeline"] as? [[String: Any]]).compactMap {
            $0["text"] as? String
        }
    }

    private func hashes(_ team: GitTeam, _ clone: String) throws -> Set<String> {
        Set(
            try #require(try team.show("INC-1", in: clone)["timeline"] as? [[String: Any]])
                .compactMap { $0["hash"] as? String })
    }

    @Test(.timeLimit(.minutes(5)), arguments: [false, true])
    func aRevertedStoreCommitIsNamedAndRestored(builtOn: Bool) throws {
        let team = try GitTeam()
        try team.founding("a", user: "alice")
        try team.clone("b")
        try team.irctl(["init"], in: "b", user: "bob")
        try team.irctl(["log", "INC-1", "pool exhausted at 14:02"], in: "a", user: "alice")
        try team.irctl(["sync"], in: "a", user: "alice")
        let added = try team.git(["rev-parse", "HEAD"], in: "a").stdout.trimmingCharacters(
            in: .whitespacesAndNewlines)
        try team.irctl(["sync"], in: "b", user: "bob")
        if builtOn {
            // Bob's entry names alice's as a parent.
            try team.irctl(["log", "INC-1", "bob saw it too"], in: "b", user: "bob")
            try team.irctl(["sync"], in: "b", user: "bob")
            try team.irctl(["sync"], in: "a", user: "alice")
        }
        let complete = try hashes(team, "b")

        // Someone reverts alice's store commit and pushes it with plain git.
        try team.git(["revert", "--no-edit", added], in: "a")
        try team.git(["push", "--quiet", "origin", "main"], in: "a")

        let sync = try team.irctl(["sync"], in: "b", user: "bob")
        #expect(sync.stderr.contains("removed by commit"), "sync names the removal: \(sync.stderr)")
        #expect(sync.stderr.contains("pool exhausted at 14:02"), "\(sync.stderr)")
        #expect(sync.stderr.contains("irctl restore INC-1"), "\(sync.stderr)")
        #expect(try !texts(team, "b").contains("pool exhausted at 14:02"))

        let verify = try team.irctl(["verify"], in: "b", user: "bob", check: false)
        #expect(verify.status == 1, "verify fails while entries are missing")
        #expect(verify.stdout.contains("removed by commit"), "\(verify.stdout)")
        #expect(verify.stdout.contains("Revert"), "the commit's subject is named: \(verify.stdout)")

        let restore = try team.irctl(["restore", "INC-1"], in: "b", user: "bob")
        #expect(restore.stdout.contains("INC-1: restored 1 entry"), "\(restore.stdout)")
        #expect(try hashes(team, "b") == complete, "the same entries, the same hashes")
        try team.irctl(["verify"], in: "b", user: "bob")
        #expect(
            try team.irctl(["restore"], in: "b", user: "bob").stdout.hasPrefix("nothing to restore")
        )

        try team.irctl(["sync"], in: "b", user: "bob")
        try team.irctl(["sync"], in: "a", user: "alice")
        #expect(try hashes(team, "a") == complete)
        try team.irctl(["verify"], in: "a", user: "alice")
    }

    @Test func restoreOutsideGitSaysWhy() throws {
        let box = try Sandbox()
        try box.ok(["declare", "Checkout 5xx"])
        let result = try box.run(["restore"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("not in a git work tree"), "\(result.stderr)")
    }
}
