import Foundation
import Testing

/// False alarms, duplicates and drills: closed or declared as such, shown as such everywhere, left
/// out of `stats` unless asked for, and carried to teammates by `sync`.
@Suite struct SetAsideEndToEndTests {
    static let clock = ["IRCTL_NOW": "2026-11-21T15:00:00Z"]

    /// INC-1 real, INC-2 its duplicate, INC-3 a false alarm, INC-4 a drill.
    func fourKinds(_ box: borrowing Sandbox) throws {
        try box.ok(["declare", "Checkout returns 5xx", "-s", "2"], env: Self.clock)
        try box.ok(["declare", "Payments failing", "-s", "2"], env: Self.clock)
        try box.ok(["detect", "p99 latency alert on search"], env: Self.clock)
        try box.ok(["declare", "Game day: database failover", "--drill"], env: Self.clock)
    }

    @Test func theMetricsPageCountsWhatItLeavesOut() throws {
        let box = try Sandbox()
        try box.ok(["declare", "Checkout returns 5xx", "-s", "2"], env: Self.clock)
        try box.ok(["declare", "Game day: database failover", "--drill"], env: Self.clock)
        try box.ok(["site", "build", box.root + "/one"], env: Self.clock)
        let one = try String(contentsOfFile: box.root + "/one/metrics.html", encoding: .utf8)
        #expect(one.contains("1 incidents (1 drill, false alarm or duplicate left out)"))
        try box.ok(["close", "1", "--false-alarm"], env: Self.clock)
        try box.ok(["site", "build", box.root + "/two"], env: Self.clock)
        let two = try String(contentsOfFile: box.root + "/two/metrics.html", encoding: .utf8)
        #expect(two.contains("0 incidents (2 drills, false alarms or duplicates left out)"))
    }

    @Test func closingAsADuplicateOrAFalseAlarmAndDeclaringADrill() throws {
        let box = try Sandbox()
        try fourKinds(box)
        let duplicate = try box.run(
            ["close", "2", "--duplicate-of", "INC-1", "-m", "same outage"], env: Self.clock)
        #expect(duplicate.status == 0, "\(duplicate.stderr)")
        #expect(duplicate.stdout == "INC-2: closed as a duplicate of INC-1\n")
        let falseAlarm = try box.ok(["close", "3", "--false-alarm"], env: Self.clock)
        #expect(falseAlarm == "INC-3: closed as a false alarm\n")

        let list = try box.ok(["list", "--all"], env: Self.clock)
        #expect(list.contains("[duplicate] Payments failing"), "\(list)")
        #expect(list.contains("[false alarm] p99 latency alert on search"))
        #expect(list.contains("[drill] Game day: database failover"))
        #expect(!list.contains("] Checkout returns 5xx"))

        let json = try #require(
            try Sandbox.json(try box.ok(["list", "--all", "--json"], env: Self.clock))
                as? [[String: Any]])
        let byID = Dictionary(uniqueKeysWithValues: json.map { ($0["id"] as! String, $0) })
        let original = try box.incidentJSON(1)
        #expect(byID["INC-2"]?["closedAs"] as? String == "duplicate")
        #expect(byID["INC-2"]?["duplicateOf"] as? String == original["uid"] as? String)
        #expect(byID["INC-3"]?["closedAs"] as? String == "false-alarm")
        #expect(byID["INC-4"]?["drill"] as? Bool == true)
        #expect(byID["INC-1"]?["closedAs"] == nil && byID["INC-1"]?["drill"] == nil)
        // The listing read from the cache says the same as the one made from the files.
        try FileManager.default.removeItem(atPath: box.store + "/cache")
        let rebuilt = try box.ok(["list", "--all", "--json"], env: Self.clock)
        #expect(try box.ok(["list", "--all", "--json"], env: Self.clock) == rebuilt)
        #expect(try Sandbox.json(rebuilt) as? NSArray == json as NSArray)

        let shownJSON = try box.incidentJSON(2)
        #expect(shownJSON["closedAs"] as? String == "duplicate")
        #expect(try box.incidentJSON(4)["drill"] as? Bool == true)
        let show = try box.ok(["show", "2"], env: Self.clock)
        #expect(show.contains("duplicate of INC-1"), "\(show)")
        #expect(show.contains("Closed as a duplicate of INC-1 (from declare): same outage"))
        #expect(try box.ok(["show", "3"], env: Self.clock).contains("false alarm"))
        #expect(try box.ok(["show", "4"], env: Self.clock).contains(" · drill · "))

        let postmortem = try box.ok(["postmortem", "2"], env: Self.clock)
        #expect(postmortem.contains("| Status | closed as a duplicate of INC-1 |"), "\(postmortem)")
        #expect(try box.ok(["postmortem", "4"], env: Self.clock).contains("| Drill | yes"))
        let csv = try box.ok(["list", "--all", "--csv"], env: Self.clock)
        #expect(csv.contains(",false,false-alarm,\r\n"), "\(csv)")
    }

    @Test func statsLeavesThemOutUnlessIncluded() throws {
        let box = try Sandbox()
        try fourKinds(box)
        try box.ok(["close", "2", "--duplicate-of", "1"], env: Self.clock)
        try box.ok(["close", "3", "--false-alarm"], env: Self.clock)
        let stats = try box.ok(["stats"], env: Self.clock)
        #expect(stats.hasPrefix("1 incident (all time)"), "\(stats)")
        #expect(
            stats.contains(
                "Left out: 1 false alarm, 1 duplicate, 1 drill (count them with --include"
                    + " false-alarms,duplicates,drills)"))
        let some = try box.ok(["stats", "--include", "drills,false-alarm"], env: Self.clock)
        #expect(some.hasPrefix("3 incidents"), "\(some)")
        #expect(some.contains("Left out: 1 duplicate (count them with --include duplicates)"))
        let all = try box.ok(["stats", "--include", "all", "--json"], env: Self.clock)
        let report = try #require(try Sandbox.json(all) as? [String: Any])
        #expect(report["count"] as? Int == 4)
        #expect(report["included"] as? [String] == ["false-alarms", "duplicates", "drills"])
        let setAside = try #require(report["setAside"] as? [String: Int])
        #expect(setAside == ["falseAlarms": 1, "duplicates": 1, "drills": 1])
        let bad = try box.run(["stats", "--include", "outages"], env: Self.clock)
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("false-alarms, duplicates, drills or all"))
    }

    @Test func aDuplicateMustPointAtAnotherIncidentThatExists() throws {
        let box = try Sandbox()
        try box.ok(["declare", "Checkout returns 5xx"], env: Self.clock)
        let missing = try box.run(["close", "1", "--duplicate-of", "INC-9"], env: Self.clock)
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no incident INC-9"), "\(missing.stderr)")
        let itself = try box.run(["close", "1", "--duplicate-of", "1"], env: Self.clock)
        #expect(itself.status == 1)
        #expect(itself.stderr.contains("INC-1 can't be a duplicate of itself"))
        let both = try box.run(
            ["close", "1", "--duplicate-of", "1", "--false-alarm"], env: Self.clock)
        #expect(both.status == 2)
        #expect(both.stderr.contains("exclude each other"))
        #expect(try box.incidentJSON(1)["phase"] as? String == "declare", "nothing was closed")
        // Reopened, it is an incident like any other again.
        try box.ok(["close", "1", "--false-alarm"], env: Self.clock)
        try box.ok(["reopen", "1", "--reason", "it was real after all"], env: Self.clock)
        #expect(try box.incidentJSON(1)["closedAs"] == nil)
        #expect(try box.ok(["stats"], env: Self.clock).hasPrefix("1 incident"))
    }

    @Test func promotingADetectedIncidentCanMakeItADrill() throws {
        let box = try Sandbox()
        try box.ok(["detect", "Failover exercise"], env: Self.clock)
        let promoted = try box.ok(["declare", "1", "--drill"], env: Self.clock)
        #expect(promoted.hasPrefix("INC-1 declared (drill): "), "\(promoted)")
        #expect(try box.incidentJSON(1)["drill"] as? Bool == true)
    }

    @Test func syncCarriesThemToTeammates() throws {
        let team = try GitTeam()
        try team.founding("a", user: "alice")
        try team.irctl(["declare", "Game day", "--drill"], in: "a", user: "alice")
        try team.irctl(["close", "1", "--false-alarm"], in: "a", user: "alice")
        try team.irctl(["sync"], in: "a", user: "alice")
        try team.clone("b")
        try team.irctl(["sync"], in: "b", user: "bob")
        let listed = try team.irctl(["list", "--all", "--json"], in: "b", user: "bob")
        let json = try #require(try Sandbox.json(listed.stdout) as? [[String: Any]])
        let byID = Dictionary(uniqueKeysWithValues: json.map { ($0["id"] as! String, $0) })
        #expect(byID["INC-1"]?["closedAs"] as? String == "false-alarm", "\(listed.stdout)")
        #expect(byID["INC-2"]?["drill"] as? Bool == true)
        let stats = try team.irctl(["stats"], in: "b", user: "bob")
        #expect(stats.stdout.hasPrefix("0 incidents"), "\(stats.stdout)")
    }
}
