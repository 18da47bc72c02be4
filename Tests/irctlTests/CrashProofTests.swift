import Foundation
import Glibc
import IncidentKit
import TestSupport
import Testing

/// Crashes, corrupt files, full disks and hostile input: the previous file survives,
/// errors are clear, and nothing is torn.
@Suite struct CrashProofTests {
    static func timelineCount(_ data: Data) throws -> Int {
        let object = try #require(
            try JSONSerialization.jsonObject(with: data) as? [String: Any],
            "torn or unparsable file")
        return try #require(((object["entries"] ?? object["timeline"]) as? [Any])?.count)
    }

    @Test(.timeLimit(.minutes(5)))
    func aWriterKilledAtRandomMomentsLeavesTheOldFileOrTheNewOne() throws {
        let box = try Sandbox()
        try box.ok(["declare", "Killed writers"])
        var env = box.environment
        env["IRCTL_LOCK_TIMEOUT"] = "10"
        let scratch = box.root + "/.kill-out"
        func start(_ text: String) throws -> pid_t {
            try Shell.spawn(
                [Sandbox.binary, "log", "1", text], environment: env, stdout: scratch,
                stderr: scratch)
        }
        // How long one append takes here, so the kills land all over it, startup included.
        let clock = ContinuousClock()
        let began = clock.now
        #expect(Shell.wait(try start("timing"), timeout: 20) == 0)
        let micros = max(
            2_000,
            Int((clock.now - began).components.attoseconds / 1_000_000_000_000) + Int(
                (clock.now - began).components.seconds) * 1_000_000)

        var random = SplitMix64(seed: 0x1CE_5EED)
        var kills = 0
        var rounds = 0
        var count = try Self.timelineCount(try box.bytes(box.incidentFile(1)))
        let store = Store(root: box.store)
        while kills < 100, rounds < 400 {
            rounds += 1
            let before = try box.bytes(box.incidentFile(1))
            let pid = try start("round \(rounds)")
            usleep(UInt32(Int.random(in: 0...micros, using: &random)))
            kill(pid, SIGKILL)
            let status = Shell.wait(pid, timeout: 20)
            if status == 128 + SIGKILL { kills += 1 }
            let after = try box.bytes(box.incidentFile(1))
            let newCount = try Self.timelineCount(after)
            #expect(
                newCount == count || newCount == count + 1,
                "round \(rounds): \(count) → \(newCount) entries")
            if newCount == count {
                #expect(after == before, "round \(rounds): same entries but different bytes")
            }
            count = newCount
            #expect(try store.load(IncidentID(number: 1)!).verifyChain().isValid, "round \(rounds)")
            if rounds % 10 == 0 {
                // The next writer is not blocked: the kernel dropped the dead writer's lock.
                let next = try box.run(
                    ["log", "1", "after round \(rounds)"], env: ["IRCTL_LOCK_TIMEOUT": "5"])
                #expect(next.status == 0, "\(next.stderr)")
                count += 1
            }
        }
        #expect(kills >= 100, "only \(kills) writers were killed mid-run in \(rounds) rounds")
        // Stray temporary files, left by a kill or planted, never break reading or listing.
        try Data("{\"torn".utf8).write(
            to: URL(fileURLWithPath: box.store + "/incidents/.INC-1.json.tmp"))
        try Data("junk".utf8).write(
            to: URL(fileURLWithPath: box.store + "/incidents/.INC-7.json.tmp"))
        let list = try box.run(["list"])
        #expect(list.status == 0)
        #expect(list.stdout.contains("INC-1") && !list.stdout.contains("INC-7"))
        #expect(list.stderr.isEmpty, "\(list.stderr)")
        #expect(try box.run(["show", "1"]).status == 0)
        #expect(try box.run(["verify"]).status == 0)
        try box.ok(["log", "1", "final"])
        #expect(try box.ok(["verify", "1"]).contains("\(count + 1) entries"))
    }

    /// Ways an incident file gets damaged, and the reason the error must give.
    static func corrupt(_ valid: Data, _ how: String) -> (bytes: Data, reason: String) {
        let text = String(decoding: valid, as: UTF8.self)
        switch how {
        case "truncated": return (valid.prefix(valid.count / 2), "not valid JSON")
        case "garbage":
            return (Data((0..<300).map { UInt8(truncatingIfNeeded: $0 &* 37) }), "not valid UTF-8")
        case "empty": return (Data(), "the file is empty")
        case "bad UTF-8":
            return (
                Data(
                    Array(text.replacingOccurrences(of: "Second", with: "Sec\u{E9}nd").utf8).map {
                        $0 == 0xC3 ? 0xFF : $0
                    }), "not valid UTF-8"
            )
        case "wrong shape": return (Data("[1, 2, 3]".utf8), "not a JSON object")
        default:
            // The file of another incident copied over this one's.
            let object = try! JSONSerialization.jsonObject(with: valid) as! [String: Any]
            let uid = object["incident"] as! String
            return (
                Data(
                    text.replacingOccurrences(of: uid, with: "0000aaaa-0000-4000-8000-000000000000")
                        .utf8),
                "it belongs to incident 0000aaaa-0000-4000-8000-000000000000, not \(uid)"
            )
        }
    }

    @Test(arguments: ["truncated", "garbage", "empty", "bad UTF-8", "wrong shape", "another id"])
    func aCorruptFileIsNamedNeverOverwrittenAndTheRestStillWorks(what: String) throws {
        let box = try Sandbox()
        try box.ok(["declare", "First"])
        try box.ok(["declare", "Second"])
        try box.ok(["declare", "Third"])
        let path = box.incidentFile(2)
        let (bad, reason) = Self.corrupt(try box.bytes(path), what)
        try bad.write(to: URL(fileURLWithPath: path))
        for arguments in [
            ["log", "2", "note"], ["contain", "2"], ["close", "2", "--force"], ["show", "2"],
            ["show", "2", "--json"],
        ] {
            let result = try box.run(arguments)
            #expect(result.status == 1, "\(what): \(arguments)")
            #expect(
                result.stderr.contains("\(path) is not a valid incident file"),
                "\(what): \(result.stderr)")
            #expect(result.stderr.contains(reason), "\(what): \(result.stderr)")
            #expect(try box.bytes(path) == bad, "\(what): \(arguments) changed the file")
        }
        try box.ok(["log", "3", "other incidents still work"])
        let list = try box.run(["list"])
        #expect(list.status == 0)
        #expect(
            list.stdout.contains("INC-1") && list.stdout.contains("INC-3")
                && !list.stdout.contains("INC-2"))
        #expect(list.stderr.contains("irctl: warning: \(path) is not a valid incident file"))
        let verify = try box.run(["verify"])
        #expect(verify.status == 1)
        #expect(verify.stdout.contains("INC-2: UNREADABLE"))
        #expect(try box.bytes(path) == bad)
    }

    @Test func aFileFromANewerIrctlIsReadButNeverWritten() throws {
        let box = try Sandbox()
        try box.ok(["declare", "From the future"])
        let path = box.incidentFile(1)
        var object = try box.readJSON(path)
        object["schemaVersion"] = 99
        object["futureField"] = ["kept": true]
        try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
            .write(to: URL(fileURLWithPath: path))
        let before = try box.bytes(path)
        for arguments in [["log", "1", "note"], ["contain", "1"], ["close", "1", "--force"]] {
            let result = try box.run(arguments)
            #expect(result.status == 1)
            #expect(result.stderr.contains("has schema version 99"), "\(result.stderr)")
            #expect(result.stderr.contains("upgrade irctl"))
        }
        #expect(try box.bytes(path) == before)
        let show = try box.run(["show", "1"])
        #expect(show.status == 0)
        #expect(show.stdout.contains("From the future"))
        #expect(try box.run(["show", "1", "--json"]).status == 0)
        #expect(try box.ok(["list"]).contains("From the future"))
    }

    @Test func aWriteThatHitsAFileSizeLimitLeavesThePreviousFileAndNoTemporaryFile() throws {
        let box = try Sandbox()
        try box.ok(["declare", "Full disk"])
        let before = try box.bytes(box.incidentFile(1))
        let text = String(repeating: "log line that makes the file grow ", count: 40)
        // A 512-byte limit: the new version can't be written (EFBIG; SIGXFSZ is ignored by irctl).
        let result = try box.sh("ulimit -f 1; \"$IRCTL\" log 1 '\(text)'")
        #expect(result.status == 1, "\(result.stderr)")
        #expect(
            result.stderr.hasPrefix("irctl: error: could not write \(box.incidentFile(1))"),
            "\(result.stderr)")
        #expect(result.stderr.contains("the previous version is intact"))
        #expect(try box.bytes(box.incidentFile(1)) == before)
        #expect(try box.incidentDirectoryNames() == [box.ownFileName])
        try box.ok(["log", "1", text])
        #expect(try box.ok(["verify"]).contains("INC-1: ok"))
    }

    @Test func outputToAFullOrClosedStdoutFails() throws {
        let box = try Sandbox()
        try box.ok(["declare", "Printed"])
        for script in [
            "\"$IRCTL\" list > /dev/full", "\"$IRCTL\" show 1 --json > /dev/full",
            "\"$IRCTL\" verify > /dev/full",
            "\"$IRCTL\" log 1 note > /dev/full", "\"$IRCTL\" list >&-",
            "\"$IRCTL\" --help > /dev/full",
        ] {
            let result = try box.sh(script)
            #expect(result.status == 1, "\(script)")
            #expect(
                result.stderr.contains("irctl: error: could not write the output"),
                "\(script): \(result.stderr)")
        }
    }

    @Test(.timeLimit(.minutes(5)))
    func endlessOrHugeInputIsRefusedQuicklyAndBadUTF8IsAnError() throws {
        let box = try Sandbox()
        try box.ok(["declare", "Input limits"])
        let before = try box.bytes(box.incidentFile(1))
        // `yes` never ends: loading stdin whole would never return.
        let endless = try box.sh("yes 'a line of pasted output' | \"$IRCTL\" log 1 -", timeout: 20)
        #expect(endless.status == 2, "\(endless.stderr)")
        #expect(endless.stderr.contains("standard input is larger than 1024 KiB"))
        let huge = try box.sh(
            "head -c 3000000 /dev/zero | tr '\\0' 'x' | \"$IRCTL\" log 1", timeout: 20)
        #expect(huge.status == 2)
        #expect(try box.bytes(box.incidentFile(1)) == before)

        let badInput = try box.sh("printf 'caf\\351 \\377\\376\\n' | \"$IRCTL\" log 1 -")
        #expect(badInput.status == 2)
        #expect(badInput.stderr.contains("standard input is not valid UTF-8"))
        #expect(try box.bytes(box.incidentFile(1)) == before)

        // Just under the limit is fine.
        let fits = try box.sh(
            "head -c 200000 /dev/zero | tr '\\0' 'y' | \"$IRCTL\" log 1 -", timeout: 20)
        #expect(fits.status == 0, "\(fits.stderr)")
    }

    @Test(.timeLimit(.minutes(5)))
    func aWriterWaitingForAHeldLockGivesUpWithAMessage() throws {
        let box = try Sandbox()
        try box.ok(["declare", "Locked"])
        // The last irctl that wrote (long gone) is not the holder: the message names the process
        // that is.
        try box.ok(["log", "1", "an earlier writer"])
        // Hold the store lock from another process for longer than the writer will wait.
        let holder = try box.sh(
            "flock \"$IRCTL_DIR/lock\" sleep 6 > /dev/null 2>&1 & echo $!; sleep 0.3")
        let holderPID = try #require(
            Int32(holder.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
        let clock = ContinuousClock()
        let began = clock.now
        // Through Foundation's Process, which passes the test runner's blocked signals on.
        let result = try box.run(["log", "1", "waiting"], env: ["IRCTL_LOCK_TIMEOUT": "1"])
        let took = clock.now - began
        #expect(result.status == 1)
        #expect(
            result.stderr.contains("the store is locked by process \(holderPID) (flock)"),
            "\(result.stderr)")
        #expect(took < .seconds(4), "gave up after \(took)")
        // Readers never wait for the lock.
        #expect(try box.run(["show", "1"]).status == 0)
    }
}
