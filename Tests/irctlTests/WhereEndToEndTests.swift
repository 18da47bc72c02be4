import Foundation
import Testing

/// `irctl where`, and a write into a store a teammate would not expect saying where it went.
@Suite struct WhereEndToEndTests {
    /// No IRCTL_DIR (empty counts as unset), so the store is found as a person's would be.
    static let found = ["IRCTL_DIR": "", "IRCTL_NOW": "2026-11-21T15:00:00Z"]

    /// Runs in `cwd` and requires exit 0, returning stdout.
    @discardableResult
    func ok(
        _ box: borrowing Sandbox, _ arguments: [String], env: [String: String] = [:], cwd: String
    ) throws -> String {
        let result = try box.run(arguments, env: env, cwd: cwd)
        #expect(result.status == 0, "irctl \(arguments): \(result.stderr)")
        return result.stdout
    }

    /// A git work tree with no `.irctl/` in it.
    func repository(_ box: borrowing Sandbox) throws -> String {
        let repo = box.root + "/repo"
        try FileManager.default.createDirectory(
            atPath: repo + "/src", withIntermediateDirectories: true)
        #expect(try Sandbox.run(["git", "init", "--quiet", repo], viaShell: "") == 0)
        return repo
    }

    @Test func aDeclarationFromARepositoryWithoutAStoreSaysWhereItWent() throws {
        let box = try Sandbox()
        let repo = try repository(box)
        let personal = box.root + "/home/.local/share/irctl"
        let declared = try box.run(
            ["declare", "Checkout returns 5xx"], env: Self.found, cwd: repo + "/src")
        #expect(declared.status == 0, "\(declared.stderr)")
        #expect(declared.stdout.hasPrefix("INC-1 declared"))
        #expect(declared.stderr.contains("irctl: note: written to \(personal)"))
        #expect(declared.stderr.contains("not one in the git repository \(repo)"))
        #expect(declared.stderr.contains("'irctl init'"))
        // A log says it again (each write does), but only once per command.
        let logged = try box.run(["log", "1", "pool exhausted"], env: Self.found, cwd: repo)
        #expect(logged.stderr.components(separatedBy: "written to").count == 2)

        let shown = try box.run(["where"], env: Self.found, cwd: repo + "/src")
        #expect(shown.status == 0)
        let lines = shown.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == personal)
        #expect(shown.stdout.contains("the per-user default"))
        #expect(shown.stdout.contains("note: this is \(personal), your personal store, not one"))

        let json = try #require(
            try Sandbox.json(
                try box.run(["where", "--json"], env: Self.found, cwd: repo).stdout)
                as? [String: Any])
        #expect(json["path"] as? String == personal)
        #expect(json["source"] as? String == "user-default")
        #expect(json["exists"] as? Bool == true)
        let unexpected = try #require(json["unexpected"] as? [String: Any])
        #expect(unexpected["kind"] as? String == "personal-store-in-repository")
        #expect(unexpected["workTree"] as? String == repo)
    }

    @Test func outsideARepositoryThePersonalStoreIsNoSurprise() throws {
        let box = try Sandbox()
        let outside = box.root + "/notes"
        let declared = try box.run(["declare", "Disk full"], env: Self.found, cwd: outside)
        #expect(declared.status == 0)
        #expect(!declared.stderr.contains("written to"), "\(declared.stderr)")
        let json = try #require(
            try Sandbox.json(
                try box.run(["where", "--json"], env: Self.found, cwd: outside).stdout)
                as? [String: Any])
        #expect(json["unexpected"] == nil)
        #expect(json["source"] as? String == "user-default")
    }

    @Test func theTeamStoreIsWhatATeammateExpects() throws {
        let box = try Sandbox()
        let repo = try repository(box)
        try ok(box, ["init"], env: Self.found, cwd: repo)
        let declared = try box.run(["declare", "Checkout returns 5xx"], env: Self.found, cwd: repo)
        #expect(declared.status == 0, "\(declared.stderr)")
        #expect(!declared.stderr.contains("written to"), "\(declared.stderr)")
        let shown = try ok(box, ["where"], env: Self.found, cwd: repo + "/src")
        #expect(shown.hasPrefix(repo + "/.irctl\n"))
        #expect(shown.contains("the nearest .irctl/ above the working directory"))
        #expect(!shown.contains("note:"))
    }

    @Test func irctlDirOverATeamStoreSaysSoButDirDoesNot() throws {
        let box = try Sandbox()
        let repo = try repository(box)
        try ok(box, ["init"], env: Self.found, cwd: repo)
        // The sandbox's IRCTL_DIR is set: a teammate here would use the repository's store.
        let declared = try box.run(
            ["declare", "Checkout returns 5xx"], env: ["IRCTL_NOW": "2026-11-21T15:00:00Z"],
            cwd: repo)
        #expect(declared.status == 0)
        #expect(declared.stderr.contains("written to \(box.store)"))
        #expect(declared.stderr.contains("not the team store \(repo)/.irctl"))
        #expect(declared.stderr.contains("unset IRCTL_DIR"))
        let json = try #require(
            try Sandbox.json(try box.run(["where", "--json"], cwd: repo).stdout) as? [String: Any])
        #expect(json["source"] as? String == "environment")
        let unexpected = try #require(json["unexpected"] as? [String: Any])
        #expect(unexpected["kind"] as? String == "environment-over-team-store")
        #expect(unexpected["teamStore"] as? String == repo + "/.irctl")

        let chosen = try box.run(["--dir", box.root + "/other", "declare", "X"], cwd: repo)
        #expect(chosen.status == 0)
        #expect(!chosen.stderr.contains("written to"), "--dir is chosen for this command")
        let explicit = try ok(box, ["where", "--dir", box.root + "/other"], cwd: repo)
        #expect(explicit.contains("from --dir"))
    }
}
