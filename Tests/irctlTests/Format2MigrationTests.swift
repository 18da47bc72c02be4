import Foundation
import Testing

/// Stores of format 2 (one file per replica per incident, `<replica>.json`, `schemaVersion` 2;
/// `Fixtures/format2` holds two incidents written by two replicas) are read as they are: each
/// file is the first segment of its replica's chain, never rewritten, and new entries go into new
/// segments. Nothing is converted, so nothing can be lost.
@Suite struct Format2MigrationTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/format2").path

    /// Every fixture file by its path under `incidents/`, with its bytes.
    static func fixtureFiles() throws -> [String: Data] {
        var files: [String: Data] = [:]
        let base = fixtures + "/incidents"
        for directory in try FileManager.default.contentsOfDirectory(atPath: base) {
            for file in try FileManager.default.contentsOfDirectory(atPath: base + "/" + directory)
            {
                files[directory + "/" + file] = try Data(
                    contentsOf: URL(fileURLWithPath: base + "/" + directory + "/" + file))
            }
        }
        return files
    }

    @Test func aFormat2StoreReadsAndGrowsWithoutRewritingItsFiles() throws {
        let box = try Sandbox()
        try FileManager.default.createDirectory(
            atPath: box.store, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: Self.fixtures + "/incidents", toPath: box.store + "/incidents")
        let before = try Self.fixtureFiles()
        #expect(before.count == 3)

        let verify = try box.ok(["verify"])
        #expect(verify.contains("INC-1: ok, 6 entries"), "\(verify)")
        #expect(verify.contains("INC-2: ok, 2 entries"), "\(verify)")
        let show = try #require(
            try Sandbox.json(try box.ok(["show", "1", "--json"])) as? [String: Any])
        #expect(show["severity"] as? String == "SEV1")
        #expect(show["phase"] as? String == "contain")
        let texts = try #require(show["timeline"] as? [[String: Any]]).compactMap {
            $0["text"] as? String
        }
        #expect(
            texts.contains("pool exhausted: 20/20") && texts.contains("error rate 12% since 14:02"))

        try box.ok(["log", "1", "after the upgrade"])
        for (path, bytes) in before {
            #expect(
                try Data(contentsOf: URL(fileURLWithPath: box.store + "/incidents/" + path))
                    == bytes,
                "\(path) was rewritten")
        }
        #expect(try box.ok(["verify", "1"]).contains("ok, 7 entries"))
        let after = try #require(
            try Sandbox.json(try box.ok(["show", "1", "--json"])) as? [String: Any])
        #expect(
            (after["timeline"] as? [[String: Any]])?.last?["text"] as? String == "after the upgrade"
        )
    }

    @Test(.timeLimit(.minutes(5)))
    func aCommittedFormat2StoreGetsNewSegmentsAndNoConflicts() throws {
        let team = try GitTeam()
        try team.clone("a")
        try FileManager.default.createDirectory(
            atPath: team.store("a"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: Self.fixtures + "/incidents", toPath: team.store("a") + "/incidents")
        try team.irctl(["init"], in: "a", user: "alice")
        try team.irctl(["sync"], in: "a", user: "alice")
        try team.clone("b")
        try team.irctl(["init"], in: "b", user: "bob")
        // The replica that wrote the fixture's files goes on in clone a: a new segment follows.
        try FileManager.default.createDirectory(
            atPath: team.localState("a"),
            withIntermediateDirectories: true)
        try "a28aa0d9bbf383da\n".write(
            toFile: team.localState("a") + "/replica", atomically: false,
            encoding: .utf8)
        try team.irctl(["log", "INC-1", "alice after the upgrade"], in: "a", user: "alice")
        try team.irctl(["log", "INC-1", "bob after the upgrade"], in: "b", user: "bob")
        let status = try team.git(
            ["status", "--porcelain", "--untracked-files=all", ".irctl"], in: "a"
        ).stdout
        // The replica wrote entries 1–4 of INC-1 in format 2; the fifth starts a segment.
        #expect(
            status
                == "?? .irctl/incidents/690e4a64-421b-4f55-9e23-f9666db38037/"
                + "a28aa0d9bbf383da.5.json\n",
            "a new segment of the same replica, nothing else: \(status)")
        try team.irctl(["sync"], in: "a", user: "alice")
        try team.irctl(["sync"], in: "b", user: "bob")
        try team.irctl(["sync"], in: "a", user: "alice")
        for (path, bytes) in try Self.fixtureFiles() {
            #expect(
                try Data(contentsOf: URL(fileURLWithPath: team.store("b") + "/incidents/" + path))
                    == bytes)
        }
        for clone in ["a", "b"] {
            try team.irctl(["verify"], in: clone, user: "reader")
            let texts = try #require(
                try team.show("INC-1", in: clone)["timeline"] as? [[String: Any]]
            )
            .compactMap { $0["text"] as? String }
            #expect(
                texts.contains("alice after the upgrade") && texts.contains("bob after the upgrade")
            )
        }
    }
}
