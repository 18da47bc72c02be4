import Foundation
import IncidentKit
import Testing

/// `irctl sync` on a fresh laptop and a first sync of a big store, with the real `git`: it checks
/// what it needs before staging anything, says exactly what it did (committed, pushed, or
/// neither), works whatever the branch is called, and puts nothing that grows with the store on
/// a git command line.
@Suite struct SyncFreshStartTests {
    /// The identity variables GitTeam sets for every process; unset, git knows nobody.
    static let unsetIdentity = ["GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME",
                                "GIT_COMMITTER_EMAIL"].flatMap { ["-u", $0] }

    /// irctl in clone `name` as git sees a laptop where nobody set user.name or user.email.
    func irctlWithoutIdentity(_ team: GitTeam, _ arguments: [String], in name: String) throws -> RunResult {
        try team.run(["/usr/bin/env"] + Self.unsetIdentity + [Sandbox.binary] + arguments,
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
    @Test(.timeLimit(.minutes(3)))
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
                try Incident.open(NewIncident(title: "Synthetic \(n)", severity: level, phase: .declare),
                                  id: id, uid: UUID().uuidString.lowercased(), context: context)
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
        let published = try team.git(["ls-tree", "-d", "--name-only", "main:.irctl/incidents"], in: team.remote)
        #expect(published.stdout.split(separator: "\n").count == count)
        #expect(try staged(team, "a") == "" && team.untrackedOrModified("a") == "")
    }
}
