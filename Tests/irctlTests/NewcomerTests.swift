import Foundation
import Testing

@testable import IncidentKit
@testable import irctl

/// What a new user tripped on, trying the README on a fresh clone; each test failed before its fix.
@Suite struct NewcomerTests {
    static let clock = ["IRCTL_NOW": "2026-11-21T15:00:00Z"]

    @Test func stepRunRunsThisIrctlOnTheSameStore() throws {
        let box = try Sandbox()
        let other = box.root + "/other-store"
        // IRCTL_DIR points elsewhere and irctl is not on PATH: the step's `irctl log` must still
        // reach the store given with --dir, through this very binary.
        let env = Self.clock.merging(["PATH": "/usr/bin:/bin"]) { $1 }
        try box.ok(
            ["--dir", other, "declare", "Deploy broke checkout", "--runbook", "failed-deployment"],
            env: env)
        let run = try box.run(
            [
                "--dir", other, "step", "INC-1", "1", "--run", "--yes", "--set", "service=checkout",
                "--set", "version=2.4",
            ],
            env: env)
        #expect(run.status == 0, "\(run.stderr)")
        let incident = try #require(
            try Sandbox.json(try box.ok(["--dir", other, "show", "1", "--json"], env: env))
                as? [String: Any])
        let texts = (incident["timeline"] as? [[String: Any]] ?? []).compactMap {
            $0["text"] as? String
        }
        #expect(texts.contains("Deploys of checkout frozen; release 2.4 suspected"))
        #expect(
            try box.run(["show", "1"], env: env).status == 1,
            "nothing landed in the IRCTL_DIR store")
    }

    @Test func noStoreYetMeansNoSuchIncident() throws {
        let box = try Sandbox()
        for arguments in [
            ["log", "INC-1", "x"], ["contain", "1"], ["update", "1"],
            ["strike", "1", "2", "--reason", "r"],
        ] {
            let result = try box.run(arguments)
            #expect(result.status == 1)
            #expect(result.stderr.contains("no incident INC-1"), "\(arguments): \(result.stderr)")
            #expect(!result.stderr.contains("lock file"))
        }
    }

    /// At 80 columns the title used to get 13 characters while at 75 it got 37.
    @Test func aWiderTerminalNeverShowsLessOfTheTitle() throws {
        let box = try Sandbox()
        try box.ok(
            [
                "declare", "Checkout returns 5xx for EU customers after deploy 2.4", "-s", "2",
                "--service", "checkout,payments-api", "--commander", "alice",
            ], env: Self.clock)
        var shown: [Int: Int] = [:]
        for width in 60...120 {
            let list = try box.ok(
                ["list"], env: Self.clock.merging(["COLUMNS": String(width)]) { $1 })
            let row = try #require(list.split(separator: "\n").last)
            #expect(row.count <= width, "\(width): \(row)")
            let title = try #require(row.range(of: "Checkout"))
            shown[width] = row[title.lowerBound...].count
        }
        for width in 61...120 {
            #expect(shown[width]! >= shown[width - 1]!, "\(width) shows less than \(width - 1)")
        }
        #expect(shown[80]! >= 30, "at 80 columns the title has room: \(shown[80]!)")
    }

    @Test func longTitlesAndStepPromptsWrapAtSpaces() throws {
        let box = try Sandbox()
        let title =
            "Checkout returns 5xx for every customer in the EU region after the deploy of release "
            + "2.4"
        try box.ok(["declare", title, "--runbook", "failed-deployment"], env: Self.clock)
        let show = try box.ok(["show", "1"], env: Self.clock.merging(["COLUMNS": "50"]) { $1 })
        let head = show.split(separator: "\n").prefix { !$0.hasPrefix("SEV3") }
        #expect(head.count == 3)
        for line in head { #expect(line.count <= 50, "\(line)") }
        #expect(
            head.joined(separator: " ").split(separator: " ").filter { $0 != "INC-1" && $0 != "·" }
                .joined(separator: " ") == title)

        let step = try box.run(
            [
                "step", "1", "1", "--run", "--yes", "--set", "service=checkout", "--set",
                "version=2.4",
            ],
            env: Self.clock.merging(["COLUMNS": "40"]) { $1 })
        let prompt = step.stderr.split(separator: "\n").prefix { !$0.hasPrefix("  $ ") }
        for line in prompt { #expect(line.count <= 40, "\(line)") }
        let words = prompt.joined(separator: " ").split(separator: " ").map(String.init)
        #expect(
            words.joined(separator: " ").hasPrefix(
                "Step 1: Freeze deploys of the service (pause the CD pipeline, lock the deploy job)"
            ),
            "no word is broken: \(words)")
    }

    @Test func aDueDateIsThatDayEastOfUTC() throws {
        let box = try Sandbox()
        let berlin = Self.clock.merging(["TZ": "Europe/Berlin"]) { $1 }
        try box.ok(["declare", "x"], env: berlin)
        try box.ok(["action", "add", "1", "alert", "--due", "2026-12-01"], env: berlin)
        #expect(try box.ok(["postmortem", "1"], env: berlin).contains("| 2026-12-01 | open |"))
        #expect(try box.ok(["show", "1"], env: berlin).contains("due 2026-12-01"))
        let newYork = Self.clock.merging(["TZ": "America/New_York"]) { $1 }
        #expect(try box.ok(["show", "1"], env: newYork).contains("due 2026-12-01"))
    }

    @Test(
        arguments: [
            (["list", "--at", "x"], nil),
            (["show", "1", "--csv"], nil),
            (["list", "--cvs"], "--csv"),
            (["list", "--sevrity", "1"], "--severity"),
            (["log", "1", "x", "--kidn", "note"], "--kind"),
            (["declare", "x", "--detcted", "14:00"], "--detected"),
        ] as [([String], String?)])
    func suggestionsOnlyForLikelyTypos(_ arguments: [String], _ suggestion: String?) throws {
        let box = try Sandbox()
        try box.ok(["declare", "x"], env: Self.clock)
        let result = try box.run(arguments, env: Self.clock)
        #expect(result.status == 2)
        if let suggestion {
            #expect(result.stderr.contains("did you mean '\(suggestion)'?"), "\(result.stderr)")
        } else {
            #expect(!result.stderr.contains("did you mean"), "\(result.stderr)")
        }
    }

    @Test func aBareTagHintsAdd() throws {
        let box = try Sandbox()
        try box.ok(["declare", "x"], env: Self.clock)
        let result = try box.run(["tag", "INC-1", "deploy"], env: Self.clock)
        #expect(result.status == 2)
        #expect(result.stderr.contains("to add it: irctl tag INC-1 --add deploy"))
        #expect(
            try box.run(["service", "1", "checkout"], env: Self.clock).stderr.contains(
                "irctl service INC-1 --add checkout"))
    }

    @Test func aClosedFalseAlarmPassesCheck() throws {
        let box = try Sandbox()
        try box.ok(["detect", "p99 latency alert on search"], env: Self.clock)
        try box.ok(["close", "1", "--force", "-m", "false alarm"], env: Self.clock)
        let check = try box.run(["check"], env: Self.clock)
        #expect(check.status == 0, "\(check.stdout)")
        #expect(check.stdout.isEmpty)
        #expect(check.stderr.contains("no problems"))
    }

    @Test func readingTextFromTheTerminalSaysHowToEndIt() throws {
        let box = try Sandbox()
        try box.ok(["declare", "x"], env: Self.clock)
        final class Sink { var err = "" }
        let sink = Sink()
        let system = System(
            environment: ["IRCTL_DIR": box.store, "IRCTL_USER": "t", "TZ": "UTC"],
            workingDirectory: box.root,
            now: Date(timeIntervalSince1970: 1_795_000_000), stdinIsTerminal: true,
            stdoutIsTerminal: false, terminalWidth: nil,
            readInput: { _ in Array("typed at the terminal\n".utf8) }, writeOutput: { _ in },
            writeError: { sink.err += $0 })
        #expect(CLI(arguments: ["log", "1", "-"], system: system).run() == 0)
        #expect(sink.err.contains("end it with Ctrl-D on a new line"), "\(sink.err)")
    }

    @Test func aLongGitHubTokenIsRedacted() throws {
        let box = try Sandbox()
        try box.ok(["declare", "x"], env: Self.clock)
        let token = "ghp_" + String(repeating: "aB3dE6gH9k", count: 4).prefix(38)
        try box.ok(["log", "1", "pushed with " + token], env: Self.clock)
        let json = try box.ok(["show", "1", "--json"], env: Self.clock)
        #expect(!json.contains(String(token.dropFirst(4).prefix(30))))
        #expect(json.contains("pushed with [REDACTED:github-token]"))
    }

    @Test func postmortemOutputCreatesMissingFolders() throws {
        let box = try Sandbox()
        try box.ok(["declare", "x"], env: Self.clock)
        let result = try box.run(
            ["postmortem", "1", "-o", "postmortems/INC-1.md"], env: Self.clock)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(FileManager.default.fileExists(atPath: box.root + "/postmortems/INC-1.md"))
    }

    @Test func runbookListShowsTeamRunbooksRelativeToHere() throws {
        let box = try Sandbox()
        let team = box.root + "/runbooks"
        try FileManager.default.createDirectory(atPath: team, withIntermediateDirectories: true)
        let builtin = try box.ok(["runbook", "show", "disk-full"])
        try builtin.write(toFile: team + "/disk-full.md", atomically: true, encoding: .utf8)
        let list = try box.ok(["runbook", "list", "--runbooks", team])
        #expect(list.contains(" runbooks/disk-full.md\n"), "\(list)")
    }

    /// The README stands alone: it never sends the reader to a design document they don't have.
    /// (Every option is documented by the generated help; see `CommandSurfaceTests`.)
    @Test func theREADMEStandsAlone() throws {
        let here = URL(fileURLWithPath: #filePath)
        let root = here.deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let readme = try String(
            contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let package = try String(
            contentsOf: root.appendingPathComponent("Package.swift"), encoding: .utf8)
        #expect(!readme.contains("DESIGN §") && !package.contains("DESIGN §"))
    }
}
