import Foundation
import Glibc
import Testing

/// README.md is the front door, and what it shows is what irctl does: every transcript in it is
/// run with the built binary and its output compared, line by line.
///
/// Each `##` section is replayed in a fresh home directory of its own (no store, no git config
/// but a name and `init.defaultBranch`), its blocks in order: transcripts are run, `file=` blocks
/// written. The clock (`IRCTL_NOW`) starts at 2026-11-21 14:00 UTC in each section and moves a
/// minute per command; `TZ` is UTC; the author (`IRCTL_USER`) is the prompt's name, `alice`
/// for `$ `. Commands run through `/bin/sh` with the built `irctl` first on `PATH`.
@Suite struct ReadmeTests {
    static let readme = Readme.repository

    /// The blocks the replay does not run, by their first line (without a trailing `# comment`),
    /// and what runs them instead: they build irctl, measure it, or need a server.
    static let exercisedElsewhere: [String: String] = [
        "swift build -c release --static-swift-stdlib":
            "a release build, which no test makes; .ci/run builds and tests the debug one",
        ".build/release/irctl-bench --only core,task --runs 7 --callgrind --strace":
            "the benchmark that measured the README's figures; no test times anything",
        "irctl serve --token-file ~/alertmanager.token":
            "AlertmanagerEndToEndTests.alertmanagerFiresAndResolvesAnIncidentThroughServe runs"
            + " serve with --token-file for Alertmanager, ServeEndToEndTests the rest of serve",
        "route:":
            "AlertmanagerEndToEndTests: the same receiver (webhook_configs, send_resolved,"
            + " bearer credentials_file) given to the real prometheus-alertmanager",
        "features   Alerts Changes Comms Evidence HTTP Metrics Recording Render Review Runbooks":
            "a drawing of the source layers, which LayerTests checks",
        "swift build --build-tests":
            "what .ci/run runs; swift test is the suite that holds this test",
    ]

    @Test func theFrontDoorIsShortAndSaysWhatIrctlIs() {
        let text = Self.readme.text
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
        #expect(lines <= 500, "README.md has \(lines) lines; the front door stays at about 500")
        let intro = text.components(separatedBy: "\n## ").first ?? ""
        #expect(intro.contains("Alertmanager") && intro.contains("git"), "\(intro)")
        let headings = text.split(separator: "\n").filter { $0.hasPrefix("## ") }.map(String.init)
        for section in [
            "## Install", "## On call in five minutes", "## A team in five minutes",
            "## Alerts in five minutes", "## Help topics", "## Develop and test",
        ] {
            #expect(headings.contains(section), "missing \(section): \(headings)")
        }
        #expect(text.contains("<!-- commands:begin") && text.contains("<!-- commands:end -->"))
        // The repository stands alone: no pointer to a design document the reader doesn't have.
        let package = (Readme.path as NSString).deletingLastPathComponent + "/Package.swift"
        #expect(!text.contains("DESIGN §") && !text.contains("DESIGN.md"))
        #expect(
            !((try? String(contentsOfFile: package, encoding: .utf8)) ?? "").contains("DESIGN §"))
    }

    @Test func everyOtherBlockIsExercisedElsewhere() {
        let firstLines = Self.readme.readOnly.map { block in
            let first = block.lines.first ?? ""
            let command = first.range(of: " #").map { first[..<$0.lowerBound] } ?? first[...]
            return command.trimmingCharacters(in: .whitespaces)
        }
        #expect(
            Set(firstLines) == Set(Self.exercisedElsewhere.keys),
            "a block that is not a transcript needs a test that runs what it shows")
        #expect(firstLines.count == Set(firstLines).count, "\(firstLines)")
    }

    @Test(.timeLimit(.minutes(20)), arguments: Self.readme.transcriptSections)
    func transcriptsReplay(section: String) throws {
        let base =
            FileManager.default.temporaryDirectory.path + "/irctl-readme-"
            + UUID().uuidString.prefix(8)
        let home = base + "/home"
        defer { try? FileManager.default.removeItem(atPath: base) }
        try FileManager.default.createDirectory(
            atPath: base + "/bin", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            atPath: base + "/bin/irctl", withDestinationPath: Sandbox.binary)
        try "[user]\n\tname = Alice\n\temail = alice@example.com\n[init]\n\tdefaultBranch = main\n"
            .write(toFile: home + "/.gitconfig", atomically: true, encoding: .utf8)

        var minute = 0
        for block in Self.readme.replayed(in: section) {
            if let file = block.file {
                let path = home + "/" + file
                try FileManager.default.createDirectory(
                    atPath: (path as NSString).deletingLastPathComponent,
                    withIntermediateDirectories: true)
                try (block.lines.joined(separator: "\n") + "\n").write(
                    toFile: path, atomically: true, encoding: .utf8)
                continue
            }
            for step in Readme.steps(of: block) {
                let directory = step.directory.isEmpty ? home : home + "/" + step.directory
                try #require(
                    FileManager.default.fileExists(atPath: directory),
                    "README.md:\(step.line): no directory ~/\(step.directory)")
                let environment = [
                    "PATH": base + "/bin:"
                        + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"),
                    "HOME": home, "IRCTL_USER": step.user, "IRCTL_NOW": Self.clock(minute),
                    "TZ": "UTC", "LANG": "C.UTF-8", "GIT_CONFIG_NOSYSTEM": "1",
                ]
                minute += 1
                let (status, output) = try Self.run(
                    step.command, in: directory, environment: environment, scratch: base)
                let actual =
                    output.hasSuffix("\n")
                    ? output.dropLast().components(separatedBy: "\n")
                    : output.isEmpty ? [] : output.components(separatedBy: "\n")
                let same = Readme.matches(expected: step.expected, actual: actual)
                #expect(
                    same,
                    """
                    README.md:\(step.line) (\(section)): $ \(step.command)
                    --- the README shows
                    \(step.expected.joined(separator: "\n"))
                    --- irctl printed (exit \(status))
                    \(actual.joined(separator: "\n"))
                    """)
                let showsError = step.expected.contains { $0.hasPrefix("irctl: error: ") }
                #expect(
                    status == 0 || showsError,
                    "README.md:\(step.line): exit \(status) where the README shows no error")
                // What follows builds on this command: stop at the first difference.
                guard same, status == 0 || showsError else { return }
            }
        }
    }

    /// 14:00 UTC on 2026-11-21 plus `minutes`.
    static func clock(_ minutes: Int) -> String {
        let start = 1_795_269_600  // 2026-11-21T14:00:00Z
        let formatter = ISO8601DateFormatter()
        return formatter.string(
            from: Date(timeIntervalSince1970: TimeInterval(start + minutes * 60)))
    }

    /// Runs `command` through `/bin/sh` in `directory`, stdout and stderr in one stream as a
    /// terminal shows them; bounded at five minutes.
    static func run(
        _ command: String, in directory: String, environment: [String: String], scratch: String
    ) throws -> (status: Int32, output: String) {
        let id = UUID().uuidString.prefix(8)
        let outPath = scratch + "/out-\(id)"
        let errPath = scratch + "/err-\(id)"
        defer {
            unlink(outPath)
            unlink(errPath)
        }
        let quoted = "'" + directory.replacingOccurrences(of: "'", with: "'\\''") + "'"
        let pid = try Shell.spawn(
            ["/bin/sh", "-c", "cd \(quoted) || exit 99\nexec 2>&1\n" + command],
            environment: environment, stdout: outPath, stderr: errPath)
        let status = Shell.wait(pid, timeout: 300)
        let output = String(
            decoding: (try? Data(contentsOf: URL(fileURLWithPath: outPath))) ?? Data(),
            as: UTF8.self)
        return (status ?? -1, status == nil ? output + "\n[timed out after 300 s]" : output)
    }

    // MARK: The reading of the README itself

    @Test func transcriptsAndFilesAreReadAsTheyAreWritten() {
        let readme = Readme(
            text: """
                # irctl
                ## First
                ```console
                $ irctl declare "A" \\
                    --service x
                INC-1 declared: SEV3 · A
                $ irctl list
                ...
                ```
                ## Second
                ```json file=dir/a.json
                {}
                ```
                ```console
                bob:~/ops$ irctl sync
                ```
                ```sh
                swift test
                ```
                """)
        #expect(readme.transcriptSections == ["First", "Second"])
        #expect(readme.readOnly.map(\.lines) == [["swift test"]])
        #expect(readme.replayed(in: "Second").map(\.file) == ["dir/a.json", nil])
        let first = Readme.steps(of: readme.replayed(in: "First")[0])
        #expect(first.map(\.command) == ["irctl declare \"A\" \\\n    --service x", "irctl list"])
        #expect(first.map(\.expected) == [["INC-1 declared: SEV3 · A"], ["..."]])
        #expect(first.map(\.line) == [4, 7])
        #expect(first.map(\.user) == ["alice", "alice"])
        let second = Readme.steps(of: readme.replayed(in: "Second")[1])
        #expect(second.map(\.user) == ["bob"])
        #expect(second.map(\.directory) == ["ops"])
        #expect(Readme.prompt("  $ kubectl get pods") == nil, "a runbook step's command is output")
        #expect(Readme.prompt("note: a:b$ c") == nil)
    }

    @Test func outputMatchesOnlyWhatTheTranscriptShows() {
        #expect(Readme.matches(expected: ["a", "b"], actual: ["a", "b"]))
        #expect(!Readme.matches(expected: ["a"], actual: ["a", "b"]))
        #expect(!Readme.matches(expected: ["a", "b"], actual: ["a"]))
        #expect(!Readme.matches(expected: [], actual: ["a"]))
        #expect(Readme.matches(expected: ["a", "...", "d"], actual: ["a", "b", "c", "d"]))
        #expect(Readme.matches(expected: ["a", "...", "d"], actual: ["a", "d"]))
        #expect(!Readme.matches(expected: ["a", "...", "d"], actual: ["a", "b"]))
        #expect(Readme.matches(expected: ["a  "], actual: ["a"]))
        #expect(Readme.lineMatches("store in .../ops/.irctl", "store in /tmp/x/ops/.irctl"))
        #expect(!Readme.lineMatches("store in .../ops/.irctl", "store in /tmp/x/dev/.irctl"))
        #expect(!Readme.lineMatches("a...a", "a"))
        #expect(!Readme.lineMatches("INC-1", "INC-10"))
    }
}
