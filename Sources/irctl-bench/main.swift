// irctl-bench: builds a store of N incidents with M timeline entries each, then times commands
// through the irctl binary exactly as a user runs them (a new process each time), and prints
// min/median per command against the performance budgets in the README.
//
//   swift build -c release --static-swift-stdlib
//   .build/release/irctl-bench [--incidents 10000] [--entries 20] [--runs 21] [--binary PATH] [--store DIR]
import Foundation
import Glibc
import IncidentKit

struct Options {
    var incidents = 10_000
    var entries = 20
    var runs = 21
    var binary: String?
    var store: String?

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
            case "-h", "--help":
                print("usage: irctl-bench [--incidents N] [--entries M] [--runs R] [--binary PATH] [--store DIR]")
                exit(0)
            default: fail("unknown option \(arguments[index])")
            }
            index += 1
        }
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

/// Writes the store directly (no fsync per file) so setup takes seconds, then builds the index
/// the way irctl does. Severities, phases and services vary like a real history: most closed.
func buildStore(at root: String, incidents: Int, entries: Int) throws {
    let store = Store(root: root)
    try store.initialize()
    let encoder = JSONCoding.encoder()  // exactly the bytes irctl writes
    let start = Date(timeIntervalSince1970: 1_735_689_600)  // 2025-01-01
    let services = ["checkout", "search", "payments", "auth", "api", "web", "db", "queue"]
    let people = ["alice", "bob", "carol", "dave", "erin"]
    for n in 1...incidents {
        let detected = start.addingTimeInterval(Double(n) * 2_700)
        let context = EditContext(author: people[n % people.count], now: detected)
        var new = NewIncident(title: "Synthetic incident \(n): \(services[n % services.count]) errors",
                              severity: SeverityScheme.standard.levels[n % 4], phase: .declare)
        new.services = [services[n % services.count]]
        new.roles.commander = people[n % people.count]
        new.startedAt = detected.addingTimeInterval(-300)
        var incident = try Incident.open(new, id: IncidentID(number: n)!, uid: UUID().uuidString.lowercased(), context: context)
        let phases: [Phase] = [.contain, .eradicate, .recover, .review]
        for e in 0..<max(0, entries - 2) {
            let later = EditContext(author: people[(n + e) % people.count], now: detected.addingTimeInterval(Double(e + 1) * 60))
            if e % 4 == 3, e / 4 < phases.count {
                try incident.move(to: phases[e / 4], context: later)
            } else {
                try incident.log("step \(e): checked dashboards, error rate \(e * 3 % 100)%", kind: e % 3 == 0 ? .action : .note, context: later)
            }
        }
        // Keep the most recent 2% open, the rest closed, as in a real store.
        if n <= incidents * 98 / 100 {
            try incident.close(force: true, context: EditContext(author: "alice", now: detected.addingTimeInterval(Double(entries) * 60)))
        }
        let data = try encoder.encode(incident) + Data([0x0A])
        guard FileManager.default.createFile(atPath: store.path(of: incident.id), contents: data,
                                             attributes: [.posixPermissions: 0o600]) else {
            fail("could not write \(store.path(of: incident.id))")
        }
    }
    _ = try store.reindex()
}

/// Runs one command and returns its wall time in milliseconds, or nil if it failed.
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

let options = Options(Array(CommandLine.arguments.dropFirst()))
let binary = options.binary ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("irctl").path
guard FileManager.default.isExecutableFile(atPath: binary) else { fail("no irctl binary at \(binary); build it or pass --binary") }
let root = options.store ?? NSTemporaryDirectory() + "irctl-bench-\(getpid())"
if !FileManager.default.fileExists(atPath: root + "/incidents/INC-\(options.incidents).json") {
    let started = Date()
    FileHandle.standardError.write(Data("building a store of \(options.incidents) incidents × \(options.entries) entries in \(root)…\n".utf8))
    do { try buildStore(at: root, incidents: options.incidents, entries: options.entries) } catch { fail("\(error)") }
    FileHandle.standardError.write(Data(String(format: "built in %.1fs\n", Date().timeIntervalSince(started)).utf8))
}
let environment = ["IRCTL_DIR=\(root)", "IRCTL_USER=bench", "TZ=UTC", "PATH=/usr/bin:/bin", "HOME=\(root)"]
let middle = "INC-\(options.incidents / 2)"
let open = "INC-\(options.incidents)"

// (label, arguments, budget in ms)
let cases: [(String, [String], Double)] = [
    ("--version", ["--version"], 5),
    ("declare", ["declare", "Bench: checkout 5xx", "-s", "2", "--service", "checkout"], 15),
    ("log", ["log", open, "bench note: error rate falling"], 15),
    ("phase (contain)", ["phase", open, "contain", "--reason", "bench"], 15),
    ("list", ["list"], 30),
    ("list -s SEV1", ["list", "-s", "SEV1"], 30),
    ("list --all --json", ["list", "--all", "--json"], 0),
    ("show", ["show", middle], 15),
    ("show --json", ["show", middle, "--json"], 15),
    ("postmortem", ["postmortem", middle], 15),
    ("stats", ["stats"], 100),
]

print("irctl-bench: \(options.incidents) incidents × \(options.entries) entries, \(options.runs) runs each, binary \(binary)\n")
print("| command | budget | min | median | max | |")
print("|---|---:|---:|---:|---:|---|")
var missed = 0
for (label, arguments, budget) in cases {
    var samples: [Double] = []
    var failure: Int32?
    _ = time(binary, arguments, environment: environment)  // warm the page cache
    for _ in 0..<options.runs {
        // Phase moves alternate so every run is a real change.
        var args = arguments
        if label.hasPrefix("phase") { args[2] = samples.count % 2 == 0 ? "contain" : "recover"; if args[2] == "recover" { args = Array(args.prefix(3)) } }
        let (ms, status) = time(binary, args, environment: environment)
        if status != 0 && !label.hasPrefix("phase") { failure = status; break }
        samples.append(ms)
    }
    if let failure {
        print("| `\(label)` | \(budget > 0 ? "\(Int(budget)) ms" : "—") | n/a | n/a | n/a | exit \(failure) |")
        continue
    }
    samples.sort()
    let median = samples[samples.count / 2]
    let verdict = budget == 0 ? "" : (median <= budget ? "ok" : "OVER")
    if verdict == "OVER" { missed += 1 }
    print(String(format: "| `%@` | %@ | %.1f ms | %.1f ms | %.1f ms | %@ |", label, budget > 0 ? "\(Int(budget)) ms" : "—",
                 samples.first!, median, samples.last!, verdict))
}
print("\nstore: \(root)")
exit(missed == 0 ? 0 : 1)
