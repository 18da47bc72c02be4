import Foundation
import Testing

/// The transcript of the core issue, run through the real binary.
@Suite struct LifecycleEndToEndTests {
    @Test func declareLogContainListShowAndClose() throws {
        let box = try Sandbox()
        let declared = try box.ok([
            "declare", "Checkout returns 5xx", "-s", "SEV2", "--service", "checkout", "--commander",
            "alice",
        ])
        #expect(declared == "INC-1 declared: SEV2 · Checkout returns 5xx · commander alice\n")
        try box.ok(["log", "INC-1", "error rate 12% since 14:02, started after deploy v2.4"])
        try box.ok(["log", "INC-1", "--kind", "action", "rolled back to v2.3.1"])
        try box.ok(
            ["log", "INC-1", "-"], stdin: "pod checkout-1 OOMKilled\npod checkout-2 OOMKilled\n")
        try box.ok(["contain", "INC-1", "-m", "rollback done, error rate falling"])

        let list = try box.ok(["list"])
        #expect(list.contains("INC-1"))
        #expect(list.contains("contain"))

        let show = try box.ok(["show", "INC-1"])
        #expect(show.contains("rolled back to v2.3.1"))
        #expect(show.contains("pod checkout-2 OOMKilled"))
        #expect(show.contains("declare → contain: rollback done, error rate falling"))

        try box.ok(["recover", "INC-1"])
        try box.ok(["review", "INC-1"])
        try box.ok(["close", "INC-1"])
        let file = try box.incidentJSON(1)
        #expect(file["phase"] as? String == "closed")
        let timeline = try #require(file["timeline"] as? [[String: Any]])
        #expect(timeline.count == 9)
        #expect(timeline.map { $0["seq"] as? Int } == Array(1...9))
        #expect(
            timeline[4]["text"] as? String == "pod checkout-1 OOMKilled\npod checkout-2 OOMKilled")

        let open = try box.run(["list"])
        #expect(open.stdout.isEmpty)
        #expect(open.stderr.contains("no open incidents"))
    }
}
