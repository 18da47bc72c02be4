import Foundation
import Testing

@testable import IncidentKit

@Suite struct ChecklistTests {
    static let now = Date(timeIntervalSince1970: 1_795_269_600)  // 2026-11-21T14:00:00Z
    static let context = EditContext(author: "alice", now: now)

    static func incident() throws -> Incident {
        let new = NewIncident(
            title: "Disk full", severity: SeverityScheme.standard.levels[1], phase: .declare)
        return try Incident.open(new, id: IncidentID(number: 1)!, uid: "u", context: context)
    }

    static func runbook(_ name: String = "two", steps: Int = 2) -> Runbook {
        Runbook(
            name: name, title: "Two steps",
            steps: (1...steps).map {
                RunbookStep(
                    number: $0, text: "Step \($0) token=abcd1234secret", command: "echo \($0)",
                    line: $0)
            },
            source: "built-in", markdown: "")
    }

    @Test func attachCopiesStepsAndRecordsAnEntry() throws {
        var incident = try Self.incident()
        let entry = try incident.attachRunbook(Self.runbook(), context: Self.context)
        let checklist = try #require(incident.runbook)
        #expect(checklist.steps.map(\.number) == [1, 2])
        #expect(checklist.steps.allSatisfy { $0.status == .pending })
        #expect(checklist.steps[0].command == "echo 1")
        #expect(!checklist.steps[0].text.contains("abcd1234secret"))
        #expect(entry.kind == .runbook)
        #expect(
            entry.data.filter { $0.key != "checklist" } == [
                "runbook": "two", "source": "built-in", "steps": "2", "title": "Two steps",
            ])
        // The entry carries the steps themselves: the checklist is a projection of the entries.
        #expect(entry.data["checklist"]?.contains("\"command\":\"echo 1\"") == true)
        #expect(entry.data["checklist"]?.contains("abcd1234secret") == false)
        #expect(incident.verifyChain().isValid)

        #expect(throws: ChecklistError.alreadyAttached(incident.id, name: "two")) {
            try incident.attachRunbook(Self.runbook("other"), context: Self.context)
        }
        try incident.attachRunbook(
            Self.runbook("other", steps: 3), replace: true, context: Self.context)
        #expect(incident.runbook?.name == "other")
        #expect(incident.timeline.last?.data["replaced"] == "two")
    }

    @Test func markingRules() throws {
        var incident = try Self.incident()
        #expect(throws: ChecklistError.noRunbook(incident.id)) {
            try incident.markStep(1, as: .done, context: Self.context)
        }
        try incident.attachRunbook(Self.runbook(), context: Self.context)
        #expect(throws: ChecklistError.stepOutOfRange(incident.id, step: 3, count: 2)) {
            try incident.markStep(3, as: .done, context: Self.context)
        }

        try incident.markStep(1, as: .skipped, note: "  not needed ", context: Self.context)
        #expect(incident.runbook?.steps[0].note == "not needed")
        #expect(
            throws: ChecklistError.alreadyMarked(
                incident.id, step: 1, status: .skipped, by: "alice")
        ) {
            try incident.markStep(1, as: .skipped, context: Self.context)
        }
        try incident.markStep(1, as: .done, context: Self.context)  // came back to a skipped step
        #expect(
            throws: ChecklistError.alreadyMarked(incident.id, step: 1, status: .done, by: "alice")
        ) {
            try incident.markStep(1, as: .skipped, context: Self.context)
        }
        #expect(incident.runbook?.finished == 1)
        #expect(incident.runbook?.nextStep?.number == 2)
        #expect(incident.timeline.last?.text.hasPrefix("Step 1/2 done: Step 1 ") == true)

        try incident.close(force: true, context: Self.context)
        #expect(throws: LifecycleError.closed(incident.id)) {
            try incident.markStep(2, as: .done, context: Self.context)
        }
    }

    @Test func checklistTimesAreStoredAsISO8601AndUnknownFieldsKept() throws {
        var incident = try Self.incident()
        try incident.attachRunbook(Self.runbook(), context: Self.context)
        try incident.markStep(1, as: .done, context: Self.context)
        let bytes = try Store.encode(incident)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains("\"attachedAt\" : \"2026-11-21T14:00:00Z\""))
        #expect(text.contains("\"at\" : \"2026-11-21T14:00:00Z\""))

        let extended = text.replacingOccurrences(
            of: "\"attachedAt\"", with: "\"futureField\" : 7, \"attachedAt\"")
        let decoded = try JSONCoding.decoder().decode(Incident.self, from: Data(extended.utf8))
        #expect(decoded.runbook?.steps[0].status == .done)
        #expect(
            String(decoding: try Store.encode(decoded), as: UTF8.self).contains(
                "\"futureField\" : 7"))
    }

    @Test func commandRecordBecomesARedactedEntry() throws {
        var incident = try Self.incident()
        let record = CommandRecord(
            commandLine: "curl -H 'Authorization: Bearer abcdefghijklmnopqrstuvwxyz0123'",
            startedAt: Self.now,
            durationMs: 1234, exitStatus: 3, outputTail: "password=hunter2hunter2", outputBytes: 23)
        let entry = try incident.recordCommand(record, context: Self.context)
        #expect(entry.kind == .command)
        #expect(!entry.text.contains("abcdefghijklmnopqrstuvwxyz0123"))
        #expect(entry.data["exitStatus"] == "3")
        #expect(entry.data["durationMs"] == "1234")
        #expect(entry.data["output"].map { !$0.contains("hunter2hunter2") } == true)
        #expect(record.shellStatus == 3 && !record.succeeded)
        #expect(
            CommandRecord(commandLine: "x", startedAt: Self.now, durationMs: 0, signal: 9)
                .shellStatus == 137)
    }
}

@Suite struct OutputTailTests {
    @Test func keepsEverythingWhenSmall() {
        var tail = OutputTail()
        tail.append(Array("a\nb\n".utf8))
        #expect(tail.text == "a\nb")
        #expect(!tail.isTruncated)
        #expect(tail.totalBytes == 4)
    }

    @Test func keepsTheLastLinesInBoundedMemory() {
        var tail = OutputTail(maxLines: 50, maxBytes: 8192)
        for n in 1...100_000 { tail.append(Array("\(n)\n".utf8)) }
        #expect(
            tail.text.split(separator: "\n") == (99_951...100_000).map { Substring(String($0)) })
        #expect(tail.isTruncated)
    }

    @Test func cutsAtALineBoundaryByBytes() {
        var tail = OutputTail(maxLines: 50, maxBytes: 100)
        tail.append(Array(String(repeating: "x", count: 150).utf8) + Array("\nlast line".utf8))
        #expect(tail.text == "last line")
        var wide = OutputTail(maxLines: 50, maxBytes: 16)
        // a cut inside a 2-byte character
        wide.append(Array(String(repeating: "é", count: 20).utf8))
        #expect(wide.text.allSatisfy { $0 == "é" })
        #expect(!wide.text.isEmpty)
    }

    @Test(arguments: [
        (["a"], "a"), (["a b"], "'a b'"), (["it's"], "'it'\\''s'"), ([""], "''"),
        (["kubectl", "-n", "shop", "get", "pods"], "kubectl -n shop get pods"),
        (["$HOME", "*"], "'$HOME' '*'"),
    ])
    func shellQuote(words: [String], expected: String) {
        #expect(ShellQuote.join(words) == expected)
    }

    @Test func placeholders() {
        #expect(
            RunbookPlaceholders.find(
                in: "kubectl -n <namespace> logs <pod> 2>/dev/null <pod> < in.txt") == [
                    "<namespace>", "<pod>",
                ])
        #expect(RunbookPlaceholders.find(in: "echo a<b") == [])
        #expect(
            RunbookPlaceholders.find(in: "irctl log <incident> 'at <host/volume>'") == [
                "<incident>", "<host/volume>",
            ])
        let filled = RunbookPlaceholders.fillIncident(
            "irctl log <incident> x <incident>", id: IncidentID(number: 7)!)
        #expect(filled == "irctl log INC-7 x INC-7")
    }
}
