import Foundation
import Glibc
import Testing

/// What the store promises a person who trusts it with an incident, on store format 2: it never
/// writes what it would refuse to read, never reports a stored change as failed, never hands a
/// number out twice, never waits on a FIFO, and never reads one JSON text two ways.
@Suite struct StoreTrustTests {
    @Test(.timeLimit(.minutes(5)))
    func aWriteThatWouldMakeAFileTooLargeToReadIsRefusedAndTheIncidentStillWorks() throws {
        let box = try Sandbox()
        try box.ok(["declare", "Big pastes"])
        // A MiB of control characters becomes 6 MiB of JSON escapes: a handful of pastes reach the
        // 32 MiB a store file may hold.
        let paste = box.root + "/paste"
        try Data(repeating: 0x01, count: 1024 * 1024 - 16).write(to: URL(fileURLWithPath: paste))
        var refused: RunResult?
        var stored = 0
        for _ in 0..<10 {
            let result = try box.sh("\"$IRCTL\" log 1 - < \"\(paste)\"", timeout: 120)
            if result.status != 0 {
                refused = result
                break
            }
            stored += 1
        }
        let refusal = try #require(refused, "ten pastes of 6 MiB were all stored")
        #expect(refusal.status == 1)
        #expect(
            refusal.stderr.contains("over the 32 MiB a store file may hold; nothing was written"),
            "\(refusal.stderr)")
        #expect(stored >= 4)
        let file = box.incidentFile(1)
        var st = stat()
        #expect(stat(file, &st) == 0 && st.st_size <= 32 * 1024 * 1024)
        // Everything still reads and writes.
        #expect(try box.run(["show", "1"]).status == 0)
        #expect(try box.ok(["verify", "1"]).contains("INC-1: ok, \(stored + 2) entries"))
        try box.ok(["log", "1", "a short note still fits"])
    }

    @Test func aChangeStoredBeforeTheCacheFailedIsReportedAsStored() throws {
        let box = try Sandbox()
        try box.ok(["declare", "Cache trouble"])
        // The cache can't be written: `cache` is a file, not a directory.
        try FileManager.default.removeItem(atPath: box.store + "/cache")
        try Data("not a directory".utf8).write(to: URL(fileURLWithPath: box.store + "/cache"))
        let logged = try box.run(["log", "1", "stored once"])
        #expect(logged.status == 0, "\(logged.stderr)")
        #expect(logged.stdout.contains("INC-1: logged note"))
        #expect(logged.stderr.contains("the change is stored, but the cache"), "\(logged.stderr)")
        #expect(!logged.stderr.contains("previous version is intact"))
        let declared = try box.run(["declare", "Second"])
        #expect(
            declared.status == 0 && declared.stdout.hasPrefix("INC-2 declared"),
            "\(declared.stdout) \(declared.stderr)")
        let shown = try box.ok(["show", "1"])
        #expect(
            shown.components(separatedBy: "stored once").count == 2,
            "the note is there exactly once")
        #expect(try box.ok(["list"]).contains("Second"))
    }

    @Test func aNumberIsNeverHandedOutTwice() throws {
        let box = try Sandbox()
        for n in 1...5 { try box.ok(["declare", "incident \(n)"]) }
        try FileManager.default.removeItem(atPath: box.incidentDirectory(5))
        #expect(try box.ok(["declare", "after five was removed"]).hasPrefix("INC-6 declared"))
        try FileManager.default.removeItem(atPath: box.incidentDirectory(6))
        try box.ok(["reindex"])
        #expect(try box.ok(["declare", "after a reindex"]).hasPrefix("INC-7 declared"))
        try FileManager.default.removeItem(atPath: box.incidentDirectory(7))
        try FileManager.default.removeItem(atPath: box.store + "/cache")
        #expect(try box.ok(["declare", "after the cache was lost"]).hasPrefix("INC-8 declared"))
        // Nonsense in the cache or the local state is not "id space exhausted".
        try "indexed=99999999999999999999999\ncompactedSize=-5\n".write(
            toFile: box.store + "/cache/state", atomically: false, encoding: .utf8)
        #expect(try box.ok(["declare", "after a broken cache state"]).hasPrefix("INC-9 declared"))
        try "highest=99999999999999\n".write(
            toFile: box.store + "/local/state", atomically: false, encoding: .utf8)
        #expect(try box.ok(["declare", "after a broken local state"]).hasPrefix("INC-10 declared"))
    }

    @Test(.timeLimit(.minutes(5)))
    func aFIFOInPlaceOfAStoreFileNeverHangsIrctl() throws {
        let box = try Sandbox()
        try box.ok(["declare", "Pipes"])
        try box.ok(["declare", "Other"])
        let file = box.incidentFile(1)
        try FileManager.default.removeItem(atPath: file)
        #expect(mkfifo(file, 0o600) == 0)
        for command in ["show 1", "log 1 note", "verify", "list"] {
            let result = try box.sh("\"$IRCTL\" \(command)", timeout: 20)
            #expect(result.status != -1, "\(command) hung")
            let said = result.stdout + result.stderr
            #expect(
                said.contains("is a FIFO (named pipe), not a regular file"), "\(command): \(said)")
            #expect(!said.contains("symbolic link"))
        }
        // The lock was not held by a hung reader: other incidents still take writes.
        try box.ok(["log", "2", "still writable"])
        try? FileManager.default.removeItem(atPath: box.store + "/config.json")
        #expect(mkfifo(box.store + "/config.json", 0o600) == 0)
        let config = try box.sh("\"$IRCTL\" log 2 again", timeout: 20)
        #expect(
            config.status == 1 && config.stderr.contains("is a FIFO (named pipe)"),
            "\(config.stderr)")
    }

    @Test func aDuplicateKeyIsRefusedNotReadOneOfTwoWays() throws {
        let box = try Sandbox()
        try box.ok(["declare", "Forgery"])
        try box.ok(["log", "1", "original"])
        let file = box.incidentFile(1)
        let text = try String(contentsOfFile: file, encoding: .utf8)
        // jq and Python keep the last of two equal keys; a reader keeping the first would show
        // another entry.
        let forged = text.replacingOccurrences(
            of: "\"text\": \"original\"", with: "\"text\": \"original\", \"text\": \"FORGED\"")
        #expect(forged != text)
        try forged.write(toFile: file, atomically: false, encoding: .utf8)
        for arguments in [["show", "1"], ["verify", "1"], ["log", "1", "x"]] {
            let result = try box.run(arguments)
            #expect(result.status == 1, "\(arguments)")
            #expect(
                result.stderr.contains("duplicate key 'text'"), "\(arguments): \(result.stderr)")
        }
        #expect(try String(contentsOfFile: file, encoding: .utf8) == forged, "never overwritten")
        let config = try box.sh(
            #"printf '{"defaultAuthor": "a", "defaultAuthor": "b"}' > "$IRCTL_DIR/config.json"; "$"#
                + #"IRCTL" log 1 y"#
        )
        #expect(
            config.status == 1 && config.stderr.contains("duplicate key 'defaultAuthor'"),
            "\(config.stderr)")
    }

    @Test func numbersTooLargeAndNestingTooDeepSaySo() throws {
        let box = try Sandbox()
        try box.ok(["declare", "Odd JSON"])
        let file = box.incidentFile(1)
        let text = try String(contentsOfFile: file, encoding: .utf8)
        try text.replacingOccurrences(
            of: "\"seq\": 1,", with: "\"seq\": 123456789012345678901234567890,"
        )
        .write(toFile: file, atomically: false, encoding: .utf8)
        #expect(try box.run(["show", "1"]).stderr.contains("out of range"))
        try text.replacingOccurrences(
            of: "\"schemaVersion\": 3",
            with: "\"schemaVersion\": 3, \"deep\": " + String(repeating: "[", count: 100)
                + String(repeating: "]", count: 100)
        )
        .write(toFile: file, atomically: false, encoding: .utf8)
        #expect(try box.run(["show", "1"]).stderr.contains("nested more than 64 levels deep"))
        let config = try box.sh(
            "head -c 2000000 /dev/zero | tr '\\0' ' ' > \"$IRCTL_DIR/config.json\"; \"$IRCTL\" log "
                + "1 x"
        )
        #expect(
            config.status == 1
                && config.stderr.contains("it is not a store configuration irctl wrote"),
            "\(config.stderr)")
    }

    @Test func aTemporaryFileAKilledReindexLeftIsRemovedByTheNextWrite() throws {
        let box = try Sandbox()
        try box.ok(["declare", "Leftovers"])
        try Data("half an index".utf8).write(
            to: URL(fileURLWithPath: box.store + "/cache/.index.tmp"))
        try box.ok(["log", "1", "a write"])
        #expect(!FileManager.default.fileExists(atPath: box.store + "/cache/.index.tmp"))
    }
}

/// The cache after a `git pull`, and modes in a git work tree.
@Suite struct StoreAfterPullTests {
    @Test func theFirstReadAfterFilesChangedBringsTheCacheUpToDateSoTheNextDoesNot() throws {
        let box = try Sandbox()
        for n in 1...3 { try box.ok(["declare", "incident \(n)"]) }
        // Another clone's incidents arrive behind irctl's back: copies of these under new uids.
        let other = try Sandbox()
        for n in 1...4 { try other.ok(["declare", "from the other clone \(n)"]) }
        for n in 1...4 {
            let directory = other.incidentDirectory(n)
            try FileManager.default.copyItem(
                atPath: directory,
                toPath: box.store + "/incidents/" + (directory as NSString).lastPathComponent)
        }
        let index = box.store + "/cache/index"
        let before = try box.bytes(index)
        let listed = try box.ok(["list"])
        #expect(listed.split(separator: "\n").count == 1 + 7, "\(listed)")
        let after = try box.bytes(index)
        #expect(after != before, "the read wrote the cache back")
        #expect(String(decoding: after, as: UTF8.self).contains("from the other clone 4"))
        // The next read finds nothing stale: the cache file is left as it is.
        var first = stat()
        var second = stat()
        #expect(stat(index, &first) == 0)
        #expect(try box.ok(["list"]) == listed)
        #expect(
            stat(index, &second) == 0 && first.st_ino == second.st_ino
                && first.st_mtim.tv_nsec == second.st_mtim.tv_nsec)
    }

    @Test func inAGitWorkTreeLooseModesAreTightenedOnWriteWithoutAWarningOnEveryRead() throws {
        let box = try Sandbox()
        let repo = box.root + "/repo"
        try FileManager.default.createDirectory(
            atPath: repo + "/.git", withIntermediateDirectories: true)
        let store = repo + "/.irctl"
        let env = ["IRCTL_DIR": store]
        try box.ok(["declare", "Cloned"], env: env)
        // What a clone checks out: the umask's modes.
        let directory = (Sandbox.incidentFile(1, in: store) as NSString).deletingLastPathComponent
        for path in [store, store + "/incidents", directory, Sandbox.incidentFile(1, in: store)] {
            chmod(path, path.hasSuffix(".json") ? 0o644 : 0o755)
        }
        let read = try box.run(["list"], env: env)
        #expect(read.status == 0 && read.stderr.isEmpty, "\(read.stderr)")
        try box.ok(["log", "1", "a write"], env: env)
        var st = stat()
        #expect(stat(store, &st) == 0 && st.st_mode & 0o777 == 0o700)
        #expect(stat(store + "/incidents", &st) == 0 && st.st_mode & 0o777 == 0o700)
        #expect(stat(directory, &st) == 0 && st.st_mode & 0o777 == 0o700)
        #expect(stat(Sandbox.incidentFile(1, in: store), &st) == 0 && st.st_mode & 0o777 == 0o600)
        // Outside a git work tree the warning still says how to fix a loose store.
        chmod(box.store, 0o755)
        try box.ok(["declare", "Elsewhere"])
        chmod(box.store, 0o755)
        #expect(try box.run(["list"]).stderr.contains("readable or writable by other users"))
    }
}
