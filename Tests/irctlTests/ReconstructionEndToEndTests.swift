import Foundation
import Testing

/// An incident written up the next morning keeps the times it really had: `--at` on every
/// recording command, `declare --at`, past-only bare times, and times shown in the user's zone.
@Suite struct ReconstructionEndToEndTests {
    /// The write-up happens the next morning, 09:00 UTC.
    static let morning = ["IRCTL_NOW": "2026-11-22T09:00:00Z"]

    static func lastEntry(
        _ box: borrowing Sandbox, env: [String: String] = morning
    ) throws -> [String: Any] {
        let incident = try #require(
            try Sandbox.json(try box.ok(["show", "1", "--json"], env: env)) as? [String: Any])
        return try #require((incident["timeline"] as? [[String: Any]])?.last)
    }

    @Test func declareAtDatesTheDeclaration() throws {
        let box = try Sandbox()
        let json = try #require(
            try Sandbox.json(
                try box.ok(
                    [
                        "declare", "Checkout returns 5xx", "--detected", "yesterday 14:02", "--at",
                        "yesterday 14:05", "--json",
                    ],
                    env: Self.morning)) as? [String: Any])
        #expect(json["detectedAt"] as? String == "2026-11-21T14:02:00Z")
        #expect(json["declaredAt"] as? String == "2026-11-21T14:05:00Z")
        let alone = try #require(
            try Sandbox.json(
                try box.ok(
                    ["declare", "x", "--at", "yesterday 16:00", "--json"], env: Self.morning))
                as? [String: Any])
        #expect(
            alone["detectedAt"] as? String == "2026-11-21T16:00:00Z",
            "detection defaults to the declaration")
        let early = try box.run(
            ["declare", "y", "--detected", "yesterday 14:10", "--at", "yesterday 14:05"],
            env: Self.morning)
        #expect(
            early.status == 2 && early.stderr.contains("a declaration at or after the detection"))
    }

    @Test func promotingADetectedIncidentTakesAt() throws {
        let box = try Sandbox()
        try box.ok(
            ["detect", "p99 latency on search", "--at", "yesterday 14:02"], env: Self.morning)
        try box.ok(["declare", "1", "-s", "2", "--at", "yesterday 14:09"], env: Self.morning)
        let entry = try Self.lastEntry(box)
        #expect(entry["at"] as? String == "2026-11-21T14:09:00Z")
        #expect((entry["data"] as? [String: String])?["to"] == "declare")
    }

    /// Every command that records something, with --at: its entry is at that time, not at the
    /// write-up time ("T+13h25m" in the postmortem).
    @Test(arguments: [
        ["severity", "1", "1"],
        ["assign", "1", "--comms", "bob"],
        ["service", "1", "--add", "payments"],
        ["tag", "1", "--add", "deploy"],
        ["link", "1", "https://grafana.example.com/d/x"],
        ["set", "1", "summary", "pool too small"],
        ["set", "1", "started", "yesterday 13:55"],
        ["action", "add", "1", "alert on pool saturation"],
        ["log", "1", "--kind", "decision", "roll back"],
        ["contain", "1"],
        ["update", "1", "-m", "rolled back"],
        ["runbook", "attach", "1", "failed-deployment"],
    ])
    func everyRecordingCommandTakesAt(_ arguments: [String]) throws {
        let box = try Sandbox()
        try box.ok(
            [
                "declare", "Checkout returns 5xx", "--detected", "yesterday 14:02", "--at",
                "yesterday 14:05",
            ], env: Self.morning)
        try box.ok(arguments + ["--at", "yesterday 14:30"], env: Self.morning)
        let entry = try Self.lastEntry(box)
        #expect(entry["at"] as? String == "2026-11-21T14:30:00Z", "\(arguments)")
        #expect(entry["recordedAt"] as? String == "2026-11-22T09:00:00Z")
    }

    @Test func closingReopeningStrikingAndStepsTakeAtToo() throws {
        let box = try Sandbox()
        try box.ok(
            [
                "declare", "Checkout returns 5xx", "--detected", "yesterday 14:02", "--runbook",
                "failed-deployment",
                "--at", "yesterday 14:05",
            ], env: Self.morning)
        let steps: [([String], String)] = [
            (["step", "1", "1", "--at", "yesterday 14:10"], "2026-11-21T14:10:00Z"),
            (["action", "add", "1", "alert"], "2026-11-22T09:00:00Z"),
            (["action", "done", "1", "A1", "--at", "yesterday 14:20"], "2026-11-21T14:20:00Z"),
            (["log", "1", "oops", "--at", "yesterday 14:21"], "2026-11-21T14:21:00Z"),
            (
                ["strike", "1", "7", "--reason", "wrong incident", "--at", "yesterday 14:22"],
                "2026-11-21T14:22:00Z"
            ),
            (["close", "1", "--force", "--at", "yesterday 15:00"], "2026-11-21T15:00:00Z"),
            (
                ["reopen", "1", "--reason", "errors back", "--at", "yesterday 15:30"],
                "2026-11-21T15:30:00Z"
            ),
        ]
        for (arguments, at) in steps {
            try box.ok(arguments, env: Self.morning)
            #expect(try Self.lastEntry(box)["at"] as? String == at, "\(arguments)")
        }
    }

    @Test func aPhaseChangeTooEarlySaysHowToFixItInTheUsersZone() throws {
        let box = try Sandbox()
        let berlin = Self.morning.merging(["TZ": "Europe/Berlin"]) { $1 }
        try box.ok(["declare", "Checkout returns 5xx"], env: berlin)
        let result = try box.run(["contain", "1", "--at", "yesterday 14:30"], env: berlin)
        #expect(result.status == 1)
        #expect(
            !result.stderr.contains("set INC-1 detected"), "correcting the detection can't fix it")
        #expect(
            result.stderr.contains("since 2026-11-22 10:00;"),
            "in Berlin time, not UTC ISO: \(result.stderr)")
        #expect(result.stderr.contains("given 2026-11-21 14:30"))
        #expect(!result.stderr.contains("T09:00:00Z"))
        #expect(result.stderr.contains("irctl declare TITLE --at TIME"))
    }

    @Test func aBareTimeLaterThanNowIsYesterdays() throws {
        let box = try Sandbox()
        // 00:10 in the night: the incident was detected at 23:50, twenty minutes ago.
        let night = ["IRCTL_NOW": "2026-11-22T00:10:00Z"]
        let declared = try box.run(
            ["declare", "Checkout returns 5xx", "--detected", "23:50", "--json"], env: night)
        #expect(declared.status == 0, "\(declared.stderr)")
        let json = try #require(try Sandbox.json(declared.stdout) as? [String: Any])
        #expect(json["detectedAt"] as? String == "2026-11-21T23:50:00Z")
        #expect(
            declared.stderr.contains(
                "--detected 23:50 is later than now, so it is taken as yesterday: 2026-11-21 23:50")
        )
        // The form show prints is accepted back.
        try box.ok(["log", "1", "alert fired", "--at", "Nov 21 23:55"], env: night)
        #expect(try Self.lastEntry(box, env: night)["at"] as? String == "2026-11-21T23:55:00Z")
        // Where the future makes sense (a due date) a bare time stays today's.
        let due = try box.ok(["action", "add", "1", "x", "--due", "23:00", "--json"], env: night)
        #expect(due.contains("\"due\" : \"2026-11-22T23:00:00Z\""))
    }

    @Test func entryTextsAndCheckShowTimesInTheUsersZone() throws {
        let box = try Sandbox()
        let berlin = Self.morning.merging(["TZ": "Europe/Berlin"]) { $1 }
        try box.ok(
            ["declare", "Checkout returns 5xx", "--detected", "yesterday 14:02"], env: berlin)
        try box.ok(["set", "1", "started", "yesterday 13:55"], env: berlin)
        let show = try box.ok(["show", "1"], env: berlin)
        #expect(show.contains("Impact start 2026-11-21 13:55 (was unknown)"), "\(show)")
        #expect(!show.contains("T12:55:00Z"))
        try box.ok(["review", "1"], env: berlin)
        try box.ok(
            ["action", "add", "1", "x", "--owner", "bob", "--due", "2026-11-20T23:30:00Z"],
            env: berlin)
        let check = try box.run(["check", "1"], env: berlin)
        #expect(check.stdout.contains("action item A1 was due 2026-11-21 00:30"), "\(check.stdout)")
        #expect(check.status == 1)
        #expect(
            try box.run(["check", "1", "--json"], env: berlin).stdout.contains(
                "was due 2026-11-20T23:30:00Z"), "JSON keeps UTC ISO 8601")
    }
}
