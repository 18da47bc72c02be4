import Foundation
import Glibc
import IncidentKit

/// The two clones that wrote the store: the first opened every incident and wrote most of it; the
/// second worked on each one too (its entries name the first's as parents), and closed it.
let replicaA = "a1b2c3d4e5f60718"
let replicaB = "0f1e2d3c4b5a6978"

/// A new replica id (16 hex digits), for the entries of one round of a pull or a send: each
/// round writes new files, as a clone's new segment does, and never rewrites one git has seen.
func newReplica() -> String {
    String(format: "%016llx", UInt64.random(in: 1...UInt64.max))
}

/// Writes `bytes` as a new file that replaces `path` (temporary file and rename, no fsync), the
/// way `git checkout` and `git pull` replace files.
func put(_ path: String, _ bytes: [UInt8]) {
    let temporary = path + ".bench-tmp"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard fd >= 0 else {
        fail("could not create \(temporary): \(String(cString: strerror(errno)))")
    }
    var written = 0
    while written < bytes.count {
        let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, $0.count - written) }
        guard n > 0 else { fail("could not write \(temporary)") }
        written += n
    }
    close(fd)
    guard rename(temporary, path) == 0 else { fail("could not rename \(temporary)") }
}

/// The file of `replica` for `incident`: its entries in chain order, encoded by irctl's own code.
func replicaBytes(_ incident: Incident, _ replica: String) -> [UInt8] {
    let entries = incident.timeline.filter { $0.replica == replica }
        .sorted { $0.replicaSeq < $1.replicaSeq }
    return ReplicaFile(incident: incident.uid, replica: replica, entries: entries).encoded()
}

/// A uid that depends only on the incident's number, so the store is the same on every build.
func uid(_ n: Int) -> String {
    String(
        format: "%08x-b3c4-4d5e-8f60-%012lx",
        0x1ac1_de00 &+ UInt32(truncatingIfNeeded: n / 1_000_000), n)
}

/// Whether incident `n` of `incidents` is open in a store with `percent` open: the most recent.
func isOpen(_ n: Int, of incidents: Int, percent: Int) -> Bool {
    n > incidents * (100 - percent) / 100
}

/// Writes the store of a generator repository directly (no fsync per file, no irctl process per
/// incident) so setup takes seconds. Severities (SEV1…SEV4 in turn, so a quarter are SEV1),
/// phases and services vary like a real history; the most recent `openPercent` are open.
func generateStore(at root: String, incidents: Int, entries: Int, openPercent: Int) throws {
    let store = Store(root: root)
    _ = try store.initialize()
    let start = Date(timeIntervalSince1970: 1_735_689_600)  // 2025-01-01
    let services = ["checkout", "search", "payments", "auth", "api", "web", "db", "queue"]
    let people = ["alice", "bob", "carol", "dave", "erin"]
    let phases: [Phase] = [.contain, .eradicate, .recover, .review]
    for n in 1...incidents {
        let detected = start.addingTimeInterval(Double(n) * 2_700)
        let context = EditContext(author: people[n % people.count], now: detected)
        let level = SeverityScheme.standard.levels[n % 4]
        let service = services[n % services.count]
        var new = NewIncident(
            title: "Synthetic incident \(n): \(service) errors", severity: level,
            phase: .declare)
        new.services = [service]
        new.roles.commander = people[n % people.count]
        new.startedAt = detected.addingTimeInterval(-300)
        var incident = try Incident.open(
            new, id: IncidentID(number: n)!, uid: uid(n),
            context: context,
            severityRank: SeverityScheme.standard.rank(of: level.name))
        incident.adopt(writer: replicaA)  // as `irctl declare` on the first clone does
        let open = isOpen(n, of: incidents, percent: openPercent)
        // Entries 3…M: of every 5, the 3rd and 5th by the second clone (8 of 20), the rest by
        // the first.
        var moves = 0
        for e in incident.timeline.count..<entries {
            incident = incident.writing(as: e % 5 == 2 || e % 5 == 4 ? replicaB : replicaA)
            let later = EditContext(
                author: people[(n + e) % people.count],
                now: detected.addingTimeInterval(Double(e) * 60))
            if e == entries - 1, !open {
                try incident.close(force: true, context: later)
            } else if e % 4 == 3, moves < phases.count, !(open && phases[moves] == .review) {
                try incident.move(to: phases[moves], context: later)
                moves += 1
            } else {
                try incident.log(
                    "step \(e): checked dashboards, error rate \(e * 3 % 100)%",
                    kind: e % 3 == 0 ? .action : .note, context: later)
            }
        }
        let directory = store.directory(of: incident.uid)
        guard mkdir(directory, 0o755) == 0 || errno == EEXIST else {
            fail("could not create \(directory)")
        }
        put(directory + "/" + replicaA + ".json", replicaBytes(incident, replicaA))
        put(directory + "/" + replicaB + ".json", replicaBytes(incident, replicaB))
        if n % 10_000 == 0 { say("  \(n) incidents written") }
    }
}

/// Which incidents a pull or send of `k` changes in round `round`: spread over the store, a
/// different set each round.
func changed(_ k: Int, of incidents: Int, round: Int) -> [Int] {
    let k = min(k, incidents)
    let stride = max(1, incidents / k)
    var seen = Set<Int>()
    return (0..<k).compactMap { i in
        let n = 1 + (i * stride + round * 7) % incidents
        return seen.insert(n).inserted ? n : nil
    }
}

/// Another clone's work on `numbers`: one note on each, by a new replica, in new files of the
/// store at `root` (read through irctl's own code, so parents and hashes are real).
func writeNotes(store root: String, numbers: [Int], text: String) {
    let store = Store(root: root)
    let replica = newReplica()
    for n in numbers {
        do {
            var incident = try store.load(uid: uid(n)).writing(as: replica)
            // `append`, not `log`: most incidents are closed, and a note arrives on them all the
            // same.
            incident.append(.note, text, context: EditContext(author: "frank", now: Date()))
            put(
                store.directory(of: incident.uid) + "/" + replica + ".json",
                replicaBytes(incident, replica))
        } catch { fail("could not add an entry to INC-\(n) in \(root): \(error)") }
    }
}
