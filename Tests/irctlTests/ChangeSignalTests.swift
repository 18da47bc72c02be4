import Foundation
import Glibc
import Testing

/// What tells `list` that files changed under it. In a git work tree, irctl trusts its cache
/// while git's index file and the listing of `incidents/` are as they were at its last full look
/// (only irctl wrote since, and irctl keeps the cache itself); anything git does (a pull, merge,
/// checkout, stash, add) rewrites the index, and a restored or copied incident changes the
/// listing. A hand edit inside an incident's directory is read at once by the commands that read
/// that incident, and by listings after git's next look or `irctl reindex`.
@Suite struct ChangeSignalTests {
    /// The rows of `list` in a clone, by incident number: every field but the age (which moves
    /// on between two runs on a slow machine), single-spaced.
    static func rows(
        _ team: GitTeam, _ clone: String, _ arguments: [String] = []
    ) throws -> [String: String] {
        let out = try team.irctl(["list"] + arguments, in: clone, user: "bob").stdout
        var rows: [String: String] = [:]
        for line in out.split(separator: "\n").dropFirst() {
            var fields = line.split(separator: " ", omittingEmptySubsequences: true)
            fields.remove(at: 3)
            rows[String(fields[0])] = fields.joined(separator: " ")
        }
        return rows
    }

    static func phase(_ row: String?) -> String? {
        row.map { $0.split(separator: " ", omittingEmptySubsequences: true)[2] }.map(String.init)
    }

    @Test(.timeLimit(.minutes(5)))
    func aPlainGitPullIsSeenByTheNextList() throws {
        let team = try GitTeam()
        try team.founding("alice", user: "alice")
        try team.irctl(["declare", "Search is slow", "-s", "SEV3"], in: "alice", user: "alice")
        try team.irctl(["sync"], in: "alice", user: "alice")
        try team.clone("bob")
        try team.irctl(["init"], in: "bob", user: "bob")
        // Two lists: the first makes the full look, the second runs on the trusted cache.
        _ = try Self.rows(team, "bob")
        let before = try Self.rows(team, "bob")
        #expect(Self.phase(before["INC-1"]) == "declare")
        #expect(before["INC-2"] != nil)

        try team.irctl(["phase", "1", "contain"], in: "alice", user: "alice")
        try team.irctl(["close", "2", "--force"], in: "alice", user: "alice")
        try team.irctl(["declare", "Payments fail", "-s", "SEV1"], in: "alice", user: "alice")
        try team.irctl(["sync"], in: "alice", user: "alice")

        try team.git(["pull", "--quiet", "--no-rebase"], in: "bob")
        let after = try Self.rows(team, "bob")
        #expect(Self.phase(after["INC-1"]) == "contain", "a changed incident: \(after)")
        #expect(after["INC-2"] == nil, "an incident closed by a teammate still listed: \(after)")
        #expect(after["INC-3"]?.contains("Payments fail") == true, "a new incident: \(after)")
        // And again on the trusted cache the pull's look left behind.
        #expect(try Self.rows(team, "bob") == after)
    }

    @Test(.timeLimit(.minutes(5)))
    func aHandEditIsReadAtOnceByShowAndByListAfterGitLooks() throws {
        let team = try GitTeam()
        try team.founding("bob", user: "bob")
        let directory = try #require(
            try FileManager.default.contentsOfDirectory(atPath: team.store("bob") + "/incidents")
                .first { !$0.hasPrefix(".") })
        let path = team.store("bob") + "/incidents/" + directory
        func files() throws -> Set<String> {
            Set(
                try FileManager.default.contentsOfDirectory(atPath: path).filter {
                    $0.hasSuffix(".json")
                })
        }
        // A note starts a new segment (git has seen the first one); the phase change goes into
        // that same file, which irctl replaces whole.
        let sealed = try files()
        try team.irctl(["log", "1", "rolling back"], in: "bob", user: "bob")
        let segment = try #require(try files().subtracting(sealed).first)
        let saved = try Data(contentsOf: URL(fileURLWithPath: path + "/" + segment))
        try team.irctl(["phase", "1", "contain"], in: "bob", user: "bob")
        #expect(try files().subtracting(sealed) == [segment])
        #expect(Self.phase(try Self.rows(team, "bob")["INC-1"]) == "contain")

        // The hand edit: the segment as it was before the phase change, written in place (same
        // file, so the directory does not change).
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path + "/" + segment))
        try handle.truncate(atOffset: 0)
        try handle.write(contentsOf: saved)
        try handle.close()

        let show = try team.irctl(["show", "1", "--json"], in: "bob", user: "bob").stdout
        #expect(
            show.contains("\"phase\" : \"declare\""), "show reads the incident's files: \(show)")
        // git looks at the work tree (any command that writes its index): list sees it.
        try team.git(["add", "-A", ".irctl"], in: "bob")
        #expect(Self.phase(try Self.rows(team, "bob")["INC-1"]) == "declare")
    }

    @Test(.timeLimit(.minutes(5)))
    func anIncidentDirectoryRestoredFromABackupIsSeenByTheNextList() throws {
        let team = try GitTeam()
        try team.founding("bob", user: "bob")
        try team.irctl(["declare", "Search is slow", "-s", "SEV3"], in: "bob", user: "bob")
        let store = team.store("bob")
        let backup = team.root + "/backup.tar"
        _ = try team.run(["tar", "-cf", backup, "-C", store, "incidents"], cwd: team.root)
        // After the backup: one incident closed, one declared; the list is trusted again.
        try team.irctl(["close", "2", "--force"], in: "bob", user: "bob")
        try team.irctl(["declare", "Payments fail", "-s", "SEV1"], in: "bob", user: "bob")
        _ = try Self.rows(team, "bob")
        let before = try Self.rows(team, "bob")
        #expect(before["INC-2"] == nil && before["INC-3"] != nil)

        // The restore: the incidents as the backup has them, put back over the store's.
        try FileManager.default.removeItem(atPath: store + "/incidents")
        let restored = try team.run(["tar", "-xf", backup, "-C", store], cwd: team.root)
        #expect(restored.status == 0, "\(restored.stderr)")
        let after = try Self.rows(team, "bob")
        #expect(
            after["INC-2"]?.contains("Search is slow") == true,
            "the backup's open incident: \(after)")
        #expect(after["INC-3"] == nil, "an incident the backup does not hold: \(after)")
        #expect(try Self.rows(team, "bob", ["--all"]).count == 2)
    }
}

/// What `irctl sync` stages: while only irctl wrote since its last full look, the files it
/// wrote, by name; anything else put in the store sends it back to staging everything.
@Suite struct SyncStagingTests {
    func tracked(_ team: GitTeam, _ clone: String) throws -> Set<String> {
        let out = try team.git(["ls-files", "--", ".irctl/incidents"], in: clone).stdout
        return Set(out.split(separator: "\n").map(String.init))
    }

    @Test(.timeLimit(.minutes(5)))
    func aFilePutInAnIncidentByHandIsCommittedByTheNextSync() throws {
        let team = try GitTeam()
        try team.founding("alice", user: "alice")
        // A sync that staged everything, then irctl's own writes, then a list that trusts.
        try team.irctl(["sync"], in: "alice", user: "alice")
        try team.irctl(["log", "1", "rolling back"], in: "alice", user: "alice")
        _ = try team.irctl(["list"], in: "alice", user: "alice")
        let incidents = team.store("alice") + "/incidents"
        let directory = try #require(
            try FileManager.default.contentsOfDirectory(atPath: incidents)
                .first { !$0.hasPrefix(".") })
        // A teammate's segment restored by hand from a backup.
        let handPut = incidents + "/" + directory + "/00000000000000bb.json"
        try Data("{}".utf8).write(to: URL(fileURLWithPath: handPut))
        try team.irctl(["sync"], in: "alice", user: "alice", check: false)
        let path = ".irctl/incidents/\(directory)/00000000000000bb.json"
        #expect(try tracked(team, "alice").contains(path), "a file put in by hand was left out")
    }

    @Test(.timeLimit(.minutes(5)))
    func irctlsOwnWritesAreCommittedWhenStagedByName() throws {
        let team = try GitTeam()
        try team.founding("alice", user: "alice")
        try team.irctl(["sync"], in: "alice", user: "alice")
        for n in 1...3 {
            try team.irctl(["log", "1", "note \(n)"], in: "alice", user: "alice")
            try team.irctl(["declare", "Incident \(n)", "-s", "SEV3"], in: "alice", user: "alice")
            try team.irctl(["sync"], in: "alice", user: "alice")
        }
        // Nothing left behind: the work tree is what was committed, and the remote has it all.
        #expect(try team.untrackedOrModified("alice").isEmpty)
        try team.clone("bob")
        try team.irctl(["init"], in: "bob", user: "bob")
        let seen = try team.incidents("bob")
        let mine = try team.incidents("alice")
        #expect(seen.count == 4)
        func entries(_ list: [[String: Any]]) -> Int? {
            list.first { ($0["id"] as? String) == "INC-1" }?["entryCount"] as? Int
        }
        #expect(entries(seen) != nil && entries(seen) == entries(mine))
    }
}
