import Foundation
import Testing

/// `irctl update` and `irctl strike` through the binary: drafted, printed, recorded, flagged
/// when overdue, handed to a command on stdin, and struck entries shown struck.
@Suite struct CommsEndToEndTests {
    static let clock = ["IRCTL_NOW": "2026-11-21T15:00:00Z"]
    static func at(_ time: String) -> [String: String] { ["IRCTL_NOW": "2026-11-21T\(time):00Z"] }

    static func declared(_ box: borrowing Sandbox) throws {
        try box.ok(
            [
                "declare", "Checkout returns 5xx", "-s", "2", "--service", "checkout",
                "--commander", "alice",
                "--detected", "14:00",
            ], env: at("14:05"))
        try box.ok(["assign", "1", "--comms", "bob"], env: at("14:06"))
        try box.ok(
            ["link", "1", "https://grafana.internal/d/checkout", "--label", "Dashboard"],
            env: at("14:06"))
        try box.ok(["contain", "1"], env: at("14:20"))
    }

    static func timeline(_ box: borrowing Sandbox) throws -> [[String: Any]] {
        let incident = try #require(
            try Sandbox.json(try box.ok(["show", "1", "--json"], env: clock)) as? [String: Any])
        return try #require(incident["timeline"] as? [[String: Any]])
    }

    @Test func anUpdateIsPrintedAndRecorded() throws {
        let box = try Sandbox()
        try Self.declared(box)
        let result = try box.run(
            ["update", "1", "-m", "rollback done, error rate falling", "--next", "30m"],
            env: Self.at("14:30"))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stdout == """
                [IDENTIFIED] INC-1 · Checkout returns 5xx · SEV2 (major)
                Impact: Affects checkout; the extent is being assessed.
                What we know: rollback done, error rate falling
                What we are doing: Working to limit the impact.
                Who leads: commander alice, comms bob
                Links: Dashboard https://grafana.internal/d/checkout
                Next update: 15:00 UTC

                """)
        #expect(
            result.stderr
                == "INC-1: recorded update #6 (identified, internal); next update by 15:00 UTC\n")
        let entry = try #require(try Self.timeline(box).last)
        #expect(entry["kind"] as? String == "comms")
        let data = try #require(entry["data"] as? [String: String])
        #expect(
            data["state"] == "identified" && data["audience"] == "internal"
                && data["format"] == "text")
        #expect(data["next"] == "2026-11-21T15:00:00Z")
        #expect(data["update"] == result.stdout)
        #expect(try box.ok(["verify", "1"]).contains("ok"))
    }

    @Test func aDryRunRecordsNothing() throws {
        let box = try Sandbox()
        try Self.declared(box)
        let before = try Self.timeline(box).count
        let result = try box.run(
            ["update", "1", "--dry-run", "--audience", "external", "--format", "slack"],
            env: Self.at("14:30"))
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("*Identified* · Checkout returns 5xx\n"))
        for name in ["alice", "bob", "grafana", "INC-1", "SEV2"] {
            #expect(!result.stdout.contains(name), "\(name)")
        }
        #expect(result.stderr.contains("draft only (--dry-run): not recorded"))
        #expect(try Self.timeline(box).count == before)
    }

    @Test func showAndListFlagALateUpdate() throws {
        let box = try Sandbox()
        try Self.declared(box)
        try box.ok(["update", "1", "--next", "14:45"], env: Self.at("14:30"))
        let onTime = try box.ok(["show", "1"], env: Self.at("14:40"))
        #expect(onTime.contains("· next update by 14:45\n"))
        #expect(!(try box.ok(["list"], env: Self.at("14:40"))).contains("overdue"))

        let late = try box.ok(["show", "1"], env: Self.at("14:50"))
        #expect(late.contains("· update overdue since 14:45\n"))
        #expect(
            try box.ok(["list"], env: Self.at("14:50")).contains(
                "[update overdue] Checkout returns 5xx"))

        // The next update settles it; a resolved one promises nothing more.
        try box.ok(["update", "1", "--state", "resolved"], env: Self.at("14:55"))
        #expect(!(try box.ok(["show", "1"], env: Self.at("16:00"))).contains("overdue"))
        #expect(!(try box.ok(["list"], env: Self.at("16:00"))).contains("overdue"))
    }

    /// The digest a refusal to run an unapproved update command quotes.
    static func digest(_ stderr: String) -> String {
        guard let range = stderr.range(of: "--approve-hook ") else { return "none" }
        return String(stderr[range.upperBound...].prefix { $0.isHexDigit })
    }

    @Test func theUpdateGoesToTheConfiguredCommandOnStdin() throws {
        let box = try Sandbox()
        try Self.declared(box)
        let out = box.root + "/hook-out"
        let config = """
            {"updates": {"command": ["sh", "-c", "cat > \\"$HOOK_OUT\\"; echo \\"$IRCTL_INCIDENT \
            $#\\" > \\"$HOOK_OUT.args\\""],
                         "input": "slack-json"}}
            """
        try config.write(toFile: box.store + "/config.json", atomically: true, encoding: .utf8)
        // The command comes with the shared config.json: it runs once this clone approves it.
        let env = Self.at("14:30").merging(["HOOK_OUT": out]) { $1 }
        let refused = try box.run(
            ["update", "1", "--format", "slack", "-m", "rolled back"],
            env: env)
        #expect(
            refused.status == 1 && !FileManager.default.fileExists(atPath: out),
            "\(refused.stderr)")
        let sent = try box.run(
            [
                "update", "1", "--format", "slack", "-m", "rolled back",
                "--approve-hook", Self.digest(refused.stderr),
            ], env: env)
        #expect(sent.status == 0, "\(sent.stderr)")
        let payload = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out)))
                as? [String: String])
        #expect(
            payload["text"] == sent.stdout, "the update reached the command on its standard input")
        #expect(
            try String(contentsOfFile: out + ".args", encoding: .utf8) == "INC-1 0\n",
            "and not in its arguments")
        #expect(sent.stderr.contains("sent through sh"))
        let count = try Self.timeline(box).count

        let failing = #"{"updates": {"command": ["sh", "-c", "cat >/dev/null; exit 3"]}}"#
        try failing.write(toFile: box.store + "/config.json", atomically: true, encoding: .utf8)
        let unapproved = try box.run(["update", "1"], env: Self.at("14:40"))
        let failed = try box.run(
            ["update", "1", "--approve-hook", Self.digest(unapproved.stderr)],
            env: Self.at("14:40"))
        #expect(failed.status == 1)
        #expect(
            failed.stderr.contains(
                "the update was not recorded: handing it to 'sh' failed (exit 3)"))
        #expect(
            try Self.timeline(box).count == count, "an update that was not sent is not recorded")
        #expect(
            try box.run(["update", "1", "--dry-run"], env: Self.at("14:40")).status == 0,
            "--dry-run never sends")
    }

    @Test(
        arguments: [
            (["update", "1", "--state", "fixed"], 2, "invalid value 'fixed' for --state"),
            (["update", "1", "--audience", "public"], 2, "expected internal or external"),
            (["update", "1", "--format", "html"], 2, "expected text, markdown or slack"),
            (["update", "1", "--next", "10m ago"], 2, "expected a time after the update"),
            (["update", "9"], 1, "no incident INC-9"),
            (["strike", "1", "3"], 2, "needs --reason TEXT"),
            (["strike", "1", "x", "--reason", "r"], 2, "invalid value 'x' for ENTRY"),
            (["strike", "1", "99", "--reason", "r"], 1, "INC-1 has no entry #99"),
            (
                ["strike", "1", "1", "--reason", "r"], 1,
                "a phase change, which striking would not undo"
            ),
        ] as [([String], Int32, String)])
    func refusals(_ arguments: [String], _ status: Int32, _ words: String) throws {
        let box = try Sandbox()
        try Self.declared(box)
        let result = try box.run(arguments, env: Self.clock)
        #expect(result.status == status, "\(arguments): \(result.stderr)")
        #expect(result.stderr.contains(words), "\(result.stderr)")
    }

    @Test func aStruckEntryIsShownStruckAndLeftOutOfThePostmortem() throws {
        let box = try Sandbox()
        try Self.declared(box)
        try box.ok(["log", "1", "ran the migration on prod-eu"], env: Self.at("14:25"))
        let struck = try box.run(
            ["strike", "1", "#6", "--reason", "that was INC-2"], env: Self.at("14:30"))
        #expect(
            struck.status == 0 && struck.stdout == "INC-1: struck #6 (strike entry #7)\n",
            "\(struck.stderr)")
        let lines = try box.ok(["show", "1"], env: Self.clock).split(separator: "\n")
        let entry = try #require(lines.firstIndex { $0.contains("ran the migration") })
        #expect(lines[entry].hasPrefix("  #6  14:25  tester  note "))
        #expect(lines[entry + 1].hasSuffix("struck (#7, tester): that was INC-2"))
        #expect(
            try box.ok(["show", "1"], env: Self.clock.merging(["CLICOLOR_FORCE": "1"]) { $1 })
                .contains("\u{1B}[9mran the migration on prod-eu\u{1B}[0m"),
            "struck through on a terminal")
        let strike = try #require(try Self.timeline(box).last)
        #expect(strike["kind"] as? String == "strike")
        #expect(
            (strike["data"] as? [String: String])?["entry"] == (try Self.timeline(box)[5])["hash"]
                as? String)
        #expect(!(try box.ok(["postmortem", "1"], env: Self.clock)).contains("prod-eu"))
        #expect(try box.ok(["verify", "1"]).contains("ok"))
        #expect(
            try box.run(["strike", "1", "6", "--reason", "again"], env: Self.clock).stderr.contains(
                "already struck"))
    }
}
