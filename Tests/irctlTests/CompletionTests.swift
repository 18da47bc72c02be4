import Foundation
import Testing

@testable import irctl

/// Bash completion, run by real bash the way it runs on Tab: what a newcomer found missing or
/// wrong (each of these failed before the scripts were made from the declarations).
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/bin/bash")))
struct CompletionTests {
    /// The candidates bash offers for `words`, the last being the word under the cursor.
    static func complete(_ words: [String], box: borrowing Sandbox) throws -> [String] {
        let script = box.root + "/irctl.bash"
        if !FileManager.default.fileExists(atPath: script) {
            try box.ok(["completion", "bash"]).write(
                toFile: script, atomically: true, encoding: .utf8)
        }
        let bin = URL(fileURLWithPath: Sandbox.binary).deletingLastPathComponent().path
        return try BashCompletion.candidates(words, script: script, bin: bin, box: box)
            .filter { !$0.isEmpty }
    }

    static func box() throws -> Sandbox {
        let box = try Sandbox()
        try box.ok(["declare", "Checkout returns 5xx"])
        return box
    }

    @Test func runbookNamesAfterRunbookShowAndAttach() throws {
        let box = try Self.box()
        #expect(try Self.complete(["irctl", "runbook", "show", "disk"], box: box) == ["disk-full"])
        #expect(
            try Self.complete(["irctl", "runbook", "attach", "INC-1", "disk"], box: box)
                == ["disk-full"])
        #expect(try Self.complete(["irctl", "runbook", "attach", "INC"], box: box) == ["INC-1"])
        #expect(
            try Self.complete(["irctl", "runbook", "l"], box: box).sorted() == [
                "lint", "list", "ls",
            ])
    }

    @Test func noIncidentIdsWhereNoneIsTaken() throws {
        let box = try Self.box()
        for command in ["detect", "sync", "serve"] {
            #expect(try Self.complete(["irctl", command, "INC"], box: box) == [], "\(command)")
        }
        #expect(try Self.complete(["irctl", "ingest", ""], box: box) == ["alertmanager"])
        #expect(try Self.complete(["irctl", "ingest", "al"], box: box) == ["alertmanager"])
    }

    @Test func dirOnTheLineIsTheStoreAsked() throws {
        let box = try Self.box()
        let other = box.root + "/other"
        for title in ["one", "two", "three"] { try box.ok(["--dir", other, "declare", title]) }
        #expect(try Self.complete(["irctl", "log", "INC"], box: box) == ["INC-1"])
        #expect(
            try Self.complete(["irctl", "--dir", other, "log", "INC"], box: box)
                == ["INC-1", "INC-2", "INC-3"])
        #expect(
            try Self.complete(["irctl", "log", "--dir=\(other)", "INC"], box: box)
                == ["INC-1", "INC-2", "INC-3"])
    }

    @Test func statsBySetFieldsAndCheck() throws {
        let box = try Self.box()
        #expect(
            try Self.complete(["irctl", "stats", "--by", ""], box: box)
                == ["severity", "service", "month"])
        #expect(try Self.complete(["irctl", "set", "INC-1", "root"], box: box) == ["root-cause"])
        #expect(
            try Self.complete(["irctl", "set", "INC-1", "de"], box: box).sorted()
                == ["detected", "detection"])
        #expect(try Self.complete(["irctl", "check", "INC"], box: box) == ["INC-1"])
        #expect(
            try Self.complete(["irctl", "action", ""], box: box) == [
                "add", "done", "reopen", "edit",
            ])
        #expect(try Self.complete(["irctl", "action", "done", "INC"], box: box) == ["INC-1"])
        #expect(
            try Self.complete(["irctl", "action", "add", "1", "x", "--type", "pr"], box: box)
                .sorted() == ["prevent", "process"])
        #expect(try Self.complete(["irctl", "help", "tim"], box: box) == ["times"])
    }

    @Test func aSubcommandOffersItsOwnOptions() throws {
        let box = try Self.box()
        let done = try Self.complete(["irctl", "action", "done", "1", "A1", "--"], box: box)
        #expect(done.contains("--message") && !done.contains("--owner"), "\(done)")
        let attach = try Self.complete(["irctl", "runbook", "attach", "1", "x", "--re"], box: box)
        #expect(attach == ["--replace"])
        #expect(try Self.complete(["irctl", "runbook", "list", "--re"], box: box) == [])
    }
}
