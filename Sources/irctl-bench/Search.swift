import Foundation
import IncidentKit

extension Bench {
    // MARK: search — `irctl search`, and the similar line of `declare`

    /// `search` ≤ 30 ms at 10,000 incidents and ≤ 150 ms at 100,000 once its index is current;
    /// the first search after one `log` and after a `git pull` of 10 incidents, which re-read
    /// only those; and `declare` with and without the similar line, whose difference is the
    /// line's cost (≤ 5 ms).
    func search(_ shape: Shape) {
        let big = shape.incidents >= 100_000
        let budget: Double = big ? 150 : 30
        // The first search of a clone makes the index: timed once, no budget.
        var first = roundRow(shape, "search, first (makes the index)", budget: nil)
        // The index lives in the clone's git directory, where irctl keeps its cache.
        let gitDirectory = shape.bench + "/.git"
        for case let path as String in FileManager.default.enumerator(atPath: gitDirectory)
            ?? .init()
        where path.hasSuffix("/search-base") || path.hasSuffix("/search-delta")
            || path.hasSuffix("/search-state")
        {
            try? FileManager.default.removeItem(atPath: gitDirectory + "/" + path)
        }
        record(irctl(["search", "checkout", "errors"], in: shape.bench, shape), into: &first)
        report.add(first)
        let queries: [(String, [String])] = [
            ("search two words", ["search", "checkout", "errors"]),
            ("search \"phrase\" service:", ["search", "\"error rate\"", "service:payments"]),
            ("search prefix* -excluded", ["search", "dash*", "-auth"]),
            ("search a typo, --json", ["search", "dashbords", "--json"]),
        ]
        for (label, arguments) in queries {
            var row = measure(shape, label, budget: budget, in: shape.bench, arguments)
            row.instructions = callgrind(arguments, in: shape.bench, shape)
            report.add(row)
        }
        let open = openIncident(shape)
        var afterLog = roundRow(shape, "search, first after a log", budget: budget)
        for run in 0..<options.runs {
            must(
                irctl(
                    ["log", open, "bench note \(run): pgbouncer restarted"],
                    in: shape.bench, shape),
                "irctl log \(open)")
            record(irctl(["search", "pgbouncer"], in: shape.bench, shape), into: &afterLog)
        }
        report.add(afterLog)
        var afterPull = roundRow(shape, "search, first after git pull of 10", budget: 50 + 10)
        var round = Int.random(in: 2000..<3000)
        for _ in 0..<options.rounds {
            round += 1
            pushFromOther(shape, k: 10, round: round)
            git("git pull -q --no-rebase --no-edit", in: shape.bench, shape)
            record(
                irctl(["search", "pulled", "note", "round", "\(round)"], in: shape.bench, shape),
                into: &afterPull)
        }
        report.add(afterPull)
        settle(shape)
        // The similar line: the same declaration with it and without it.
        let declare = [
            "declare", "Bench: checkout errors after deploy", "-s", "2", "--service", "checkout",
        ]
        var with = measure(
            shape, "declare, with its similar line", budget: 15, in: shape.bench, declare)
        with.instructions = callgrind(declare, in: shape.bench, shape)
        var without = measure(
            shape, "declare --no-similar", budget: 15, in: shape.bench,
            declare + ["--no-similar"])
        without.instructions = callgrind(declare + ["--no-similar"], in: shape.bench, shape)
        report.add(with)
        report.add(without)
        // Instructions do not move with the machine's load, which a few milliseconds do.
        if let a = with.instructions, let b = without.instructions {
            report.notes.append(
                "\(shape.name): the similar line adds \(a - b) instructions to declare "
                    + "(\(a) against \(b); \(Int((Double(a - b) / Double(b) * 100).rounded()))%)")
        }
        if let a = median(with.samples), let b = median(without.samples) {
            report.notes.append(
                String(
                    format: "%@: the similar line adds %.1f ms to declare (median "
                        + "%.1f against %.1f; budget 5 ms)", shape.name, a - b, a, b))
        }
        settle(shape)
    }

    private func median(_ samples: [Double]) -> Double? {
        guard !samples.isEmpty else { return nil }
        return samples.sorted()[samples.count / 2]
    }
}
