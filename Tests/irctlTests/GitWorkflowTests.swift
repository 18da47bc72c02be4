import Foundation
import Testing

/// Every way a team moves commits with git, with the real `git`: a developer clone works on a
/// branch with plain git commits, and a "hosting service" clone merges, squashes, cherry-picks
/// and rebases the way a web merge button does (no merge driver, no irctl). No store file may
/// ever conflict, no entry may be lost, and the chains must verify afterwards.
@Suite struct GitWorkflowTests {
    /// `irctl log` in `clone`, then a plain `git commit` of the store.
    private func logAndCommit(_ team: GitTeam, _ clone: String, _ text: String) throws {
        try team.irctl(["log", "INC-1", text], in: clone, user: clone)
        try team.git(["add", "-A", ".irctl"], in: clone)
        try team.git(["commit", "--quiet", "-m", text], in: clone)
    }

    private func texts(_ team: GitTeam, _ clone: String) throws -> [String] {
        let show = try team.show("INC-1", in: clone)
        return try #require(show["timeline"] as? [[String: Any]]).compactMap {
            $0["text"] as? String
        }
    }

    private func expectClean(
        _ result: RunResult, _ what: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(
            result.status == 0, "\(what) failed: \(result.stdout) \(result.stderr)",
            sourceLocation: sourceLocation)
        #expect(
            !(result.stdout + result.stderr).contains("CONFLICT"), "\(what): \(result.stdout)",
            sourceLocation: sourceLocation)
    }

    /// A team of a developer clone `dev` on branch `feature` and a hosting clone `host` on main.
    private func team() throws -> GitTeam {
        let team = try GitTeam()
        try team.founding("host", user: "host")
        try team.clone("dev")
        try team.irctl(["init"], in: "dev", user: "dev")
        try team.git(["checkout", "--quiet", "-b", "feature"], in: "dev")
        return team
    }

    @Test(.timeLimit(.minutes(5)))
    func squashMergeThenTheBranchGoesOnAndIsMergedAgain() throws {
        let team = try team()
        try logAndCommit(team, "dev", "first on the branch")
        try logAndCommit(team, "dev", "second on the branch")
        try team.git(["push", "--quiet", "origin", "feature"], in: "dev")

        // The hosting service squashes the branch into main.
        try team.git(["fetch", "--quiet", "origin"], in: "host")
        expectClean(
            try team.git(["merge", "--squash", "origin/feature"], in: "host", check: false),
            "squash")
        try team.git(["commit", "--quiet", "-m", "Squashed feature"], in: "host")
        try logAndCommit(team, "host", "on main after the squash")
        try team.git(["push", "--quiet", "origin", "main"], in: "host")

        // The branch goes on, takes main in, and is merged again.
        try logAndCommit(team, "dev", "third on the branch")
        try team.git(["fetch", "--quiet", "origin"], in: "dev")
        expectClean(
            try team.git(["merge", "--no-edit", "origin/main"], in: "dev", check: false),
            "merge main")
        try logAndCommit(team, "dev", "fourth on the branch")
        try team.git(["push", "--quiet", "origin", "feature"], in: "dev")
        try team.git(["fetch", "--quiet", "origin"], in: "host")
        expectClean(
            try team.git(["merge", "--no-edit", "origin/feature"], in: "host", check: false),
            "merge after squash")
        try team.git(["push", "--quiet", "origin", "main"], in: "host")

        let all = [
            "first on the branch", "second on the branch", "on main after the squash",
            "third on the branch", "fourth on the branch",
        ]
        for clone in ["host"] {
            let seen = try texts(team, clone)
            for text in all {
                #expect(seen.filter { $0 == text }.count == 1, "\(clone): \(text) in \(seen)")
            }
            try team.irctl(["verify"], in: clone, user: "reader")
        }
    }

    @Test(.timeLimit(.minutes(5)))
    func cherryPickThenMergeTheBranch() throws {
        let team = try team()
        try logAndCommit(team, "dev", "the fix")
        try logAndCommit(team, "dev", "after the fix")
        try team.git(["push", "--quiet", "origin", "feature"], in: "dev")
        let fix = try team.git(["rev-parse", "feature~1"], in: "dev").stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)

        try team.git(["fetch", "--quiet", "origin"], in: "host")
        expectClean(try team.git(["cherry-pick", fix], in: "host", check: false), "cherry-pick")
        try logAndCommit(team, "host", "on main after the pick")
        try team.git(["push", "--quiet", "origin", "main"], in: "host")

        try logAndCommit(team, "dev", "later on the branch")
        try team.git(["fetch", "--quiet", "origin"], in: "dev")
        expectClean(
            try team.git(["merge", "--no-edit", "origin/main"], in: "dev", check: false),
            "merge main")
        try team.git(["push", "--quiet", "origin", "feature"], in: "dev")
        try team.git(["fetch", "--quiet", "origin"], in: "host")
        expectClean(
            try team.git(["merge", "--no-edit", "origin/feature"], in: "host", check: false),
            "merge the branch")
        for clone in ["host", "dev"] {
            let seen = try texts(team, clone)
            for text in ["the fix", "after the fix", "on main after the pick"] {
                #expect(seen.filter { $0 == text }.count == 1, "\(clone): \(text) in \(seen)")
            }
            try team.irctl(["verify"], in: clone, user: "reader")
        }
        #expect(try texts(team, "host").contains("later on the branch"))
    }

    @Test(.timeLimit(.minutes(5)))
    func rebaseMergeAndFastForward() throws {
        let team = try team()
        try logAndCommit(team, "dev", "one")
        try logAndCommit(team, "host", "main moved")
        try team.git(["push", "--quiet", "origin", "main"], in: "host")
        try logAndCommit(team, "dev", "two")
        // The hosting service's "rebase and merge": the branch replayed onto main.
        try team.git(["push", "--quiet", "origin", "feature"], in: "dev")
        try team.git(["fetch", "--quiet", "origin"], in: "host")
        try team.git(["checkout", "--quiet", "-b", "replay", "origin/feature"], in: "host")
        expectClean(try team.git(["rebase", "main"], in: "host", check: false), "rebase")
        try team.git(["checkout", "--quiet", "main"], in: "host")
        expectClean(
            try team.git(["merge", "--ff-only", "replay"], in: "host", check: false), "fast-forward"
        )
        try team.git(["push", "--quiet", "origin", "main"], in: "host")
        // The developer goes on and merges main back: the replayed copies are the same bytes.
        try logAndCommit(team, "dev", "three")
        try team.git(["fetch", "--quiet", "origin"], in: "dev")
        expectClean(
            try team.git(["merge", "--no-edit", "origin/main"], in: "dev", check: false),
            "merge main")
        let seen = try texts(team, "dev")
        for text in ["one", "two", "three", "main moved"] {
            #expect(seen.filter { $0 == text }.count == 1, "\(text) in \(seen)")
        }
        try team.irctl(["verify"], in: "dev", user: "reader")
    }

    @Test(.timeLimit(.minutes(5)), arguments: [false, true])
    func stashAroundAWrite(untracked: Bool) throws {
        let team = try team()
        try logAndCommit(team, "dev", "committed")
        try team.irctl(["log", "INC-1", "stashed away"], in: "dev", user: "dev")
        if untracked {
            try team.git(["stash", "push", "--quiet", "--include-untracked"], in: "dev")
        } else {
            try team.git(["add", "-A", ".irctl"], in: "dev")
            try team.git(["stash", "push", "--quiet"], in: "dev")
        }
        try team.irctl(["log", "INC-1", "written while stashed"], in: "dev", user: "dev")
        expectClean(
            try team.git(["stash", "pop", "--quiet"], in: "dev", check: false), "stash pop")
        let seen = try texts(team, "dev")
        for text in ["committed", "stashed away", "written while stashed"] {
            #expect(seen.filter { $0 == text }.count == 1, "\(text) in \(seen)")
        }
        try team.irctl(["verify"], in: "dev", user: "reader")
        try team.git(["add", "-A", ".irctl"], in: "dev")
        try team.git(["commit", "--quiet", "-m", "after the stash"], in: "dev")
    }

    @Test(.timeLimit(.minutes(5)))
    func aSegmentGitHasSeenIsNeverWrittenAgain() throws {
        let team = try team()
        try team.irctl(["log", "INC-1", "one"], in: "dev", user: "dev")
        try team.irctl(["log", "INC-1", "two"], in: "dev", user: "dev")
        // Until git looks, the clone's entries go into one segment.
        let untracked = try team.git(
            ["status", "--porcelain", "--untracked-files=all", ".irctl"], in: "dev"
        ).stdout
        #expect(untracked.split(separator: "\n").count == 1, "one new file: \(untracked)")
        try team.git(["add", "-A", ".irctl"], in: "dev")
        let staged = try team.git(["diff", "--cached", "--name-only"], in: "dev").stdout
        try team.irctl(["log", "INC-1", "three"], in: "dev", user: "dev")
        // The staged segment is as it was staged; the new entry went into a new one.
        #expect(
            try team.git(["diff", "--name-only"], in: "dev").stdout == "", "a staged file changed")
        let now = try team.git(
            ["status", "--porcelain", "--untracked-files=all", ".irctl"], in: "dev"
        ).stdout
        #expect(now.split(separator: "\n").count == 2, "staged \(staged), now \(now)")
        #expect(try texts(team, "dev").suffix(3) == ["one", "two", "three"])
        try team.irctl(["verify"], in: "dev", user: "reader")
    }
}
