import Foundation
import Glibc
import Testing

@testable import IncidentKit

/// A store in a fresh temporary directory, removed afterwards.
struct TemporaryStore: ~Copyable {
    let store: Store
    init() {
        let root =
            FileManager.default.temporaryDirectory.path + "/irctl-store-"
            + UUID().uuidString.prefix(8)
        store = Store(root: root)
    }
    deinit { try? FileManager.default.removeItem(atPath: store.root) }
}

@Suite struct StoreTests {
    let clock = Minutes()

    func declare(
        _ store: Store, _ title: String = "Checkout 5xx", minute: Int = 0
    ) throws -> Incident {
        let new = NewIncident(
            title: title, severity: SeverityScheme.standard.levels[1], phase: .declare)
        return try store.create { id in
            try Incident.open(new, id: id, uid: UUID().uuidString, context: clock.at(minute))
        }.incident
    }

    /// An incident claiming `number` written by another clone, as a `git pull` brings it.
    func plant(
        _ store: Store, number: Int, title: String = "from a teammate", minute: Int = 0
    ) throws -> String {
        let new = NewIncident(
            title: title, severity: SeverityScheme.standard.levels[1], phase: .declare)
        let uid = UUID().uuidString.lowercased()
        var incident = try Incident.open(
            new, id: IncidentID(number: number)!, uid: uid, context: clock.at(minute))
        incident.adopt(writer: "00000000000000aa")
        let file = ReplicaFile(
            incident: uid, replica: "00000000000000aa", entries: incident.timeline)
        try FileManager.default.createDirectory(
            atPath: store.directory(of: uid), withIntermediateDirectories: true)
        try Data(file.encoded()).write(
            to: URL(fileURLWithPath: store.directory(of: uid) + "/00000000000000aa.json"))
        return uid
    }

    @Test func idsAreSequentialAndFilesPrivate() throws {
        let temp = TemporaryStore()
        let store = temp.store
        let ids = try (1...3).map { try declare(store, "incident \($0)").id.number }
        #expect(ids == [1, 2, 3])
        var st = stat()
        #expect(stat(store.root, &st) == 0 && st.st_mode & 0o777 == 0o700)
        #expect(
            stat(try store.ownFilePath(of: IncidentID(number: 2)!), &st) == 0
                && st.st_mode & 0o777 == 0o600)
        #expect(
            stat(store.path(of: IncidentID(number: 2)!), &st) == 0 && st.st_mode & 0o777 == 0o700)
        #expect(try store.load(IncidentID(number: 2)!).title == "incident 2")
    }

    @Test func idsSkipFilesThatArrivedBehindTheCounter() throws {
        let temp = TemporaryStore()
        let store = temp.store
        _ = try declare(store)
        // A teammate's INC-2 arrives by git pull: the cache must not hand out 2 again.
        _ = try plant(store, number: 2)
        #expect(try declare(store).id.number == 3)
    }

    /// A teammate's INC-7 arrives by git pull while our counter is at 2: the next id follows it,
    /// ids keep counting up rather than filling in below the newest incident.
    @Test func idsContinueAfterTheHighestPulledFile() throws {
        let temp = TemporaryStore()
        let store = temp.store
        _ = try declare(store)
        _ = try plant(store, number: 7)
        #expect(try declare(store).id.number == 8)
        #expect(try declare(store).id.number == 9)
    }

    /// The number map answers alone only while it is in line and a number has one claimant: a
    /// colliding claim that arrives by a pull is decided the full way, and a rebuilt map marks it.
    @Test func theNumberMapNeverNamesTheWrongHolder() throws {
        let temp = TemporaryStore()
        let store = temp.store
        for n in 1...3 { _ = try declare(store, "incident \(n)", minute: n) }
        #expect(FileManager.default.fileExists(atPath: store.root + "/cache/ids"))
        #expect(try store.load(IncidentID(number: 2)!).title == "incident 2")
        // A teammate's INC-2, claimed later, arrives: ours keeps 2, theirs shows a provisional one.
        _ = try plant(store, number: 2, title: "theirs", minute: 30)
        #expect(try store.load(IncidentID(number: 2)!).title == "incident 2")
        _ = try store.reindex()
        #expect(try store.load(IncidentID(number: 2)!).title == "incident 2")
        #expect(try store.load(IncidentID(number: 4)!).title == "theirs")
        // A teammate's earlier claim of 3 takes the number from ours, map or no map.
        _ = try plant(store, number: 3, title: "earlier", minute: -30)
        #expect(try store.load(IncidentID(number: 3)!).title == "earlier")
        _ = try store.reindex()
        #expect(try store.load(IncidentID(number: 3)!).title == "earlier")
        // With numbers claimed twice, the next number comes after the provisional ones.
        #expect(try declare(store, "next").id.number == 6)
        #expect(try store.load(IncidentID(number: 6)!).title == "next")
    }

    @Test func updateIsAllOrNothing() throws {
        let temp = TemporaryStore()
        let store = temp.store
        let id = try declare(store).id
        let path = try store.ownFilePath(of: id)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(throws: LifecycleError.closeNeedsReview(id, .declare)) {
            try store.update(id) { incident in
                try incident.log("this note is lost with the failed change", context: clock.at(1))
                try incident.close(context: clock.at(1))
            }
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test func listSeesChangesMadeBehindItsBack() throws {
        let temp = TemporaryStore()
        let store = temp.store
        let id = try declare(store).id
        _ = try declare(store, "second")
        #expect(store.summaries().summaries.count == 2)
        // A hand edit of the title, in place (same inode), is seen at once.
        let path = try store.ownFilePath(of: id)
        let text = try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(
            of: "Checkout 5xx", with: "Checkout 5xx (edited by hand)")
        let fd = open(path, O_WRONLY | O_TRUNC)
        _ = text.withCString { write(fd, $0, strlen($0)) }
        close(fd)
        let titles = store.summaries().summaries.map(\.title).sorted()
        #expect(titles == ["Checkout 5xx (edited by hand)", "second"])
        // A deleted file disappears; a new one appears.
        try FileManager.default.removeItem(atPath: path)
        #expect(store.summaries().summaries.map(\.title) == ["second"])
    }

    /// A note that arrives by pull on a closed incident, while the cache is otherwise current, is
    /// seen: the directory's identity changed, so its cached record is not used.
    @Test func aPulledNoteOnAClosedIncidentIsSeen() throws {
        let temp = TemporaryStore()
        let store = temp.store
        let id = try declare(store).id
        _ = try declare(store, "second")
        let closed = try store.update(id) { try $0.close(force: true, context: clock.at(5)) }
        _ = store.summaries()
        let before = try #require(store.summaries().summaries.first { $0.uid == closed.uid })
        #expect(!before.isOpen)
        var incident = try store.load(uid: closed.uid).writing(as: "00000000000000bb")
        incident.append(.note, "a teammate's note", context: clock.at(9))
        let file = ReplicaFile(
            incident: closed.uid, replica: "00000000000000bb",
            entries: incident.timeline.filter { $0.replica == "00000000000000bb" })
        try Data(file.encoded()).write(
            to: URL(fileURLWithPath: store.directory(of: closed.uid) + "/00000000000000bb.json"))
        let after = try #require(store.summaries().summaries.first { $0.uid == closed.uid })
        #expect(after.entryCount == before.entryCount + 1)
        #expect(store.summaries(includeClosed: false).summaries.map(\.title) == ["second"])
    }

    /// Reading many incidents' files (a fresh clone) tells the progress callback how far it is,
    /// ending with everything; a current cache never calls it.
    @Test func progressIsToldWhileFilesAreReadAndNeverFromACurrentCache() throws {
        let temp = TemporaryStore()
        let store = temp.store
        try store.initialize()
        for n in 1...300 { _ = try plant(store, number: n, minute: n) }
        var calls: [(Int, Int)] = []
        let listed = store.summaries(progress: { calls.append(($0, $1)) }).summaries
        #expect(listed.count == 300)
        #expect(calls.count >= 2)
        #expect(calls.allSatisfy { $0.1 == 300 && $0.0 <= 300 })
        #expect(zip(calls, calls.dropFirst()).allSatisfy { $0.0 <= $1.0 })
        #expect(calls.last.map { $0 == (300, 300) } == true)
        calls = []
        #expect(store.summaries(progress: { calls.append(($0, $1)) }).summaries.count == 300)
        #expect(calls.isEmpty)
    }

    /// A file rewritten in place with content of the same size and its old mtime put back (a
    /// restore with `cp -p`, `rsync -a`, `touch -r`) is still seen: mtime and size alone can't
    /// tell.
    @Test func listSeesSameSizeSameMtimeReplacement() throws {
        let temp = TemporaryStore()
        let store = temp.store
        let id = try declare(store, "Checkout AAA").id
        #expect(store.summaries().summaries.map(\.title) == ["Checkout AAA"])
        let path = try store.ownFilePath(of: id)
        var before = stat()
        #expect(stat(path, &before) == 0)
        let text = try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(
            of: "Checkout AAA", with: "Checkout BBB")
        let fd = open(path, O_WRONLY | O_TRUNC)
        _ = text.withCString { write(fd, $0, strlen($0)) }
        var times = [before.st_atim, before.st_mtim]
        #expect(futimens(fd, &times) == 0)
        close(fd)
        var after = stat()
        #expect(stat(path, &after) == 0)
        #expect(
            after.st_ino == before.st_ino && after.st_size == before.st_size
                && after.st_mtim.tv_sec == before.st_mtim.tv_sec
                && after.st_mtim.tv_nsec == before.st_mtim.tv_nsec)
        #expect(store.summaries().summaries.map(\.title) == ["Checkout BBB"])
    }

    /// The index is only worth having if its records match what irctl wrote: each record's sources
    /// are the incident directory's identity as a reader sees it after the write.
    @Test func indexRecordsMatchTheFilesWritten() throws {
        let temp = TemporaryStore()
        let store = temp.store
        let first = try declare(store).id
        let second = try declare(store, "second")
        try store.update(first) { incident in try incident.log("more", context: clock.at(1)) }
        let bytes = try #require(try FileSystem.read(store.root + "/cache/index", limit: 1 << 20))
        let snapshot = SummaryIndex.snapshot(bytes)
        for uid in [try store.load(first).uid, second.uid] {
            let identity = try #require(FileSystem.identity(store.directory(of: uid)))
            #expect(
                snapshot.heads[uid]?.sources
                    == "d:\(identity.inode):\(identity.changedNanoseconds)",
                "record of \(uid) is stale")
        }
    }

    @Test func indexIsOnlyACache() throws {
        let temp = TemporaryStore()
        let store = temp.store
        for n in 1...5 { _ = try declare(store, "incident \(n)") }
        let expected = store.summaries().summaries.sorted { $0.id < $1.id }
        try FileManager.default.removeItem(atPath: store.root + "/cache")
        #expect(store.summaries().summaries.sorted { $0.id < $1.id } == expected)
        try "garbage\nR\t1\tnot a record\n".write(
            toFile: store.root + "/cache-index-garbage", atomically: false, encoding: .utf8)
        try FileManager.default.createDirectory(
            atPath: store.root + "/cache", withIntermediateDirectories: true)
        try "irctl-index\t3\nR\t1\t2\t3\n\u{0}\u{1}torn".write(
            toFile: store.root + "/cache/index", atomically: false, encoding: .utf8)
        #expect(store.summaries().summaries.sorted { $0.id < $1.id } == expected)
        #expect(try store.reindex() == 5)
        #expect(store.summaries().summaries.sorted { $0.id < $1.id } == expected)
    }

    @Test func indexRecordsRoundTripHostileText() throws {
        var new = NewIncident(
            title: "tab\there, newline\nthere, back\\slash, unit\u{1F}sep",
            severity: SeverityScheme.standard.levels[0], phase: .declare)
        new.services = ["a\tb", "c"]
        new.tags = ["x\\n"]
        new.roles = Roles(commander: "o'brien", scribe: "名前")
        let incident = try Incident.open(
            new, id: IncidentID(number: 9)!, uid: "u", context: clock.at(0))
        let summary = IncidentSummary(incident)
        let line = SummaryIndex.line(summary, sources: "d:1:2", files: "f\t1")
        #expect(line.filter { $0 == "\n" }.count == 1)
        let snapshot = SummaryIndex.snapshot(Array((SummaryIndex.header + line).utf8))
        let head = try #require(snapshot.heads["u"])
        #expect(snapshot.summary(head) == summary)
        #expect(head.sources == "d:1:2" && head.files == "f\t1" && head.claim == 9)
    }

    @Test func corruptFilesAreReportedAndLeftAlone() throws {
        let temp = TemporaryStore()
        let store = temp.store
        _ = try declare(store)
        let second = try declare(store, "second")
        let bad = try store.ownFilePath(of: second.id)
        try "{\"entries\": [{\"tit".write(toFile: bad, atomically: false, encoding: .utf8)
        let (summaries, problems) = store.summaries()
        #expect(summaries.map(\.id.number) == [1])
        #expect(problems.count == 1 && problems[0].path == bad)
        #expect(problems[0].message.contains("\(bad) is not a valid incident file"))
        #expect(throws: StoreError.self) { try store.update(IncidentID(number: 2)!) { _ in } }
        #expect(try String(contentsOfFile: bad, encoding: .utf8) == "{\"entries\": [{\"tit")
    }

    @Test func aUIDPrefixOfDigitsAloneStillFindsItsIncident() throws {
        let temp = TemporaryStore()
        let store = temp.store
        let new = NewIncident(
            title: "Digits", severity: SeverityScheme.standard.levels[1], phase: .declare)
        let uid = "12345678-90ab-4cde-8f01-234567890abc"
        let made = try store.create { id in
            try Incident.open(new, id: id, uid: uid, context: clock.at(0))
        }
        #expect(try store.incidentID(matching: "12345678") == made.id)
        // A number that names an incident is that incident.
        #expect(try store.incidentID(matching: "1") == made.id)
        #expect(try store.incidentID(matching: "87654321") == IncidentID(number: 87_654_321))
    }

    @Test func newerSchemaIsReadOnly() throws {
        let temp = TemporaryStore()
        let store = temp.store
        let id = try declare(store).id
        let path = try store.ownFilePath(of: id)
        let text = try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(
            of: "\"schemaVersion\": 3", with: "\"schemaVersion\": 99")
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        #expect(try store.load(id).title == "Checkout 5xx")
        #expect(throws: StoreError.newerSchema(path: path, version: 99, supported: 3)) {
            try store.update(id) { incident in try incident.log("x", context: clock.at(1)) }
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == text)
    }

    @Test func symlinkedIncidentFilesAreRefused() throws {
        let temp = TemporaryStore()
        let store = temp.store
        _ = try declare(store)
        let path = try store.ownFilePath(of: IncidentID(number: 1)!)
        try FileManager.default.moveItem(atPath: path, toPath: store.root + "/elsewhere.json")
        try FileManager.default.createSymbolicLink(
            atPath: path, withDestinationPath: store.root + "/elsewhere.json")
        #expect(throws: StoreError.symlinkRefused(path: path)) {
            try store.load(IncidentID(number: 1)!)
        }
    }

    @Test func aFIFOInPlaceOfAFileIsRefusedWithoutWaiting() throws {
        let temp = TemporaryStore()
        let store = temp.store
        _ = try declare(store)
        let path = try store.ownFilePath(of: IncidentID(number: 1)!)
        try FileManager.default.removeItem(atPath: path)
        #expect(mkfifo(path, 0o600) == 0)
        #expect(throws: StoreError.notRegularFile(path: path, kind: "a FIFO (named pipe)")) {
            try store.load(IncidentID(number: 1)!)
        }
        #expect(throws: StoreError.self) { try store.update(IncidentID(number: 1)!) { _ in } }
        let problems = store.summaries().problems
        #expect(
            problems.map(\.message).contains { $0.contains("is a FIFO (named pipe)") },
            "\(problems.map(\.message))")
        try? FileManager.default.removeItem(atPath: store.root + "/config.json")
        #expect(mkfifo(store.root + "/config.json", 0o600) == 0)
        #expect(throws: StoreError.self) { try store.loadConfig() }
    }

    @Test func lockTimesOutWithAMessage() throws {
        let temp = TemporaryStore()
        var store = temp.store
        _ = try declare(store)
        store.lockTimeout = 0.3
        let fd = open(store.root + "/lock", O_RDWR)
        defer { close(fd) }
        #expect(flock(fd, LOCK_EX) == 0)
        let started = Date()
        #expect(throws: StoreError.self) { try store.update(IncidentID(number: 1)!) { _ in } }
        #expect(Date().timeIntervalSince(started) < 5)
        flock(fd, LOCK_UN)
        try store.update(IncidentID(number: 1)!) { incident in
            try incident.log("after the lock", context: clock.at(1))
        }
    }

    @Test func discoveryOrder() throws {
        let env = ["IRCTL_DIR": "/env/store", "HOME": "/home/u", "XDG_DATA_HOME": "/xdg"]
        let exists: (String) -> Bool = { $0 == "/repo/.irctl" }
        #expect(
            try StoreLocation.resolve(
                option: "rel", environment: env, workingDirectory: "/repo/a",
                directoryExists: exists)
                == StoreLocation(path: "/repo/a/rel", source: .option))
        #expect(
            try StoreLocation.resolve(
                option: nil, environment: env, workingDirectory: "/repo/a", directoryExists: exists
            ).source == .environment)
        #expect(
            try StoreLocation.resolve(
                option: nil, environment: ["HOME": "/home/u"], workingDirectory: "/repo/a/b",
                directoryExists: exists)
                == StoreLocation(path: "/repo/.irctl", source: .discovered))
        #expect(
            try StoreLocation.resolve(
                option: nil, environment: ["HOME": "/home/u", "XDG_DATA_HOME": "/xdg"],
                workingDirectory: "/elsewhere", directoryExists: exists)
                == StoreLocation(path: "/xdg/irctl", source: .userDefault))
        #expect(
            try StoreLocation.resolve(
                option: nil, environment: ["HOME": "/home/u"], workingDirectory: "/",
                directoryExists: { _ in false }
            ).path
                == "/home/u/.local/share/irctl")
    }

    @Test func configDecodesLenientlyAndRejectsDuplicates() throws {
        #expect(
            try JSONCoding.decoder().decode(StoreConfig.self, from: Data("{}".utf8))
                == StoreConfig())
        let custom = try JSONCoding.decoder().decode(
            StoreConfig.self,
            from: Data(
                (#"{"severities":[{"name":"SEV0","description":"all down"},"#
                    + #"{"name":"SEV1","description":"bad"}],"other":1}"#).utf8))
        #expect(custom.severityScheme.levels.map(\.name) == ["SEV0", "SEV1"])
        #expect(custom.unknownField("other") == .int(1))
        #expect(throws: DecodingError.self) {
            try JSONCoding.decoder().decode(
                StoreConfig.self,
                from: Data(
                    #"{"severities":[{"name":"A","description":""},{"name":"a","description":""}]}"#
                        .utf8))
        }
    }
}
