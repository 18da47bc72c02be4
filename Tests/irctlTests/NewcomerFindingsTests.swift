import Foundation
import Testing

/// More of what a new user tripped on (issue 18's findings); each test failed before its fix.
@Suite struct NewcomerFindingsTests {
    static let clock = ["IRCTL_NOW": "2026-11-21T15:00:00Z"]

    /// 1. A label of 11 characters or more ran into its URL.
    @Test func aLongLinkLabelKeepsAGapBeforeItsURL() throws {
        let box = try Sandbox()
        try box.ok(["declare", "Checkout returns 5xx"], env: Self.clock)
        try box.ok(
            ["link", "1", "https://status.example.com/x", "--label", "status.example.com"],
            env: Self.clock)
        try box.ok(["link", "1", "https://grafana.example.com/d/1", "--label", "Dashboard"])
        let show = try box.ok(["show", "1"], env: Self.clock)
        #expect(show.contains("  status.example.com  https://status.example.com/x\n"), "\(show)")
        #expect(show.contains("  Dashboard  https://grafana.example.com/d/1\n"))
    }

    /// 3. Promotion takes the declare options instead of pointing at commands that can't help.
    @Test func promotingTakesTheDeclareOptions() throws {
        let box = try Sandbox()
        try box.ok(["detect", "p99 latency alert on search"], env: Self.clock)
        let promoted = try box.run(
            [
                "declare", "INC-1", "-s", "2", "--commander", "alice", "--service", "search",
                "--tag", "latency", "--started", "14:40", "--detected", "14:45", "--summary",
                "slow queries",
            ], env: Self.clock)
        #expect(promoted.status == 0, "\(promoted.stderr)")
        #expect(
            promoted.stdout
                == "INC-1 declared: SEV2 · p99 latency alert on search · commander alice\n")
        let json = try box.incidentJSON(1)
        #expect((json["roles"] as? [String: String])?["commander"] == "alice")
        #expect(json["services"] as? [String] == ["search"])
        #expect(json["tags"] as? [String] == ["latency"])
        #expect(json["startedAt"] as? String == "2026-11-21T14:40:00Z")
        #expect(json["detectedAt"] as? String == "2026-11-21T14:45:00Z")
        #expect((json["narrative"] as? [String: Any])?["summary"] as? String == "slow queries")
        #expect(json["phase"] as? String == "declare")

        let role = try box.run(["set", "1", "commander", "bob"], env: Self.clock)
        #expect(role.status == 2)
        #expect(role.stderr.contains("'irctl assign INCIDENT --commander NAME'"), "\(role.stderr)")
    }

    /// 4. With no USER and no IRCTL_USER every entry was by 'unknown', silently.
    @Test func noAuthorNameIsSaidOnceWithHowToSetIt() throws {
        let box = try Sandbox()
        let nobody = Self.clock.merging(["IRCTL_USER": ""]) { $1 }
        let declared = try box.run(["declare", "Checkout returns 5xx"], env: nobody)
        #expect(declared.status == 0)
        #expect(
            declared.stderr.components(separatedBy: "no author name").count == 2,
            "\(declared.stderr)")
        #expect(declared.stderr.contains("set IRCTL_USER=NAME, give --as NAME"))
        #expect(
            (try box.incidentJSON(1)["timeline"] as? [[String: Any]])?.first?["author"] as? String
                == "unknown")
        let named = try box.run(
            ["log", "1", "note"], env: nobody.merging(["USER": "carol"]) { $1 })
        #expect(!named.stderr.contains("no author name"))
    }

    /// 5. Hints that point at the real mistake.
    @Test func mistakesGetHintsThatFitThem() throws {
        let box = try Sandbox()
        try box.ok(["declare", "Checkout returns 5xx"], env: Self.clock)
        let two = try box.run(["show", "INC-1", "INC-3"], env: Self.clock)
        #expect(two.status == 2)
        #expect(two.stderr.contains("'irctl show' takes one INCIDENT; run it once for each"))
        #expect(!two.stderr.contains("quote text"))

        let dash = try box.run(["log", "1", "-5% after rollback"], env: Self.clock)
        #expect(dash.status == 2)
        #expect(dash.stderr.contains("put '--' before it"), "\(dash.stderr)")
        let fixed = try box.run(["log", "1", "--", "-5% after rollback"], env: Self.clock)
        #expect(fixed.status == 0, "\(fixed.stderr)")

        let number = try box.run(["declare", "42"], env: Self.clock)
        #expect(number.status == 1)
        #expect(number.stderr.contains("irctl declare --title 42"), "\(number.stderr)")
    }

    /// 6. A bad time is a message, not the whole usage block.
    @Test func startedAfterDetectionIsJustTheMessage() throws {
        let box = try Sandbox()
        let late = try box.run(
            ["declare", "Checkout returns 5xx", "--detected", "14:02", "--started", "14:10"],
            env: Self.clock)
        #expect(late.status == 2)
        #expect(late.stderr.contains("--started"), "\(late.stderr)")
        #expect(late.stderr.contains("impact can't begin after it was detected"))
        #expect(!late.stderr.contains("usage:"))
    }

    /// 7. The README's first command at any time of day, at the boundary around 14:02.
    @Test(arguments: [
        ("2026-11-21T13:54:00Z", "2026-11-20T13:55:00Z", "2026-11-20T14:02:00Z"),
        ("2026-11-21T13:58:00Z", "2026-11-20T13:55:00Z", "2026-11-20T14:02:00Z"),
        ("2026-11-21T14:00:59Z", "2026-11-20T13:55:00Z", "2026-11-20T14:02:00Z"),
        ("2026-11-21T14:01:00Z", "2026-11-21T13:55:00Z", "2026-11-21T14:02:00Z"),
        ("2026-11-21T14:05:00Z", "2026-11-21T13:55:00Z", "2026-11-21T14:02:00Z"),
    ])
    func theReadmesFirstCommandWorksAtAnyTime(
        _ now: String, _ started: String, _ detected: String
    ) throws {
        let box = try Sandbox()
        let result = try box.run(
            [
                "declare", "Checkout returns 5xx", "-s", "SEV2", "--service", "checkout",
                "--commander", "alice", "--detected", "14:02", "--started", "13:55",
            ], env: ["IRCTL_NOW": now])
        #expect(result.status == 0, "at \(now): \(result.stderr)")
        let json = try box.incidentJSON(1)
        #expect(json["startedAt"] as? String == started, "at \(now)")
        #expect(json["detectedAt"] as? String == detected, "at \(now)")
    }

    /// 8. The postmortem's times are all in one form, the update's next-update time too.
    @Test func thePostmortemShowsTheNextUpdateTimeLikeItsOtherTimes() throws {
        let box = try Sandbox()
        try box.ok(["declare", "Checkout returns 5xx"], env: Self.clock)
        try box.ok(["update", "1", "-m", "rolling back", "--next", "30m"], env: Self.clock)
        let postmortem = try box.ok(["postmortem", "1"], env: Self.clock)
        #expect(!postmortem.contains("2026-11-21T15:30:00Z"), "\(postmortem)")
        #expect(postmortem.contains("next update by 2026-11-21 15:30 |"))
    }

    /// 9. The header's phase and the phase-times rows agree.
    @Test func aPhaseUnderWayIsInProgressNotMissing() throws {
        let box = try Sandbox()
        try box.ok(["declare", "Checkout returns 5xx", "--at", "14:40"], env: Self.clock)
        try box.ok(["contain", "1", "--at", "14:50"], env: Self.clock)
        let show = try box.ok(["show", "1"], env: Self.clock)
        #expect(show.contains("phase contain"))
        #expect(show.contains("  Contained  in progress since 14:50\n"), "\(show)")
        try box.ok(["recover", "1"], env: Self.clock)
        let recovering = try box.ok(["show", "1"], env: Self.clock)
        #expect(recovering.contains("  Recovered  in progress since 15:00\n"), "\(recovering)")
        #expect(!recovering.contains("Contained  in progress"))
    }
}
