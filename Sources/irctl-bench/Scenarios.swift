import Foundation
import IncidentKit

extension Bench {
    // MARK: fresh — the first commands in a fresh `git clone`

    /// Each round clones the remote anew, runs `irctl init` (as the README says), then times the
    /// first `list` (no cache, no local state), the next one, the first `sync` (nothing to
    /// exchange) and the next one. The clone is removed after.
    func fresh(_ shape: Shape) {
        var first = roundRow(shape, "list, first in a fresh clone", budget: 3000)
        var next = roundRow(shape, "list, the next one (fresh clone)", budget: listBudget(shape))
        var firstSync = roundRow(shape, "sync, nothing to exchange, in a fresh clone", budget: 300)
        var nextSync = roundRow(shape, "sync, the next one (fresh clone)", budget: 300)
        let clone = shape.dir + "/fresh"
        func cloneAnew() {
            try? FileManager.default.removeItem(atPath: clone)
            git("git clone -q remote.git fresh", in: shape.dir, shape)
            must(irctl(["init"], in: clone, shape), "irctl init in a fresh clone")
        }
        for _ in 0..<options.rounds {
            cloneAnew()
            record(irctl(["list"], in: clone, shape), into: &first)
            record(irctl(["list"], in: clone, shape), into: &next)
            record(irctl(["sync"], in: clone, shape), into: &firstSync)
            record(irctl(["sync"], in: clone, shape), into: &nextSync)
        }
        if options.strace {
            cloneAnew()
            first.syscalls = strace(irctl: ["list"], in: clone, shape)
            next.syscalls = strace(irctl: ["list"], in: clone, shape)
            firstSync.syscalls = strace(irctl: ["sync"], in: clone, shape)
            nextSync.syscalls = strace(irctl: ["sync"], in: clone, shape)
        }
        try? FileManager.default.removeItem(atPath: clone)
        for measurement in [first, next, firstSync, nextSync] { report.add(measurement) }
    }

    // MARK: core — single commands in the benchmark clone

    /// The open incident with the fewest entries, so that reruns on a kept clone don't time an
    /// incident grown by every earlier run's writes.
    func openIncident(_ shape: Shape) -> String {
        Store(root: shape.bench + "/.irctl").summaries(includeClosed: false).summaries
            .min { ($0.entryCount, $0.id.number) < ($1.entryCount, $1.id.number) }
            .map(\.id.description) ?? "INC-\(shape.incidents)"
    }

    func core(_ shape: Shape) {
        let big = shape.incidents >= 100_000
        let open = openIncident(shape)
        let middle = "INC-\(shape.incidents / 2)"
        let one: Double = 15
        // (label, arguments, budget in ms, touches many files)
        let cases: [(String, [String], Double?, Bool)] = [
            ("--version", ["--version"], big ? nil : 5, false),
            (
                "declare", ["declare", "Bench: checkout 5xx", "-s", "2", "--service", "checkout"],
                one, false
            ),
            ("log (open incident)", ["log", open, "bench note: error rate falling"], one, false),
            ("phase (open incident)", ["phase", open, "contain", "--reason", "bench"], one, false),
            ("show", ["show", middle], one, false),
            ("show --json", ["show", middle, "--json"], one, false),
            ("postmortem", ["postmortem", middle], big ? nil : one, false),
            ("list", ["list"], listBudget(shape), true),
            ("list -s SEV1", ["list", "-s", "SEV1"], listBudget(shape), true),
            ("list --all --json", ["list", "--all", "--json"], wideBudget(shape), true),
            ("stats", ["stats"], wideBudget(shape), true),
        ]
        for (label, arguments, budget, many) in cases {
            // Phase moves alternate (forward to recover, back to contain) so each run is a change.
            let argumentsFor = { (run: Int) -> [String] in
                label.hasPrefix("phase") && run % 2 == 0 ? ["phase", open, "recover"] : arguments
            }
            var row = measure(
                shape, label, budget: budget, in: shape.bench, arguments,
                argumentsFor: argumentsFor)
            // The run after the last timed one, so a phase move is still a change.
            row.instructions = callgrind(argumentsFor(options.runs), in: shape.bench, shape)
            if many || label == "log (open incident)" {
                row.syscalls = strace(irctl: arguments, in: shape.bench, shape)
            }
            report.add(row)
        }
        settle(shape)
    }

    // MARK: sync — nothing to exchange, after many syncs

    func noOpSync(_ shape: Shape) {
        for _ in 0..<3 { settle(shape) }
        var row = measure(
            shape, "sync, nothing to exchange, after many syncs", budget: 300,
            in: shape.bench, ["sync"])
        row.syscalls = strace(irctl: ["sync"], in: shape.bench, shape)
        report.add(row)
    }

    // MARK: pull — another clone pushes k changed incidents; this clone brings them

    /// The other clone catches up (plain `git pull`), adds a note to k incidents in new files of a
    /// new replica, commits and pushes.
    func pushFromOther(_ shape: Shape, k: Int, round: Int) {
        git("git pull -q --no-rebase --no-edit", in: shape.other, shape)
        writeNotes(
            store: shape.other + "/.irctl",
            numbers: changed(k, of: shape.incidents, round: round),
            text: "pulled note, round \(round)")
        git(
            "git add -A .irctl && git commit -q -m 'Notes on \(k) incidents' && git push -q",
            in: shape.other, shape)
    }

    func pull(_ shape: Shape) {
        var round = Int.random(in: 0..<1000)
        for k in options.ks {
            for viaGit in [false, true] {
                let how = viaGit ? "git pull" : "sync"
                var bring = roundRow(
                    shape,
                    viaGit
                        ? "git pull bringing \(k) (hooks run)"
                        : "sync bringing \(k)",
                    budget: viaGit ? nil : 300 + 5 * Double(k))
                var first = roundRow(
                    shape, "list, first after \(how) of \(k)",
                    budget: 50 + Double(k))
                var next = roundRow(
                    shape, "list, the next one (\(how) of \(k))",
                    budget: listBudget(shape))
                let bringCommand =
                    viaGit
                    ? ["git", "pull", "-q", "--no-rebase", "--no-edit"]
                    : [binary, "sync"]
                for _ in 0..<options.rounds {
                    round += 1
                    pushFromOther(shape, k: k, round: round)
                    let brought = spawn(
                        bringCommand, cwd: shape.bench,
                        environment: environment(home: shape.home),
                        timeout: options.timeout, stderr: errors)
                    record(brought, into: &bring)
                    record(irctl(["list"], in: shape.bench, shape), into: &first)
                    record(irctl(["list"], in: shape.bench, shape), into: &next)
                }
                if options.strace {
                    round += 1
                    pushFromOther(shape, k: k, round: round)
                    bring.syscalls = strace(bringCommand, in: shape.bench, shape)
                    first.syscalls = strace(irctl: ["list"], in: shape.bench, shape)
                }
                for measurement in [bring, first, next] { report.add(measurement) }
                if viaGit { settle(shape) }  // the merge commit git pull made goes back out
            }
        }
    }

    // MARK: send — `irctl sync` that sends k changed incidents

    /// This clone's own work on k incidents, then one timed `irctl sync` sends it. The work is
    /// what a user does: `irctl log` on k open incidents (new segments of this clone's replica).
    /// When the store has fewer than k open incidents (k = 1000 at 2% open), the notes are
    /// written through IncidentKit into new files of a new replica instead, and the row says
    /// so: such a sync measured faster than one after `irctl log` (1.0 s against 2.1 s for 10).
    func send(_ shape: Shape) {
        var round = Int.random(in: 1000..<2000)
        let open = (1...shape.incidents).filter {
            isOpen($0, of: shape.incidents, percent: shape.open)
        }
        for k in options.ks {
            let logged = k <= open.count
            let how = logged ? " (irctl log)" : " (written files)"
            var row = roundRow(shape, "sync sending \(k)" + how, budget: 300 + 5 * Double(k))
            func work() {
                round += 1
                if logged {
                    for i in 0..<k {
                        let n = open[(i + round * 7) % open.count]
                        let note = ["log", "INC-\(n)", "sent note, round \(round)"]
                        must(irctl(note, in: shape.bench, shape), "irctl log INC-\(n)")
                    }
                } else {
                    writeNotes(
                        store: shape.bench + "/.irctl",
                        numbers: changed(k, of: shape.incidents, round: round),
                        text: "sent note, round \(round)")
                }
            }
            for _ in 0..<options.rounds {
                work()
                record(irctl(["sync"], in: shape.bench, shape), into: &row)
            }
            if options.strace {
                work()
                row.syscalls = strace(irctl: ["sync"], in: shape.bench, shape)
            }
            report.add(row)
        }
    }

    // MARK: first-sync — the first commit of a whole store

    /// A new repository holding the generated store, never committed, with an empty bare remote:
    /// `irctl init`, then one timed `irctl sync` that must commit and push every incident.
    func firstSync(_ shape: Shape) {
        var row = roundRow(
            shape, "sync, first commit of \(shape.incidents) new incidents",
            budget: nil)
        let directory = shape.dir + "/first"
        func setUp() {
            try? FileManager.default.removeItem(atPath: directory)
            try? FileManager.default.createDirectory(
                atPath: directory,
                withIntermediateDirectories: true)
            git(
                "git init -q -b main work && cp -a '\(shape.gen)/.irctl' work/.irctl && "
                    + "git init -q --bare -b main first.git && "
                    + "git -C work remote add origin ../first.git",
                in: directory, shape)
            must(irctl(["init"], in: directory + "/work", shape), "irctl init in a new repository")
        }
        setUp()
        record(irctl(["sync"], in: directory + "/work", shape), into: &row)
        // It worked only if the remote has every incident.
        let count = scratchFile("count")
        git(
            "git -C first.git ls-tree -d --name-only main:.irctl/incidents | wc -l > '\(count)'",
            in: directory, shape)
        let pushed = Int(readText(count).trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        if row.failure == nil, pushed != shape.incidents {
            row.failure = -1
            report.notes.append("first sync pushed \(pushed) of \(shape.incidents) incidents")
        }
        if options.strace {
            setUp()
            row.syscalls = strace(irctl: ["sync"], in: directory + "/work", shape)
        }
        try? FileManager.default.removeItem(atPath: directory)
        report.add(row)
    }
}

extension Bench {
    // MARK: site — the static site of the whole store

    /// Each round builds the site into an empty folder (every incident read and drawn: budget
    /// 10 s), then records one note on an open incident and builds again into the same folder
    /// (only that incident is read again and the site-wide pages redrawn: budget 1 s).
    func site(_ shape: Shape) {
        var full = roundRow(shape, "site build, every page", budget: 10_000)
        var again = roundRow(shape, "site build after one change", budget: 1_000)
        let output = shape.dir + "/site-out"
        let open = openIncident(shape)
        for round in 0..<options.rounds {
            try? FileManager.default.removeItem(atPath: output)
            record(irctl(["site", "build", output], in: shape.bench, shape), into: &full)
            must(
                irctl(["log", open, "bench: site round \(round)"], in: shape.bench, shape),
                "irctl log before the incremental site build")
            record(irctl(["site", "build", output], in: shape.bench, shape), into: &again)
        }
        try? FileManager.default.removeItem(atPath: output)
        for measurement in [full, again] { report.add(measurement) }
    }
}
