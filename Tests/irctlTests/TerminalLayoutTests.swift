import Foundation
import Testing

/// What a responder sees on a terminal: columns that line up and text that wraps under its
/// own column. `COLUMNS` stands in for the terminal's width.
@Suite struct TerminalLayoutTests {
    static let clock = ["IRCTL_NOW": "2026-11-21T15:00:00Z"]

    /// The timeline part of `show`, without its heading.
    static func timeline(_ show: String) throws -> [Substring] {
        let start = try #require(show.range(of: "Timeline ("))
        return show[start.upperBound...].split(separator: "\n").dropFirst().map { $0 }
    }

    @Test func emojiCountTwoColumnsWhenTitlesAreCut() throws {
        let box = try Sandbox()
        // 🚨 (U+1F6A8) is drawn two columns wide; counted as one, the cut title overflowed the
        // terminal and its '…' wrapped onto a line of its own.
        try box.ok(
            ["detect", "🚨 p99 latency alert on search", "--service", "search"], env: Self.clock)
        let list = try box.ok(["list"], env: Self.clock.merging(["COLUMNS": "40"]) { $1 })
        // The age column makes room for the title, which gets its fair share (2/5 of the line,
        // 16 columns, the emoji counted as two) and ends with '…' on the same line.
        #expect(list.split(separator: "\n").last == "INC-1  SEV3  detect  🚨 p99 latency …")
    }

    @Test func timelineTextWrapsUnderItsColumnOnANarrowTerminal() throws {
        let box = try Sandbox()
        try box.ok(["declare", "Checkout returns 5xx", "--detected", "14:00"], env: Self.clock)
        let long =
            "pool exhausted on payments-api: max 20 connections, 20 in use, new requests wait for "
            + "the timeout"
        try box.ok(["log", "1", "-"], stdin: long + "\nsecond line\n", env: Self.clock)

        let narrow = try Self.timeline(
            box.ok(["show", "1"], env: Self.clock.merging(["COLUMNS": "60"]) { $1 }))
        #expect(
            narrow.first == "  #1  14:00  tester  phase  Detected: Checkout returns 5xx",
            "the time column is as wide as today's times")
        let note = try #require(narrow.firstIndex { $0.contains("pool exhausted") })
        #expect(narrow[note] == "  #3  15:00  tester  note   pool exhausted on payments-api:")
        #expect(narrow[note + 1] == "                            max 20 connections, 20 in use,")
        #expect(narrow[note + 2] == "                            new requests wait for the")
        #expect(narrow[note + 3] == "                            timeout")
        #expect(narrow[note + 4] == "                            second line")
        for line in narrow { #expect(line.count <= 60, "\(line)") }

        let piped = try Self.timeline(box.ok(["show", "1"], env: Self.clock))
        #expect(piped.contains { $0.hasSuffix(long) }, "piped output is never wrapped")
    }

    @Test func commandResultAndRunbookStepsWrapToo() throws {
        let box = try Sandbox()
        try box.ok(
            ["declare", "Deploy broke checkout", "--runbook", "failed-deployment"], env: Self.clock)
        _ = try box.run(
            [
                "exec", "1", "--", "sh", "-c",
                "echo one two three four five six seven eight nine ten eleven",
            ], env: Self.clock)
        let show = try box.ok(["show", "1"], env: Self.clock.merging(["COLUMNS": "60"]) { $1 })
        for line in show.split(separator: "\n") { #expect(line.count <= 60, "\(line)") }
        #expect(
            show.contains(
                "\n  [ ] 1. Freeze deploys of the service (pause the CD\n         pipeline, lock "
                    + "the deploy job)"
            ))
        let timeline = try Self.timeline(show)
        let command = try #require(timeline.firstIndex { $0.contains("sh -c") })
        #expect(timeline[command] == "  #4  15:00  tester  command  sh -c 'echo one two three four")
        #expect(
            timeline[command + 1] == "                              five six seven eight nine ten")
        #expect(
            timeline[command + 2].hasPrefix("                              eleven'  → exit 0 · "),
            "the result follows the text when it fits")
    }

    @Test func entriesFromAnotherYearShowTheirTime() throws {
        let box = try Sandbox()
        try box.ok(
            ["declare", "Last year's outage", "--detected", "2025-11-20T10:30:00Z"], env: Self.clock
        )
        let timeline = try Self.timeline(box.ok(["show", "1"], env: Self.clock))
        #expect(
            timeline.first == "  #1  2025-11-20 10:30  tester  phase  Detected: Last year's outage")
    }

    @Test func usageLinesNameTheOptionsTheREADMEDocuments() throws {
        let box = try Sandbox()
        #expect(
            try box.ok(["help", "declare"]).contains(
                "[--summary TEXT] [--title TEXT] [--runbook NAME]"))
        #expect(
            try box.ok(["help", "close"]).contains(
                "irctl close INCIDENT [--force] [-m TEXT] [--at TIME]"))
        #expect(
            try box.ok(["help"]).contains("(--at, --started, --detected, --since, --until, --due)"))
    }

    @Test func aSuggestionIsNotFollowedByASemicolon() throws {
        let box = try Sandbox()
        let typo = try box.run(["lst"])
        #expect(typo.status == 2)
        #expect(
            typo.stderr.hasPrefix(
                "irctl: error: unknown command 'lst'; did you mean 'list'? Run 'irctl help' to see "
                    + "the commands\n"
            ))
        let sub = try box.run(["runbook", "lsit"])
        #expect(sub.status == 2)
        #expect(sub.stderr.contains("did you mean 'list'? The subcommands are "))
    }
}
