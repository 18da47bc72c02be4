// irctl-bench: builds a format-2 store of N incidents with M timeline entries each, written by two
// replicas (clones), then times commands through the irctl binary exactly as a user runs them (a
// new process each time, output to /dev/null), and prints min/median/max per command against the
// performance budgets in the README.
//
//   swift build -c release --static-swift-stdlib
//   .build/release/irctl-bench [--incidents 10000] [--entries 20] [--runs 21] [--binary PATH] [--store DIR]
//                              [--only core,pull,fresh,sync]
//
// Scenarios: `core` (every command's budget), `pull` (the first command after a `git pull` that
// changed k incidents, and the one after it), `fresh` (the first `list` in a fresh clone: no
// cache, no local state), `sync` (`irctl sync` with nothing to exchange, against a local bare
// remote; measured only when the binary has a `sync` command).
import Foundation
import Glibc
import IncidentKit

struct Options {
    var incidents = 10_000
    var entries = 20
    var runs = 21
    var binary: String?
    var store: String?
    var only: Set<String> = ["core", "pull", "fresh", "sync"]

    init(_ arguments: [String]) {
        var index = 0
        func next() -> String {
            index += 1
            guard index < arguments.count else { fail("option \(arguments[index - 1]) needs a value") }
            return arguments[index]
        }
        while index < arguments.count {
            switch arguments[index] {
            case "--incidents": incidents = number(next(), "--incidents")
            case "--entries": entries = number(next(), "--entries")
            case "--runs": runs = number(next(), "--runs")
            case "--binary": binary = next()
            case "--store": store = next()
            case "--only":
                only = Set(next().split(separator: ",").map(String.init))
                let unknown = only.subtracting(["core", "pull", "fresh", "sync"])
                if !unknown.isEmpty { fail("unknown scenario \(unknown.sorted().joined(separator: ", ")) (core, pull, fresh, sync)") }
            case "-h", "--help":
                print("usage: irctl-bench [--incidents N] [--entries M] [--runs R] [--binary PATH] [--store DIR] [--only core,pull,fresh,sync]")
                exit(0)
            default: fail("unknown option \(arguments[index])")
            }
            index += 1
        }
        guard entries >= 4 else { fail("--entries must be at least 4") }
    }
}

func number(_ text: String, _ option: String) -> Int {
    guard let value = Int(text), value > 0 else { fail("\(option) takes a positive number, not '\(text)'") }
    return value
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("irctl-bench: \(message)\n".utf8))
    exit(2)
}

func say(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

/// The two clones that wrote the store: the first opened every incident and wrote most of it; the
/// second worked on each one too (its entries name the first's as parents), and closed it.
let replicaA = "a1b2c3d4e5f60718"
let replicaB = "0f1e2d3c4b5a6978"
/// A third clone, whose work arrives by "git pull" in the `pull` scenario.
let replicaC = "c0ffee00c0ffee00"

/// Writes `bytes` as a new file that replaces `path` (temporary file and rename, no fsync), the way
/// `git checkout` and `git pull` replace files.
func put(_ path: String, _ bytes: [UInt8]) {
    let temporary = path + ".bench-tmp"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    guard fd >= 0 else { fail("could not create \(temporary): \(String(cString: strerror(errno)))") }
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
    let entries = incident.timeline.filter { $0.replica == replica }.sorted { $0.replicaSeq < $1.replicaSeq }
    return ReplicaFile(incident: incident.uid, replica: replica, entries: entries).encoded()
}

/// A uid that depends only on the incident's number, so the store is the same on every build.
func uid(_ n: Int) -> String {
    String(format: "%08x-b3c4-4d5e-8f60-%012lx", 0x1ac1_de00 &+ UInt32(truncatingIfNeeded: n / 1_000_000), n)
}

/// Writes the store directly (no fsync per file) so setup takes seconds, then builds the cache the
/// way irctl does (`irctl reindex`). Severities, phases and services vary like a real history;
/// the most recent 2% of incidents are open, the rest closed.
func buildStore(at root: String, incidents: Int, entries: Int, binary: String, environment: [String]) throws {
    let store = Store(root: root)
    try store.initialize()
    let start = Date(timeIntervalSince1970: 1_735_689_600)  // 2025-01-01
    let services = ["checkout", "search", "payments", "auth", "api", "web", "db", "queue"]
    let people = ["alice", "bob", "carol", "dave", "erin"]
    let phases: [Phase] = [.contain, .eradicate, .recover, .review]
    for n in 1...incidents {
        let detected = start.addingTimeInterval(Double(n) * 2_700)
        let context = EditContext(author: people[n % people.count], now: detected)
        let level = SeverityScheme.standard.levels[n % 4]
        var new = NewIncident(title: "Synthetic incident \(n): \(services[n % services.count]) errors", severity: level, phase: .declare)
        new.services = [services[n % services.count]]
        new.roles.commander = people[n % people.count]
        new.startedAt = detected.addingTimeInterval(-300)
        var incident = try Incident.open(new, id: IncidentID(number: n)!, uid: uid(n), context: context,
                                         severityRank: SeverityScheme.standard.rank(of: level.name))
        incident.adopt(writer: replicaA)  // as `irctl declare` on the first clone does
        let open = n > incidents * 98 / 100
        // Entries 3…M: of every 5, the 3rd and 5th by the second clone (8 of 20), the rest by the first.
        var moves = 0
        for e in incident.timeline.count..<entries {
            incident.writer = e % 5 == 2 || e % 5 == 4 ? replicaB : replicaA
            let later = EditContext(author: people[(n + e) % people.count], now: detected.addingTimeInterval(Double(e) * 60))
            if e == entries - 1, !open {
                try incident.close(force: true, context: later)
            } else if e % 4 == 3, moves < phases.count, !(open && phases[moves] == .review) {
                try incident.move(to: phases[moves], context: later)
                moves += 1
            } else {
                try incident.log("step \(e): checked dashboards, error rate \(e * 3 % 100)%", kind: e % 3 == 0 ? .action : .note,
                                 context: later)
            }
        }
        let directory = store.directory(of: incident.uid)
        guard mkdir(directory, 0o700) == 0 || errno == EEXIST else { fail("could not create \(directory)") }
        put(directory + "/" + replicaA + ".json", replicaBytes(incident, replicaA))
        put(directory + "/" + replicaB + ".json", replicaBytes(incident, replicaB))
        if n % 10_000 == 0 { say("  \(n) incidents written") }
    }
    // This clone is the first replica, and has handed out every number.
    try FileManager.default.createDirectory(atPath: root + "/local", withIntermediateDirectories: true,
                                            attributes: [.posixPermissions: 0o700])
    put(root + "/local/replica", Array((replicaA + "\n").utf8))
    put(root + "/local/state", Array("highest=\(incidents)\n".utf8))
    // The cache, built by irctl itself.
    let (_, status) = time(binary, ["reindex"], environment: environment)
    guard status == 0 else { fail("irctl reindex failed (exit \(status))") }
}

/// Runs one command and returns its wall time in milliseconds and its exit status.
func time(_ binary: String, _ arguments: [String], environment: [String]) -> (ms: Double, status: Int32) {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    let argv = ([binary] + arguments).map { strdup($0) } + [nil]
    let envp = environment.map { strdup($0) } + [nil]
    defer { (argv + envp).forEach { free($0) } }
    var begin = timespec(), end = timespec()
    clock_gettime(CLOCK_MONOTONIC, &begin)
    var pid = pid_t()
    guard posix_spawn(&pid, binary, &actions, nil, argv, envp) == 0 else { fail("could not start \(binary)") }
    var status: Int32 = 0
    waitpid(pid, &status, 0)
    clock_gettime(CLOCK_MONOTONIC, &end)
    let ms = Double(end.tv_sec - begin.tv_sec) * 1000 + Double(end.tv_nsec - begin.tv_nsec) / 1e6
    let exited = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    return (ms, exited)
}

/// Runs a shell command for setup (git), failing the benchmark if it fails.
/// Who git says made the benchmark's commits (its HOME has no git configuration).
let gitIdentity = ["GIT_AUTHOR_NAME=bench", "GIT_AUTHOR_EMAIL=bench@example.com",
                   "GIT_COMMITTER_NAME=bench", "GIT_COMMITTER_EMAIL=bench@example.com"]

func shell(_ command: String, in directory: String, environment: [String]) {
    let (_, status) = time("/bin/sh", ["-c", "cd '\(directory)' && " + command], environment: environment + gitIdentity)
    guard status == 0 else { fail("setup command failed (exit \(status)) in \(directory): \(command)") }
}

/// The whole run; its state is local, so nothing here is global.
func run(_ options: Options) -> Int32 {
    let binary = options.binary ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("irctl").path
    guard FileManager.default.isExecutableFile(atPath: binary) else { fail("no irctl binary at \(binary); build it or pass --binary") }
    let root = options.store ?? NSTemporaryDirectory() + "irctl-bench-\(getpid())"
    let environment = ["IRCTL_DIR=\(root)", "IRCTL_USER=bench", "TZ=UTC", "PATH=/usr/bin:/bin", "HOME=\(root)"]
    // A store is built once per size and reused (`--store`); the marker sits beside it.
    let marker = root + ".bench-\(options.incidents)x\(options.entries)"
    if !FileManager.default.fileExists(atPath: marker) {
        try? FileManager.default.removeItem(atPath: root)
        let started = Date()
        say("building a store of \(options.incidents) incidents × \(options.entries) entries (2 replicas) in \(root)…")
        do {
            try buildStore(at: root, incidents: options.incidents, entries: options.entries, binary: binary, environment: environment)
        } catch { fail("\(error)") }
        _ = FileManager.default.createFile(atPath: marker, contents: nil)
        say(String(format: "built in %.1fs", Date().timeIntervalSince(started)))
    }

    var rows: [String] = []
    var missed: [String] = []

    func row(_ label: String, budget: Double?, _ samples: [Double], note: String = "") {
        let sorted = samples.sorted()
        let median = sorted[sorted.count / 2]
        var verdict = note
        if let budget {
            let ok = median <= budget
            if !ok { missed.append(label) }
            verdict = (ok ? "ok" : "OVER") + (note.isEmpty ? "" : " · " + note)
        }
        let budgetText = budget.map { $0 >= 1000 ? String(format: "%g s", $0 / 1000) : "\(Int($0)) ms" } ?? "—"
        let line = String(format: "| `%@` | %@ | %.1f ms | %.1f ms | %.1f ms | %@ |", label, budgetText, sorted.first!, median, sorted.last!, verdict)
        rows.append(line)
        print(line)
    }

    func bytesOfFile(_ path: String) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else { fail("could not read \(path)") }
        return Array(data)
    }

    // Other work on the machine shows in every figure: say how busy it was.
    func load() -> String {
        (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)).map { $0.split(separator: " ").prefix(3).joined(separator: " ") } ?? "?"
    }
    let loadBefore = load()
    print("irctl-bench: \(options.incidents) incidents × \(options.entries) entries (2 replicas, 2% open), "
          + "\(options.runs) runs each, binary \(binary)\n")
    print("| command | budget | min | median | max | |")
    print("|---|---:|---:|---:|---:|---|")

    let middle = "INC-\(options.incidents / 2)"
    // `log` and `phase` go to the open incident with the fewest entries, so that runs on a reused
    // store don't time an incident grown by every earlier run's writes.
    let openID = Store(root: root).summaries(includeClosed: false).summaries
        .min { ($0.entryCount, $0.id.number) < ($1.entryCount, $1.id.number) }.map(\.id.description) ?? "INC-\(options.incidents)"

    // MARK: core — every command's budget

    if options.only.contains("core") {
        // The budgets are for 10,000 incidents; at 100,000 `list` has its own (200 ms), the
        // whole-store commands none, and commands on one incident the same.
        let listBudget: Double? = options.incidents >= 100_000 ? 200 : 20
        let wideBudget: Double? = options.incidents >= 100_000 ? nil : 60
        // (label, arguments, budget in ms)
        let cases: [(String, [String], Double?)] = [
            ("--version", ["--version"], 5),
            ("declare", ["declare", "Bench: checkout 5xx", "-s", "2", "--service", "checkout"], 15),
            ("log", ["log", openID, "bench note: error rate falling"], 15),
            ("phase", ["phase", openID, "contain", "--reason", "bench"], 15),
            ("show", ["show", middle], 15),
            ("show --json", ["show", middle, "--json"], 15),
            ("postmortem", ["postmortem", middle], 15),
            ("list", ["list"], listBudget),
            ("list -s SEV1", ["list", "-s", "SEV1"], listBudget),
            ("list --all --json", ["list", "--all", "--json"], wideBudget),
            ("stats", ["stats"], wideBudget),
        ]
        for (label, arguments, budget) in cases {
            var samples: [Double] = []
            var failure: Int32?
            _ = time(binary, arguments, environment: environment)  // warm the page cache
            for run in 0..<options.runs {
                // Phase moves alternate (back to contain, forward to recover) so every run is a real change.
                let args = label == "phase" ? (run % 2 == 0 ? ["phase", openID, "recover"] : arguments) : arguments
                let (ms, status) = time(binary, args, environment: environment)
                if status != 0 { failure = status; break }
                samples.append(ms)
            }
            if let failure {
                rows.append("| `\(label)` | \(budget.map { "\(Int($0)) ms" } ?? "—") | n/a | n/a | n/a | exit \(failure) |")
                print(rows.last!)
                missed.append(label)
                continue
            }
            row(label, budget: budget, samples)
        }
    }

    // MARK: pull — the first command after a `git pull` that changed k incidents

    if options.only.contains("pull") {
        // A third clone's note on k closed incidents arrives as git brings it: a new file in each
        // incident's directory. The first `list` reads those k incidents (and updates the cache); the
        // next one is back to the cached path.
        let store = Store(root: root)
        var round = 0
        for k in [10, 100, 1000] where k <= options.incidents / 2 {
            var firsts: [Double] = [], seconds: [Double] = []
            for _ in 0..<3 {
                round += 1
                let stride = max(1, (options.incidents * 9 / 10) / k)
                for i in 0..<k {
                    let n = 1 + (i * stride + round * 7) % (options.incidents * 9 / 10)
                    do {
                        var incident = try store.load(uid: uid(n))
                        incident.writer = replicaC
                        // `append`, not `log`: the incident is closed, and a note arrives on it all the same.
                    incident.append(.note, "pulled note \(round)", context: EditContext(author: "frank", now: Date()))
                        put(store.directory(of: incident.uid) + "/" + replicaC + ".json", replicaBytes(incident, replicaC))
                    } catch { fail("could not add a pulled entry to INC-\(n): \(error)") }
                }
                let first = time(binary, ["list"], environment: environment)
                let second = time(binary, ["list"], environment: environment)
                guard first.status == 0, second.status == 0 else { fail("list failed after a simulated pull") }
                firsts.append(first.ms)
                seconds.append(second.ms)
            }
            row("list, first after a pull changing \(k)", budget: nil, firsts, note: "O(k)")
            row("list, the next one (k = \(k))", budget: 20, seconds)
        }
    }

    // MARK: fresh — the first `list` in a fresh clone

    if options.only.contains("fresh") {
        // A clone has the incident files and nothing else: no cache, no local state.
        let saved = (replica: bytesOfFile(root + "/local/replica"), state: bytesOfFile(root + "/local/state"))
        var firsts: [Double] = [], seconds: [Double] = []
        for _ in 0..<3 {
            try? FileManager.default.removeItem(atPath: root + "/cache")
            try? FileManager.default.removeItem(atPath: root + "/local")
            let first = time(binary, ["list"], environment: environment)
            let second = time(binary, ["list"], environment: environment)
            guard first.status == 0, second.status == 0 else { fail("list failed in a fresh clone") }
            firsts.append(first.ms)
            seconds.append(second.ms)
        }
        row("list, first in a fresh clone", budget: 3000, firsts)
        row("list, the next one (fresh clone)", budget: 20, seconds)
        // Back to this clone's own state, so later runs write as the first replica.
        try? FileManager.default.createDirectory(atPath: root + "/local", withIntermediateDirectories: true,
                                                 attributes: [.posixPermissions: 0o700])
        put(root + "/local/replica", saved.replica)
        put(root + "/local/state", saved.state)
    }

    // MARK: sync — `irctl sync` with nothing to exchange

    if options.only.contains("sync") {
        // Measured only when the binary has the command: `irctl help sync` fails on one without it.
        if time(binary, ["help", "sync"], environment: environment).status != 0 {
            print("| `sync` (nothing to exchange) | 300 ms | — | — | — | not measured: this irctl has no `sync` command |")
            rows.append("sync: not measured")
        } else {
            // The store becomes a git work tree with a local bare remote holding the same commit.
            let remote = root + ".remote.git"
            if !FileManager.default.fileExists(atPath: remote) {
                say("making the store a git repository with a bare remote \(remote)…")
                shell("git init -q -b main . && git add -A . && git commit -q -m 'bench store' && git init -q --bare -b main '\(remote)'"
                      + " && git remote add origin '\(remote)' && git push -q -u origin main", in: root, environment: environment)
            }
            _ = time(binary, ["sync"], environment: environment + gitIdentity)  // settles anything pending
            var samples: [Double] = []
            var failure: Int32?
            for _ in 0..<options.runs {
                let (ms, status) = time(binary, ["sync"], environment: environment + gitIdentity)
                if status != 0 { failure = status; break }
                samples.append(ms)
            }
            if let failure {
                print("| `sync` (nothing to exchange) | 300 ms | n/a | n/a | n/a | exit \(failure) |")
                missed.append("sync")
            } else {
                row("sync (nothing to exchange)", budget: 300, samples)
            }
        }
    }

    print("\nstore: \(root); load average (1, 5, 15 min) \(loadBefore) before, \(load()) after, on \(ProcessInfo.processInfo.activeProcessorCount) cores")
    if !missed.isEmpty { print("over budget: \(missed.joined(separator: ", "))") }
    return missed.isEmpty ? 0 : 1

}

exit(run(Options(Array(CommandLine.arguments.dropFirst()))))
