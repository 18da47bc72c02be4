import Foundation
import Testing

@Suite struct LabelCommandTests {
    @Test func servicesAndTagsChangeAndListFollows() throws {
        let box = try Sandbox()
        try box.ok(["declare", "Checkout 5xx", "--service", "checkout"])
        #expect(
            try box.ok(["service", "1", "--add", "payments-api,db"])
                == "INC-1: services checkout, payments-api, db\n")
        #expect(
            try box.ok(["service", "1", "--remove", "db"])
                == "INC-1: services checkout, payments-api\n")
        #expect(
            try box.ok(["tag", "1", "--add", "deploy", "-a", "customer-facing"])
                == "INC-1: tags deploy, customer-facing\n")
        let list = try #require(
            Sandbox.json(box.ok(["list", "--service", "payments-api", "--json"]))
                as? [[String: Any]])
        #expect(list.count == 1 && list[0]["tags"] as? [String] == ["deploy", "customer-facing"])
        let timeline = try #require(box.incidentJSON(1)["timeline"] as? [[String: Any]])
        #expect(
            timeline.suffix(3).map { $0["text"] as? String } == [
                "Services: added payments-api, db", "Services: removed db",
                "Tags: added deploy, customer-facing",
            ])
        #expect((timeline.last?["data"] as? [String: String])?["field"] == "tags")
    }

    @Test(
        arguments: [
            (["service", "1", "--remove", "nope"], 1, "INC-1 has no service 'nope'"),
            (["service", "1", "--add", "checkout"], 1, "already has the service 'checkout'"),
            (["service", "1"], 2, "nothing to change"),
            (["tag", "1", "--add", String(repeating: "x", count: 101)], 2, "invalid tag"),
            (["link", "1", "not a url"], 2, "invalid URL 'not a url'"),
            (["link", "1", "javascript"], 2, "invalid URL"),
            (["link", "1"], 2, "missing URL"),
            (["link", "1", "--remove", "Nothing"], 1, "INC-1 has no link 'Nothing'"),
            (["link", "1", "https://x.example", "--remove", "y"], 2, "unexpected argument"),
        ] as [([String], Int32, String)])
    func refusals(_ arguments: [String], _ status: Int32, _ words: String) throws {
        let box = try Sandbox()
        try box.ok(["declare", "Checkout 5xx", "--service", "checkout"])
        let before = try Data(contentsOf: URL(fileURLWithPath: box.incidentFile(1)))
        let result = try box.run(arguments)
        #expect(result.status == status, "\(result.stderr)")
        #expect(result.stderr.contains(words), "\(result.stderr)")
        #expect(
            try Data(contentsOf: URL(fileURLWithPath: box.incidentFile(1))) == before,
            "a refused change writes nothing")
    }

    @Test func linksAreShownRedactedAndRemovable() throws {
        let box = try Sandbox()
        try box.ok(["declare", "Checkout 5xx"])
        try box.ok(["link", "1", "https://grafana.example.com/d/checkout", "--label", "Dashboard"])
        try box.ok(["link", "1", "postgres://app:" + "hunter2secret" + "@db.internal/shop"])
        let file = try box.incidentJSON(1)
        let links = try #require(file["links"] as? [[String: String]])
        #expect(
            links[0] == ["label": "Dashboard", "url": "https://grafana.example.com/d/checkout"])
        #expect(links[1]["label"] == "db.internal", "the label defaults to the host")
        #expect(links[1]["url"]?.contains("hunter2secret") == false)
        let show = try box.ok(["show", "1"])
        #expect(show.contains("Dashboard  https://grafana.example.com/d/checkout"))
        #expect(try box.ok(["postmortem", "1"]).contains("https://grafana.example.com/d/checkout"))
        try box.ok(["link", "1", "--remove", "Dashboard"])
        #expect((try box.incidentJSON(1)["links"] as? [Any])?.count == 1)
    }
}
