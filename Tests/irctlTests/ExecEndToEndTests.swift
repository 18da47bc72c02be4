import Foundation
import Testing

/// `irctl exec`: the command runs as if typed, and is recorded on the timeline.
@Suite struct ExecEndToEndTests {
    func lastEntry(_ box: borrowing Sandbox) throws -> [String: Any] {
        let file = try box.incidentJSON(1)
        return try #require((file["timeline"] as? [[String: Any]])?.last)
    }

    @Test func successfulCommandsReachStdoutAndTheTimeline() throws {
        let box = try Sandbox()
        try box.ok(["declare", "Exec"])
        let t = try box.run(["exec", "INC-1", "--", "true"])
        #expect(t.status == 0)
        #expect(t.stdout.isEmpty)
        #expect(t.stderr.hasPrefix("INC-1: recorded command #3 (exit 0, "))

        let hi = try box.run(["exec", "1", "--", "echo", "hi there", "it's"])
        #expect(hi.status == 0)
        #expect(hi.stdout == "hi there it's\n")
        let entry = try lastEntry(box)
        #expect(entry["kind"] as? String == "command")
        #expect(entry["text"] as? String == "echo 'hi there' 'it'\\''s'")
        let data = try #require(entry["data"] as? [String: String])
        #expect(data["exitStatus"] == "0")
        #expect(data["output"] == "hi there it's")
        #expect(data["outputBytes"] == "14")
        #expect(data["outputTruncated"] == nil)
        #expect(Int(data["durationMs"] ?? "") != nil)
        #expect(data["directory"] == box.root)
    }

    @Test func stdinIsTheUsersAndStderrIsForwarded() throws {
        let box = try Sandbox()
        try box.ok(["declare", "Exec"])
        let result = try box.run(
            ["exec", "1", "--", "sh", "-c", "cat; echo oops >&2"], stdin: "from stdin\n")
        #expect(result.status == 0)
        #expect(result.stdout == "from stdin\n")
        #expect(result.stderr.hasPrefix("oops\n"))
        #expect((try lastEntry(box)["data"] as? [String: String])?["output"] == "from stdin\noops")
    }

    @Test func failingCommandGivesItsOwnStatus() throws {
        let box = try Sandbox()
        try box.ok(["declare", "Exec"])
        let result = try box.run(["exec", "1", "--", "sh", "-c", "exit 3"])
        #expect(result.status == 3)
        #expect(result.stderr.contains("INC-1: recorded command #3 (exit 3, "))
        let entry = try lastEntry(box)
        #expect(entry["text"] as? String == "sh -c 'exit 3'")
        #expect((entry["data"] as? [String: String])?["exitStatus"] == "3")

        let killed = try box.run(["exec", "1", "--", "sh", "-c", "kill -9 $$"])
        #expect(killed.status == 137)
        #expect((try lastEntry(box)["data"] as? [String: String])?["signal"] == "9")
        #expect(try box.ok(["show", "1"]).contains("sh -c 'exit 3'  → exit 3 · "))
    }

    @Test func missingCommandIsAClearErrorAndRecorded() throws {
        let box = try Sandbox()
        try box.ok(["declare", "Exec"])
        let result = try box.run(["exec", "1", "--", "no-such-command-irctl", "--flag"])
        #expect(result.status == 127)
        #expect(
            result.stderr
                == "irctl: error: cannot run 'no-such-command-irctl': command not found; check the "
                + "name and PATH (recorded on INC-1 as command #3)\n"
        )
        let entry = try lastEntry(box)
        #expect(entry["text"] as? String == "no-such-command-irctl --flag")
        let data = try #require(entry["data"] as? [String: String])
        #expect(data["error"] == "command not found")
        #expect(data["exitStatus"] == "127")

        let notExecutable = try box.run(["exec", "1", "--", box.incidentFile(1)])
        #expect(notExecutable.status == 126)
        #expect(notExecutable.stderr.contains("not executable"))
    }

    @Test func tenThousandLinesAllStreamAndTheTailIsBounded() throws {
        let box = try Sandbox()
        try box.ok(["declare", "Exec"])
        let result = try box.run(["exec", "1", "--", "seq", "10000"])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 10_000)
        #expect(lines.first == "1" && lines.last == "10000")
        let data = try #require(try lastEntry(box)["data"] as? [String: String])
        let tail = try #require(data["output"])
        #expect(tail.split(separator: "\n") == (9951...10000).map { Substring(String($0)) })
        #expect(tail.utf8.count <= 8 * 1024)
        #expect(data["outputTruncated"] == "true")
        #expect(data["outputBytes"] == String(result.stdout.utf8.count))
    }

    @Test func secretsInTheOutputAreRedacted() throws {
        let box = try Sandbox()
        try box.ok(["declare", "Exec"])
        let key = "ASIA" + String(repeating: "Z9", count: 8)
        let result = try box.run(
            ["exec", "1", "--", "sh", "-c", "echo \"key $LEAKED\""], env: ["LEAKED": key])
        #expect(result.stdout == "key \(key)\n")  // the user sees their own output unchanged
        let raw = try String(contentsOfFile: box.incidentFile(1), encoding: .utf8)
        #expect(!raw.contains(key))
        #expect(
            (try lastEntry(box)["data"] as? [String: String])?["output"]
                == "key [REDACTED:aws-access-key]")
    }

    @Test func refusalsBeforeAnythingRuns() throws {
        let box = try Sandbox()
        let marker = box.root + "/ran"
        let none = try box.run(["exec", "1", "--", "touch", marker])
        #expect(none.status == 1)
        #expect(!FileManager.default.fileExists(atPath: marker))

        try box.ok(["declare", "Exec"])
        let noDashes = try box.run(["exec", "1", "touch", marker])
        #expect(noDashes.status == 2)
        #expect(noDashes.stderr.contains("put '--' before the command"))
        #expect(try box.run(["exec", "1", "--"]).status == 2)
        #expect(try box.run(["exec", "--", "true"]).status == 2)

        try box.ok(["close", "1", "--force"])
        let closed = try box.run(["exec", "1", "--", "touch", marker])
        #expect(closed.status == 1)
        #expect(closed.stderr.contains("INC-1 is closed"))
        #expect(!FileManager.default.fileExists(atPath: marker))
    }
}
