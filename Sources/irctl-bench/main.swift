// irctl-bench: times the release irctl binary as a user runs it (a new process per run, output to
// /dev/null) on stores built the way teams get them: generated through IncidentKit, committed,
// pushed to a local bare remote and cloned with `git clone` (then `irctl init`); pulls are real
// commits another clone pushed. Prints min / median / max against the project's performance
// budgets, with callgrind instruction counts and strace syscall counts beside them on request, and
// taskwarrior doing the same work side by side. `irctl-bench --help` lists every option.
//
//   swift build -c release --static-swift-stdlib --product irctl
//   swift build -c release --static-swift-stdlib --product irctl-bench
//   .build/release/irctl-bench --runs 11 --callgrind --strace
//   .build/release/irctl-bench --incidents 100000 --open 2 --only core,fresh,sync,pull
import Foundation
import Glibc

let options = Options(Array(CommandLine.arguments.dropFirst()))
let here = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
let binary =
    options.binary.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
    ?? here.appendingPathComponent("irctl").standardizedFileURL.path
guard FileManager.default.isExecutableFile(atPath: binary) else {
    fail(
        "no irctl binary at \(binary); build it (swift build -c release --static-swift-stdlib "
            + "--product irctl) or pass --binary")
}
guard isInstalled("git") else { fail("git is not installed") }
if options.callgrind, !isInstalled("valgrind") {
    fail("--callgrind needs valgrind: apt-get install -y valgrind")
}
if options.strace, !isInstalled("strace") {
    fail("--strace needs strace: apt-get install -y strace")
}
do {
    try FileManager.default.createDirectory(
        atPath: options.store,
        withIntermediateDirectories: true)
} catch { fail("could not create --store \(options.store): \(error)") }

let bench = Bench(options: options, binary: binary)
for incidents in options.incidents {
    for open in options.open {
        let shape = Shape(
            incidents: incidents, entries: options.entries, open: open,
            base: options.store)
        let steps: [(String, (Shape) -> Void)] = [
            ("fresh", bench.fresh), ("core", bench.core), ("search", bench.search),
            ("sync", bench.noOpSync),
            ("pull", bench.pull), ("send", bench.send), ("first-sync", bench.firstSync),
            ("site", bench.site),
        ]
        guard steps.contains(where: { options.only.contains($0.0) }) else { continue }
        bench.prepare(shape)
        for (name, step) in steps where options.only.contains(name) {
            say("\(shape.name): \(name)…")
            step(shape)
        }
    }
}
if options.only.contains("task") {
    say("taskwarrior side by side…")
    bench.taskwarrior()
}
bench.report.loadAfter = loadAverage()
cleanUp()
if options.json {
    print(renderJSON(bench.report), terminator: "")
} else {
    print(render(bench.report, markdown: options.markdown), terminator: "")
}
exit(bench.report.over.isEmpty ? 0 : 1)
