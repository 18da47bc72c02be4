import Foundation
import Testing

/// Action item numbers through `irctl sync` with real git: items two clones added at once get
/// distinct numbers, the one that reached the remote first keeps its number, and every text names
/// the number its item has.
@Suite struct ActionItemSyncTests {
    /// Bob's item is written first (it would hold A1 by the entry order); Alice's is published
    /// first.
    static let bobsClock = ["IRCTL_NOW": "2030-01-01T10:00:00Z"]
    static let alicesClock = ["IRCTL_NOW": "2030-01-01T10:05:00Z"]

    static func items(_ team: GitTeam, _ clone: String) throws -> [String: String] {
        let shown = try team.show("INC-1", in: clone)
        let items = try #require(shown["actionItems"] as? [[String: Any]])
        var byText: [String: String] = [:]
        for item in items { byText[item["text"] as? String ?? ""] = item["id"] as? String }
        return byText
    }

    static func texts(_ team: GitTeam, _ clone: String) throws -> [String] {
        let shown = try team.show("INC-1", in: clone)
        let timeline = try #require(shown["timeline"] as? [[String: Any]])
        return timeline.filter { $0["kind"] as? String == "action-item" }
            .compactMap { $0["text"] as? String }
    }

    @Test(.timeLimit(.minutes(5)))
    func itemsAddedOfflineOnTwoClonesSettleAndThePublishedOneKeepsItsNumber() throws {
        let team = try GitTeam()
        try team.founding("a", user: "alice")
        try team.clone("b")
        try team.irctl(
            ["action", "add", "INC-1", "page payments", "--owner", "bob"], in: "b",
            user: "bob", env: Self.bobsClock)
        try team.irctl(
            ["action", "add", "INC-1", "add a canary"], in: "a", user: "alice",
            env: Self.alicesClock)
        try team.irctl(["sync"], in: "a", user: "alice", env: Self.alicesClock)
        #expect(try Self.items(team, "a") == ["add a canary": "A1"])

        let settling = try team.irctl(["sync"], in: "b", user: "bob", env: Self.bobsClock)
        #expect(
            settling.stdout.contains("INC-1 action item A1 renumbered A2"),
            "\(settling.stdout)")
        try team.irctl(["sync"], in: "a", user: "alice", env: Self.alicesClock)

        let expected = ["add a canary": "A1", "page payments": "A2"]
        let texts = [
            "Action item A2: page payments (owner bob)", "Action item A1: add a canary",
            "Action item A1 renumbered A2: another item added at the same time holds its "
                + "number",
        ]
        for clone in ["a", "b"] {
            #expect(try Self.items(team, clone) == expected, "\(clone): the published A1 stays A1")
            #expect(try Self.texts(team, clone) == texts, "\(clone)")
            let shown = try team.irctl(["show", "INC-1"], in: clone, user: "reader").stdout
            #expect(shown.contains("A2  page payments"), "\(shown)")
            #expect(shown.contains("Action item A2: page payments"), "\(shown)")
            #expect(!shown.contains("Action item A1: page payments"), "\(shown)")
            let postmortem = try team.irctl(["postmortem", "INC-1"], in: clone, user: "reader")
            #expect(postmortem.stdout.contains("| A1 | add a canary |"), "\(postmortem.stdout)")
            #expect(postmortem.stdout.contains("| A2 | page payments |"), "\(postmortem.stdout)")
            try team.irctl(["verify"], in: clone, user: "reader")
        }

        // A2 is the item shown as A2, on both clones, also done at once on both.
        try team.irctl(["action", "done", "INC-1", "A2", "-m", "paged"], in: "a", user: "alice")
        try team.irctl(["action", "done", "INC-1", "A2"], in: "b", user: "bob")
        for clone in ["a", "b"] {
            let shown = try team.show("INC-1", in: clone)
            let items = try #require(shown["actionItems"] as? [[String: Any]])
            let states = items.map { "\($0["id"] ?? "") \($0["status"] ?? "")" }
            #expect(states == ["A1 open", "A2 done"], "\(clone)")
        }
        try team.irctl(["sync"], in: "a", user: "alice")
        try team.irctl(["sync"], in: "b", user: "bob")
        try team.irctl(["sync"], in: "a", user: "alice")
        let a = try team.irctl(["show", "INC-1", "--json"], in: "a", user: "reader").stdout
        let b = try team.irctl(["show", "INC-1", "--json"], in: "b", user: "reader").stdout
        #expect(a == b, "show INC-1 --json differs between the clones")
        #expect(
            try Self.texts(team, "a").suffix(2).sorted()
                == ["Action item A2 done", "Action item A2 done: paged"])
    }
}
