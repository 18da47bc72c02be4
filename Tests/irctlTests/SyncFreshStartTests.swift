import Foundation
import Testing

@testable import IncidentKit

/// `irctl sync` on a fresh laptop and a first sync of a big store, with the real `git`: it checks
/// what it needs before staging anything, says exactly what it did (committed, pushed, or
/// neither), works whatever the branch is called, and puts nothing that grows with the store on
/// a git command line.
@Suite struct SyncFreshStartTests {
    /// The identity variables GitTeam sets for every process; unset, git knows nobody.
    static let unsetIdentity = [
        "GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME",
        "GIT_COMMITTER_EMAIL",
    ].flatMap { ["-u", $0] }

    /// irctl in clone `name` as git sees a laptop where nobody set user.name or user.email.
    func irctlWithoutIdentity(
        _ team: GitTeam, _ arguments: [String],
        in name: String
    ) throws -> RunResult {
        try team.run(
            ["/usr/bin/env"] + Self.unsetIdentity + [Sandbox.binary] + arguments,
            cwd: team.path(name), env: ["IRCTL_USER": "alice"])
    }

    func staged(_ team: GitTeam, _ name: String) throws -> String {
        try team.git(["diff", "--cached", "--name-only"], in: name).stdout
    }

    func commitCount(_ team: GitTeam, _ name: String) throws -> Int {
        let listed = try team.git(["rev-list", "--count", "HEAD"], in: name, check: false)
        return Int(listed.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    }

    // MARK: A first sync of a big store

    /// Seven thousand five hundred new incidents: the commit body names each ("- declare
    /// INC-7500"), over 128 KiB, which git could not be given as one argument.
    @Test(.timeLimit(.minutes(8)))
    func aFirstSyncOfThousandsOfNewIncidentsCommitsAndPushesThemAll() throws {
        let team = try GitTeam()
        try team.clone("a")
        try team.irctl(["init"], in: "a", user: "alice")
        let store = Store(root: team.store("a"))
        let count = 7_500
        let context = EditContext(author: "alice", now: Date(timeIntervalSince1970: 1_767_225_600))
        let level = try #require(SeverityScheme.standard.levels.first)
        for n in 1...count {
            _ = try store.create { id in
                let new = NewIncident(title: "Synthetic \(n)", severity: level, phase: .declare)
                let uid = UUID().uuidString.lowercased()
                return try Incident.open(new, id: id, uid: uid, context: context)
            }
        }
        let result = try team.irctl(["sync", "--json"], in: "a", user: "alice", check: false)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stderr.contains("Argument list too long"), "\(result.stderr)")
        let report = try #require(try Sandbox.json(result.stdout) as? [String: Any])
        #expect(report["pushed"] as? Bool == true, "\(result.stdout.prefix(2000))")
        #expect((report["outgoing"] as? [Any])?.count == count)
        let body = try team.git(["log", "-1", "--format=%B", "main"], in: team.remote).stdout
        #expect(body.utf8.count > 128 * 1024, "the message lists every incident")
        #expect(body.contains("\n- declare INC-1\n") && body.contains("\n- declare INC-\(count)\n"))
        let published = try team.git(
            ["ls-tree", "-d", "--name-only", "main:.irctl/incidents"],
            in: team.remote)
        #expect(published.stdout.split(separator: "\n").count == count)
        #expect(try staged(team, "a") == "" && team.untrackedOrModified("a") == "")
    }

    // MARK: A fresh laptop

    /// No user.name or user.email anywhere: sync says what to set and leaves nothing staged or
    /// committed; once they are set, the same sync works.
    @Test(.timeLimit(.minutes(5)))
    func withoutAGitIdentitySyncSaysWhatToSetAndLeavesNothingHalfDone() throws {
        let team = try GitTeam()
        try team.founding("a", user: "alice")
        try team.clone("b")
        try team.irctl(["init"], in: "b", user: "bob")
        try team.irctl(["declare", "Login errors"], in: "b", user: "bob")
        let before = try team.git(["rev-parse", "HEAD"], in: "b").stdout

        let refused = try irctlWithoutIdentity(team, ["sync"], in: "b")
        #expect(refused.status == 1, "\(refused.stdout) \(refused.stderr)")
        #expect(refused.stderr.contains("git config --global user.name \""), "\(refused.stderr)")
        #expect(refused.stderr.contains("git config --global user.email \""), "\(refused.stderr)")
        #expect(!refused.stderr.contains("*** Please tell me who you are"), "not git's raw text")
        #expect(try staged(team, "b") == "", "nothing staged")
        #expect(try team.git(["rev-parse", "HEAD"], in: "b").stdout == before, "nothing committed")

        try team.git(["config", "user.name", "Bob"], in: "b")
        try team.git(["config", "user.email", "bob@example.invalid"], in: "b")
        let synced = try irctlWithoutIdentity(team, ["sync"], in: "b")
        #expect(synced.status == 0, "\(synced.stderr)")
        #expect(synced.stdout.contains("sent INC-2 declared"), "\(synced.stdout)")
    }

    /// A repository with no remote: sync commits, and says so rather than "nothing to exchange".
    @Test(.timeLimit(.minutes(5)))
    func withoutARemoteSyncSaysItCommittedLocally() throws {
        let team = try GitTeam()
        try team.git(["init", "--quiet", team.path("solo")], in: team.root)
        try team.irctl(["init"], in: "solo", user: "alice")
        try team.irctl(["declare", "Checkout returns 5xx"], in: "solo", user: "alice")

        let first = try team.irctl(["sync", "--json"], in: "solo", user: "alice")
        let report = try #require(try Sandbox.json(first.stdout) as? [String: Any])
        let summary = try #require(report["summary"] as? String)
        #expect(
            summary.contains("committed locally") && summary.contains("INC-1 declared"),
            "\(summary)")
        #expect(summary.contains("no remote"), "\(summary)")
        #expect(report["pushed"] as? Bool == false)
        #expect(
            try team.git(["log", "--format=%s"], in: "solo").stdout == "irctl: declare INC-1\n")
        #expect(try team.untrackedOrModified("solo") == "")

        let again = try team.irctl(["sync"], in: "solo", user: "alice")
        #expect(
            again.stdout != "nothing to exchange\n" && again.stdout.contains("no remote"),
            "\(again.stdout)")
    }

    /// `irctl init` in a clone whose store came committed says so; in a fresh clone it says
    /// nothing is committed yet.
    @Test(.timeLimit(.minutes(5)))
    func initSaysWhetherTheStoreIsAlreadyCommitted() throws {
        let team = try GitTeam()
        try team.clone("a")
        let fresh = try team.irctl(["init"], in: "a", user: "alice")
        #expect(fresh.stdout.contains("nothing was committed yet"), "\(fresh.stdout)")
        try team.irctl(["declare", "Checkout returns 5xx"], in: "a", user: "alice")
        try team.irctl(["sync"], in: "a", user: "alice")

        try team.clone("b")
        let teammate = try team.irctl(["init"], in: "b", user: "bob")
        #expect(!teammate.stdout.contains("nothing was committed yet"), "\(teammate.stdout)")
        #expect(teammate.stdout.contains("already committed"), "\(teammate.stdout)")
        #expect(try team.untrackedOrModified("b") == "")

        // Committed, with changes since: those are what sync will commit.
        try team.irctl(["declare", "Login errors"], in: "b", user: "bob")
        let changed = try team.irctl(["init"], in: "b", user: "bob")
        #expect(changed.stdout.contains("changes not committed yet"), "\(changed.stdout)")
    }

    /// `pushed` is true only when this sync pushed; `upToDate` says the remote has everything.
    @Test(.timeLimit(.minutes(5)))
    func syncJSONSaysPushedOnlyWhenAPushHappened() throws {
        let team = try GitTeam()
        try team.founding("a", user: "alice")
        func report(_ arguments: [String]) throws -> [String: Any] {
            let result = try team.irctl(["sync", "--json"] + arguments, in: "a", user: "alice")
            return try #require(try Sandbox.json(result.stdout) as? [String: Any])
        }
        let idle = try report([])
        #expect(idle["pushed"] as? Bool == false, "nothing was pushed: \(idle)")
        #expect(idle["upToDate"] as? Bool == true)
        #expect(idle["attempts"] as? Int == 0)

        try team.irctl(["declare", "Login errors"], in: "a", user: "alice")
        let held = try report(["--no-push"])
        #expect(held["pushed"] as? Bool == false && held["upToDate"] as? Bool == false, "\(held)")
        let sent = try report([])
        #expect(sent["pushed"] as? Bool == true && sent["upToDate"] as? Bool == true, "\(sent)")

        // Offline with nothing new: neither pushed nor known to be up to date.
        try team.git(["remote", "set-url", "origin", team.root + "/gone.git"], in: "a")
        let offline = try report([])
        #expect(
            offline["pushed"] as? Bool == false && offline["upToDate"] as? Bool == false,
            "\(offline)")
    }

    // MARK: Any branch name

    /// A repository made with `git init` (its branch named by the local default) syncing with a
    /// remote that has no branch yet: the store goes to the remote's default branch, so a
    /// teammate's `git clone` checks it out, and the two then sync both ways.
    @Test(.timeLimit(.minutes(5)), arguments: [("main", "master"), ("master", "main")])
    func aFirstSyncPublishesOnTheRemotesDefaultBranch(remoteDefault: String, local: String) throws {
        let team = try GitTeam()
        let remote = team.root + "/ops.git"
        try team.git(
            ["init", "--quiet", "--bare", "--initial-branch=" + remoteDefault, remote],
            in: team.root)
        try team.git(
            ["init", "--quiet", "--initial-branch=" + local, team.path("a")],
            in: team.root)
        try team.git(["remote", "add", "origin", remote], in: "a")
        try team.irctl(["init"], in: "a", user: "alice")
        try team.irctl(["declare", "Checkout returns 5xx"], in: "a", user: "alice")
        let first = try team.irctl(["sync"], in: "a", user: "alice")
        #expect(first.stdout == "sent INC-1 declared\n", "\(first.stdout)")
        let branches = try team.git(
            ["for-each-ref", "--format=%(refname)", "refs/heads"],
            in: remote
        ).stdout
        #expect(branches == "refs/heads/\(remoteDefault)\n", "on the remote's default branch")

        try team.git(["clone", "--quiet", remote, team.path("b")], in: team.root)
        let titles = try team.incidents("b").compactMap { $0["title"] as? String }
        #expect(titles == ["Checkout returns 5xx"])
        try team.irctl(["init"], in: "b", user: "bob")
        try team.irctl(["declare", "Login errors"], in: "b", user: "bob")
        #expect(try team.irctl(["sync"], in: "b", user: "bob").stdout == "sent INC-2 declared\n")
        let back = try team.irctl(["sync"], in: "a", user: "alice")
        #expect(back.stdout.contains("INC-2 declared by bob"), "\(back.stdout)")
        #expect(try team.storeTree("a") == team.storeTree("b"))
    }

    /// A remote whose default branch is `master`, cloned as the README says: two clones
    /// exchange incidents as they do on `main`.
    @Test(.timeLimit(.minutes(5)))
    func clonesOfARemoteOnMasterSyncBothWays() throws {
        let team = try GitTeam()
        let remote = team.root + "/ops.git"
        try team.git(
            ["init", "--quiet", "--bare", "--initial-branch=master", remote],
            in: team.root)
        try team.git(["clone", "--quiet", remote, team.path("a")], in: team.root)
        try team.irctl(["init"], in: "a", user: "alice")
        try team.irctl(["declare", "Checkout returns 5xx"], in: "a", user: "alice")
        #expect(try team.irctl(["sync"], in: "a", user: "alice").stdout == "sent INC-1 declared\n")
        try team.git(["clone", "--quiet", remote, team.path("b")], in: team.root)
        try team.irctl(["init"], in: "b", user: "bob")
        try team.irctl(["declare", "Login errors"], in: "b", user: "bob")
        #expect(try team.irctl(["sync"], in: "b", user: "bob").stdout == "sent INC-2 declared\n")
        let back = try team.irctl(["sync"], in: "a", user: "alice")
        #expect(back.stdout.contains("INC-2 declared by bob"), "\(back.stdout)")
        #expect(try team.storeTree("a") == team.storeTree("b"))
        let heads = try team.git(
            ["for-each-ref", "--format=%(refname)", "refs/heads"],
            in: remote
        ).stdout
        #expect(heads == "refs/heads/master\n")
    }

    /// `git init` and `git remote add` of a remote that already has the team's history: a first
    /// commit here would start a second, unrelated history. sync refuses before staging.
    @Test(.timeLimit(.minutes(5)))
    func anUnbornBranchDoesNotStartASecondHistory() throws {
        let team = try GitTeam()
        try team.founding("a", user: "alice")
        let published = try team.git(["rev-parse", "main"], in: team.remote).stdout
        try team.git(["init", "--quiet", "--initial-branch=main", team.path("b")], in: team.root)
        try team.git(["remote", "add", "origin", team.remote], in: "b")
        try team.irctl(["init"], in: "b", user: "bob")
        try team.irctl(["declare", "Login errors"], in: "b", user: "bob")

        let refused = try team.irctl(["sync"], in: "b", user: "bob", check: false)
        #expect(refused.status == 1, "\(refused.stdout) \(refused.stderr)")
        #expect(
            refused.stderr.contains("origin/main") && refused.stderr.contains("no commit"),
            "\(refused.stderr)")
        #expect(try staged(team, "b") == "")
        #expect(try commitCount(team, "b") == 0, "nothing committed")
        #expect(try team.git(["rev-parse", "main"], in: team.remote).stdout == published)

        // What the message says to do: start the branch from the remote's, keep the incident.
        try team.git(["reset", "--quiet", "origin/main"], in: "b")
        try team.git(["restore", "."], in: "b")
        let synced = try team.irctl(["sync"], in: "b", user: "bob")
        #expect(synced.stdout.contains("INC-1 renumbered INC-2"), "\(synced.stdout)")
        #expect(synced.stdout.contains("sent INC-2 declared"), "\(synced.stdout)")
        #expect(
            try team.incidents("b").compactMap { $0["title"] as? String }.sorted()
                == ["Checkout returns 5xx", "Login errors"])
    }
}
