import Foundation
import IncidentKit

/// The run: options, the binary, and what has been measured so far.
final class Bench {
    let options: Options
    let binary: String
    var report: Report
    let errors = scratchFile("irctl.err")

    init(options: Options, binary: String) {
        self.options = options
        self.binary = binary
        report = Report(
            binary: binary, runs: options.runs, rounds: options.rounds,
            cores: ProcessInfo.processInfo.activeProcessorCount,
            loadBefore: loadAverage())
    }

    /// One irctl process in `directory` (its store is the `.irctl/` there), output to /dev/null.
    func irctl(_ arguments: [String], in directory: String, _ shape: Shape) -> Outcome {
        spawn(
            [binary] + arguments, cwd: directory, environment: environment(home: shape.home),
            timeout: options.timeout, stderr: errors)
    }

    func must(_ outcome: Outcome, _ what: String) {
        guard outcome.status == 0 else {
            fail("\(what) failed (exit \(outcome.status)):\n\(readText(errors))")
        }
    }

    /// Runs `arguments` `runs` times after one untimed warm-up, stopping at the first failure;
    /// `argumentsFor` may vary them per run.
    func measure(
        _ shape: Shape, _ label: String, budget: Double?, in directory: String,
        _ arguments: [String], argumentsFor: ((Int) -> [String])? = nil
    ) -> Row {
        var row = roundRow(shape, label, budget: budget)
        _ = irctl(arguments, in: directory, shape)
        for run in 0..<options.runs {
            let outcome = irctl(argumentsFor?(run) ?? arguments, in: directory, shape)
            guard outcome.status == 0 else {
                row.failure = outcome.status
                say("\(label) failed: \(readText(errors))")
                break
            }
            row.samples.append(outcome.ms)
        }
        return row
    }

    func callgrind(_ arguments: [String], in directory: String, _ shape: Shape) -> Int? {
        guard options.callgrind else { return nil }
        return instructions(
            [binary] + arguments, cwd: directory,
            environment: environment(home: shape.home),
            timeout: options.timeout)
    }

    func strace(_ argv: [String], in directory: String, _ shape: Shape) -> Syscalls? {
        guard options.strace else { return nil }
        return syscalls(
            argv, cwd: directory, environment: environment(home: shape.home),
            timeout: options.timeout)
    }

    func strace(irctl arguments: [String], in directory: String, _ shape: Shape) -> Syscalls? {
        strace([binary] + arguments, in: directory, shape)
    }

    /// A row whose samples come one per round, from a scenario that sets each run up.
    func roundRow(_ shape: Shape, _ label: String, budget: Double?) -> Row {
        Row(
            shape: shape.name, label: label, budgetMs: budget, budgetText: budgetText(budget),
            samples: [])
    }

    /// Adds a timed outcome to a round row, recording the first failure.
    func record(_ outcome: Outcome, into row: inout Row) {
        if outcome.status == 0 {
            row.samples.append(outcome.ms)
        } else if row.failure == nil {
            row.failure = outcome.status
            say("\(row.label) failed: \(readText(errors))")
        }
    }

    // MARK: budgets

    /// `list` of the open incidents: 20 ms at 2% open (10,000), 50 ms at 100,000; no figure is
    /// set for 10% open (1,000 rows), whose listing should cost what it prints.
    func listBudget(_ shape: Shape) -> Double? {
        if shape.incidents >= 100_000 { return 50 }
        return shape.open <= 2 ? 20 : nil
    }

    /// `list --all --json` and `stats`: 60 ms at 10,000; none set at 100,000.
    func wideBudget(_ shape: Shape) -> Double? { shape.incidents >= 100_000 ? nil : 60 }
}
