import Foundation
import Glibc

/// Every scenario the benchmark knows, in the order it runs them.
let allScenarios = [
    "fresh", "core", "search", "sync", "pull", "send", "first-sync", "site", "task",
]

let usage = """
    usage: irctl-bench [options]

    Builds stores the way teams get them (generated, committed, pushed to a local bare remote,
    cloned with `git clone`, then `irctl init`), and times the irctl binary as a user runs it: a
    new process per run, output to /dev/null. Prints min / median / max per scenario against the
    project's performance budgets, with the load average before and after.

    Shape of the store (comma lists run every combination, one after the other):
      --incidents N[,N…]   incidents in the store (default 10000; e.g. 10000,100000)
      --entries M          timeline entries per incident, written by two replicas (default 20, ≥ 4)
      --open P[,P…]        percent of incidents open (default 2,10; 1…100)

    Runs:
      --runs R             timed runs per single command and per no-op sync (default 11)
      --rounds R           rounds of the scenarios that need setup per run: pulls, sends, fresh
                           clones (default 3)
      --k K[,K…]           incidents changed by a pull or a send (default 10,100,1000)
      --only S[,S…]        scenarios to run (default all): \(allScenarios.joined(separator: ", "))
                             fresh       first `list` and first `sync` in a fresh `git clone`
                             core        single commands (--version, declare, log, phase, show …)
                             search      `irctl search` (first, current, after a log, after a git
                                         pull of 10) and `declare` with and without its similar line
                             sync        `irctl sync` with nothing to exchange, after many syncs
                             pull        another clone pushes k changed incidents; `irctl sync` (and
                                         plain `git pull`) brings them, then `list`, then `list`
                             send        `irctl sync` that sends k changed incidents: `irctl log`
                                         on k open incidents (files written through IncidentKit
                                         when fewer than k are open; the row says which)
                             first-sync  the first `irctl sync` of a new store of N incidents
                             site        `irctl site build` into an empty folder, then again after
                                         one `irctl log` (only that incident is drawn again)
                             task        taskwarrior side by side (needs `task`: apt-get install
                                         taskwarrior), on a store with every incident open
      --task-incidents N   pending tasks and open incidents of `task` (default 10000)
      --timeout S          seconds any one command may take before it is killed (default 900)

    Load-independent figures (slow; each is one extra run, not timed):
      --callgrind          instructions (valgrind --tool=callgrind, total Ir) per single command,
                           and of task and irctl side by side (their ratio does not move with load)
      --strace             syscalls (strace -c -f: total calls and the top ones) of sync, list,
                           stats and the first list after a pull or in a fresh clone

    Where and what:
      --binary PATH        the irctl to time (default: `irctl` beside this executable)
      --store DIR          where stores, remotes and clones are kept between runs
                           (default /tmp/irctl-bench); rebuilt when absent or of another shape
      --json               print the results as JSON instead of the table
      --markdown           print the table as Markdown (for the README)
      -h, --help           this help
    """

struct Options {
    var incidents = [10_000]
    var entries = 20
    var open = [2, 10]
    var runs = 11
    var rounds = 3
    var ks = [10, 100, 1000]
    var only = Set(allScenarios)
    var taskIncidents = 10_000
    var timeout = 900.0
    var callgrind = false
    var strace = false
    var binary: String?
    var store = "/tmp/irctl-bench"
    var json = false
    var markdown = false

    init(_ arguments: [String]) {
        var index = 0
        func value() -> String {
            index += 1
            guard index < arguments.count else {
                fail("option \(arguments[index - 1]) needs a value")
            }
            return arguments[index]
        }
        while index < arguments.count {
            let option = arguments[index]
            switch option {
            case "--incidents": incidents = numbers(value(), option)
            case "--entries": entries = number(value(), option)
            case "--open": open = numbers(value(), option)
            case "--runs": runs = number(value(), option)
            case "--rounds": rounds = number(value(), option)
            case "--k": ks = numbers(value(), option)
            case "--task-incidents": taskIncidents = number(value(), option)
            case "--timeout": timeout = Double(number(value(), option))
            case "--only":
                only = Set(value().split(separator: ",").map(String.init))
                let unknown = only.subtracting(allScenarios)
                if !unknown.isEmpty || only.isEmpty {
                    fail(
                        "unknown scenario '\(unknown.sorted().joined(separator: ","))' for --only "
                            + "(known: \(allScenarios.joined(separator: ", ")))")
                }
            case "--callgrind": callgrind = true
            case "--strace": strace = true
            case "--binary": binary = value()
            case "--store": store = value()
            case "--json": json = true
            case "--markdown": markdown = true
            case "-h", "--help":
                print(usage)
                exit(0)
            default: fail("unknown option '\(option)'; see irctl-bench --help")
            }
            index += 1
        }
        guard entries >= 4 else { fail("--entries must be at least 4") }
        guard open.allSatisfy({ $0 <= 100 }) else { fail("--open takes percentages from 1 to 100") }
        guard !(json && markdown) else { fail("--json and --markdown exclude each other") }
        guard !store.isEmpty, store != "/" else { fail("--store needs a directory other than /") }
        if store.hasSuffix("/") { store.removeLast() }
    }
}

func number(_ text: String, _ option: String) -> Int {
    guard let value = Int(text), value > 0 else {
        fail("\(option) takes a positive number, not '\(text)'")
    }
    return value
}

func numbers(_ text: String, _ option: String) -> [Int] {
    let parts = text.split(separator: ",", omittingEmptySubsequences: false)
    guard !parts.isEmpty else { fail("\(option) needs a value") }
    return parts.map { number(String($0), option) }
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("irctl-bench: \(message)\n".utf8))
    exit(2)
}

/// Progress on stderr, so that stdout holds only the results.
func say(_ message: String) {
    FileHandle.standardError.write(Data(("irctl-bench: " + message + "\n").utf8))
}
