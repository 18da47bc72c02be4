import Foundation
import TestSupport
import Testing

@testable import IncidentKit
@testable import irctl

/// Seeded random input at the command line and at the incident-file decoder: no crash, no trap,
/// and the exit status is always 0, 1 or 2 (issue 5, item 7). A failure prints its seed and case.
@Suite struct FuzzTests {
    final class Sink {
        var out = ""
        var err = ""
    }

    /// Runs one command line in-process against `store`, stdin from `input`.
    static func run(
        _ arguments: [String], store: String, input: [UInt8]?, terminal: Bool
    ) -> (status: Int32, stdout: String, stderr: String) {
        let sink = Sink()
        var environment = [
            "IRCTL_DIR": store, "IRCTL_USER": "fuzz", "TZ": "UTC", "IRCTL_LOCK_TIMEOUT": "5",
        ]
        environment["HOME"] = store + "/home"
        let system = System(
            environment: environment, workingDirectory: store,
            now: Date(timeIntervalSince1970: 1_795_000_000),
            stdinIsTerminal: input == nil || terminal, stdoutIsTerminal: terminal,
            terminalWidth: terminal ? 80 : nil,
            readInput: { limit in
                let bytes = input ?? []
                if bytes.count > limit {
                    throw ValueError.tooLarge(what: "standard input", limit: limit)
                }
                return bytes
            },
            writeOutput: { sink.out += $0 },
            writeError: { sink.err += $0 })
        let status = CLI(arguments: arguments, system: system).run()
        return (status, sink.out, sink.err)
    }

    static let words: [String] = [
        "declare", "detect", "log", "phase", "contain", "eradicate", "recover", "review",
        "severity", "assign", "list", "ls",
        "show", "close", "reopen", "verify", "reindex", "help", "init", "version", "--version",
        "--help", "-h",
        "--json", "--dir", "--as", "--utc", "--no-color", "--kind", "-k", "--at", "-s",
        "--severity", "--service",
        "--commander", "--owner", "--tag", "--started", "--detected", "--summary", "--reason", "-m",
        "--message",
        "--force", "--all", "--active", "--phase", "--since", "--expect-head", "--comms", "--tech",
        "--scribe", "--",
        "-", "1", "2", "3", "INC-1", "inc-2", "INC-999999999", "INC-0", "0", "-1",
        "99999999999999999999", "SEV1", "sev2",
        "P3", "4", "SEV9", "detect", "declare", "closed", "note", "action", "decision", "comms",
        "alert", "phase",
        "now", "10m ago", "-10m", "14:02", "yesterday 23:10", "2026-11-21T14:00:00Z",
        "9999-12-31T23:59:59Z",
        "0001-01-01T00:00:00Z", "2026-02-30T00:00:00Z", "25:61", "1e9m ago", "", " ", "\n", "\t",
        "../x", "/etc/passwd",
        "a/b", "\u{1B}[2J", "\u{202E}", "\u{0}", "\u{FFFD}", "日本語", "🔥", "e\u{301}",
        String(repeating: "x", count: 300),
        "password=hunter2", "--json=1", "--dir=", "--at=", "-sSEV1", "--kind=action", "=", "--=",
        "---", "-x",
        String(repeating: "a", count: 64), "ab" + String(repeating: "0", count: 62),
    ]

    /// The commands and options of issue 10 (update, strike, completion, --csv, --at everywhere),
    /// fuzzed on their own so the main run keeps its mix: never a crash, always 0, 1 or 2.
    @Test func newCommandsNeverCrash() throws {
        var random = SplitMix64(seed: 0x10_CAFE)
        let root =
            FileManager.default.temporaryDirectory.path + "/irctl-fuzz10-"
            + UUID().uuidString.prefix(8)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let store = root + "/store"
        for arguments in [
            ["declare", "Fuzz target", "-s", "1"], ["log", "1", "note"], ["detect", "Maybe"],
        ] {
            #expect(Self.run(arguments, store: store, input: nil, terminal: false).status == 0)
        }
        let commands = [
            "update", "strike", "completion", "list", "actions", "declare", "severity", "assign",
            "tag", "set", "reopen",
        ]
        let words = [
            "1", "2", "INC-9", "#3", "3", "0", "-1", "bash", "zsh", "fish", "tcsh", "--values",
            "ids", "runbooks", "x",
            "--csv", "--json", "--next", "none", "30m", "15:30", "--state", "resolved", "bogus",
            "--audience", "external",
            "--format", "slack", "markdown", "--dry-run", "-m", "\u{1B}[2J", "--reason", "r",
            "--at", "Nov 21 14:02",
            "23:59", "yesterday 10:00", "Feb 30 10:00", "--comms", "bob", "--add", "t", "summary",
            "text",
        ]
        var statuses: [Int32: Int] = [:]
        for round in 0..<400 {
            let arguments =
                [commands.randomElement(using: &random)!]
                + (0..<Int.random(in: 0...5, using: &random)).map { _ in
                    words.randomElement(using: &random)!
                }
            let result = Self.run(
                arguments, store: store, input: nil,
                terminal: Int.random(in: 0..<3, using: &random) == 0)
            statuses[result.status, default: 0] += 1
            #expect(
                [0, 1, 2].contains(result.status), "round \(round): \(arguments) → \(result.status)"
            )
            #expect(
                !result.stderr.unicodeScalars.contains("\u{1B}"), "round \(round): \(arguments)")
        }
        #expect(statuses.keys.sorted() == [0, 1, 2], "\(statuses)")
        #expect(Self.run(["verify"], store: store, input: nil, terminal: false).status == 0)
    }

    @Test func thousandsOfRandomCommandLines() throws {
        let seed: UInt64 = 0x1A2B_3C4D
        var random = SplitMix64(seed: seed)
        let root =
            FileManager.default.temporaryDirectory.path + "/irctl-fuzz-"
            + UUID().uuidString.prefix(8)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let store = root + "/store"
        // Something to work on, including a closed incident.
        for arguments in [
            ["declare", "Fuzz target", "-s", "1"], ["detect", "Maybe"], ["declare", "Closed"],
            ["close", "3", "--force"],
        ] {
            #expect(Self.run(arguments, store: store, input: nil, terminal: false).status == 0)
        }
        var statuses: [Int32: Int] = [:]
        for round in 0..<3000 {
            let count = Int.random(in: 0...6, using: &random)
            var arguments = (0..<count).map { _ in Self.words.randomElement(using: &random)! }
            if Bool.random(using: &random), !arguments.isEmpty {
                // Mutate one word: cut it, or splice random characters into it.
                let i = Int.random(in: 0..<arguments.count, using: &random)
                var scalars = Array(arguments[i].unicodeScalars)
                let insert = Unicode.Scalar(UInt32.random(in: 1...0x2FF, using: &random)) ?? "?"
                scalars.insert(insert, at: Int.random(in: 0...scalars.count, using: &random))
                if scalars.count > 2, Bool.random(using: &random) {
                    scalars.removeLast(Int.random(in: 1..<scalars.count, using: &random))
                }
                arguments[i] = String(String.UnicodeScalarView(scalars))
            }
            let input: [UInt8]? =
                Bool.random(using: &random)
                ? (0..<Int.random(in: 0...64, using: &random)).map { _ in
                    UInt8.random(in: 0...255, using: &random)
                } : nil
            let terminal = Int.random(in: 0..<4, using: &random) == 0
            let result = Self.run(arguments, store: store, input: input, terminal: terminal)
            statuses[result.status, default: 0] += 1
            #expect(
                [0, 1, 2].contains(result.status),
                "seed \(seed) round \(round): \(arguments) → \(result.status)")
            if result.status != 0 {
                #expect(
                    result.stderr.hasPrefix("irctl: ") || arguments.isEmpty,
                    Comment(
                        rawValue: "seed \(seed) round \(round): \(arguments) failed silently: "
                            + "\(result.stdout.prefix(200))")
                )
            }
            // Whatever a person sees on a terminal is free of raw escapes.
            #expect(
                !result.stderr.unicodeScalars.contains("\u{1B}")
                    && !result.stderr.unicodeScalars.contains("\u{202E}"),
                "seed \(seed) round \(round): \(arguments)")
        }
        // The run must exercise success, failure and usage errors, or it proves little.
        #expect(statuses.keys.sorted() == [0, 1, 2], "\(statuses)")
        // And the store it hammered is still sound.
        #expect(Self.run(["verify"], store: store, input: nil, terminal: false).status == 0)
    }

    @Test func randomAndMutatedIncidentFiles() throws {
        let seed: UInt64 = 0xF11E_5EED
        var random = SplitMix64(seed: seed)
        let root =
            FileManager.default.temporaryDirectory.path + "/irctl-fuzz-"
            + UUID().uuidString.prefix(8)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let store = root + "/store"
        for arguments in [
            ["declare", "Mutated", "-s", "2", "--service", "api", "--tag", "x"],
            ["log", "1", "a note"],
            ["contain", "1", "-m", "held"], ["assign", "1", "--comms", "bo"],
        ] {
            #expect(Self.run(arguments, store: store, input: nil, terminal: false).status == 0)
        }
        let path = Sandbox.incidentFile(1, in: store)
        let valid = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(valid)) as? [String: Any])
        let strange: [Any] = [
            NSNull(), -1, 0, Int.max, Int.min, 1e308, -0.5, true, "", "INC-1", "INC-99",
            "2026-11-21T14:00:00Z",
            "9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "not a time", "\u{1B}[2J", [] as [Any],
            [:] as [String: Any],
            ["seq": Int.max], [["seq": 1]], String(repeating: "z", count: 5000),
        ]

        for round in 0..<600 {
            var bytes: [UInt8]
            switch round % 3 {
            case 0:
                // Byte-level damage: flips, cuts, insertions.
                bytes = valid
                for _ in 0..<Int.random(in: 1...4, using: &random) where !bytes.isEmpty {
                    let i = Int.random(in: 0..<bytes.count, using: &random)
                    switch Int.random(in: 0..<3, using: &random) {
                    case 0: bytes[i] = UInt8.random(in: 0...255, using: &random)
                    case 1: bytes.removeSubrange(i...)
                    default:
                        bytes.insert(
                            contentsOf: Array("{[\"\\,:0".utf8).shuffled(using: &random).prefix(3),
                            at: i)
                    }
                }
            case 1:
                // Structural damage: a field, an entry field, or a nested value replaced by
                // something strange.
                var copy = object
                var timeline = copy["entries"] as? [[String: Any]] ?? []
                let value = strange.randomElement(using: &random)!
                if Bool.random(using: &random), !timeline.isEmpty {
                    let i = Int.random(in: 0..<timeline.count, using: &random)
                    let key = (Array(timeline[i].keys) + ["data", "extra"]).randomElement(
                        using: &random)!
                    timeline[i][key] = value
                    if Bool.random(using: &random) {
                        timeline[i]["seq"] = [Int.max, Int.min, 0, -3, 1_000_000].randomElement(
                            using: &random)!
                    }
                    copy["entries"] = timeline
                } else {
                    let key = (Array(copy.keys) + ["schemaVersion", "incident", "replica"])
                        .randomElement(using: &random)!
                    copy[key] = value
                }
                bytes = Array(
                    (try? JSONSerialization.data(
                        withJSONObject: copy, options: [.prettyPrinted, .sortedKeys]))
                        ?? Data(valid))
            default:
                // Random bytes, sometimes shaped like JSON.
                bytes = (0..<Int.random(in: 0...200, using: &random)).map { _ in
                    UInt8.random(in: 0...255, using: &random)
                }
                if Bool.random(using: &random) {
                    bytes = Array("{\"schemaVersion\":2,\"entries\":[".utf8) + bytes
                }
            }
            // The library decoder: an error or an incident, never a trap.
            if let json = try? JSONParser.parse(bytes), let file = try? ReplicaFile.decode(json),
                let incident = try? Incident(uid: file.incident, projecting: file.entries)
            {
                _ = incident.verifyChain()
                _ = incident.phaseTimes
                _ = IncidentSummary(incident)
            }
            // And the commands a person would run on it.
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            for arguments in [
                ["show", "1"], ["show", "1", "--json"], ["list", "--all"], ["verify"],
                ["log", "1", "after damage"],
            ] {
                let result = Self.run(arguments, store: store, input: nil, terminal: round % 2 == 0)
                #expect(
                    [0, 1, 2].contains(result.status),
                    "seed \(seed) round \(round): \(arguments) → \(result.status)")
                #expect(
                    !result.stdout.unicodeScalars.contains("\u{1B}") || round % 2 == 0
                        || arguments.contains("--json"),
                    "seed \(seed) round \(round): raw escape in \(arguments)")
            }
        }
    }
}
