import Foundation

/// One timed scenario: its samples, its budget, and the load-independent figures beside it.
struct Row: Encodable {
    var shape: String
    var label: String
    var budgetMs: Double?
    var budgetText: String
    var samples: [Double]
    var failure: Int32?
    var instructions: Int?
    var syscalls: Syscalls?

    var sorted: [Double] { samples.sorted() }
    var median: Double? { samples.isEmpty ? nil : sorted[samples.count / 2] }
    var met: Bool? {
        if failure != nil { return false }
        guard let budgetMs, let median else { return nil }
        return median <= budgetMs
    }
    var verdict: String {
        if let failure { return "FAILED (exit \(failure))" }
        return met.map { $0 ? "met" : "OVER" } ?? "—"
    }

    enum CodingKeys: String, CodingKey {
        case shape, label, budgetMs, budgetText, samples, failure, instructions, syscalls
        case minMs, medianMs, maxMs, verdict
    }

    /// The samples and the figures drawn from them, so a reader of `--json` need not recompute.
    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(shape, forKey: .shape)
        try c.encode(label, forKey: .label)
        try c.encodeIfPresent(budgetMs, forKey: .budgetMs)
        try c.encode(budgetText, forKey: .budgetText)
        try c.encode(samples, forKey: .samples)
        try c.encodeIfPresent(failure, forKey: .failure)
        try c.encodeIfPresent(instructions, forKey: .instructions)
        try c.encodeIfPresent(syscalls, forKey: .syscalls)
        try c.encodeIfPresent(sorted.first, forKey: .minMs)
        try c.encodeIfPresent(median, forKey: .medianMs)
        try c.encodeIfPresent(sorted.last, forKey: .maxMs)
        try c.encode(verdict, forKey: .verdict)
    }
}

/// One piece of work done by taskwarrior and by irctl, side by side.
struct Versus: Encodable {
    var work: String
    var task: String
    var irctl: String
    var taskSamples: [Double]
    var irctlSamples: [Double]
    var budgetRatio: Double?
    var failure: String?
    var taskInstructions: Int? = nil
    var irctlInstructions: Int? = nil

    /// The same ratio in instructions (callgrind), which load does not move.
    var instructionRatio: Double? {
        guard let taskInstructions, let irctlInstructions, taskInstructions > 0 else { return nil }
        return Double(irctlInstructions) / Double(taskInstructions)
    }

    static func median(_ xs: [Double]) -> Double { xs.sorted()[xs.count / 2] }
    var ratio: Double? {
        guard failure == nil, !taskSamples.isEmpty, !irctlSamples.isEmpty else { return nil }
        return Versus.median(irctlSamples) / Versus.median(taskSamples)
    }
    var verdict: String {
        if let failure { return "FAILED (\(failure))" }
        guard let budgetRatio, let ratio else { return "—" }
        return ratio <= budgetRatio ? "met" : "OVER"
    }

    enum CodingKeys: String, CodingKey {
        case work, task, irctl, taskSamples, irctlSamples, budgetRatio, failure
        case taskMedianMs, irctlMedianMs, ratio, verdict
        case taskInstructions, irctlInstructions, instructionRatio
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(work, forKey: .work)
        try c.encode(task, forKey: .task)
        try c.encode(irctl, forKey: .irctl)
        try c.encode(taskSamples, forKey: .taskSamples)
        try c.encode(irctlSamples, forKey: .irctlSamples)
        try c.encodeIfPresent(budgetRatio, forKey: .budgetRatio)
        try c.encodeIfPresent(failure, forKey: .failure)
        if !taskSamples.isEmpty { try c.encode(Versus.median(taskSamples), forKey: .taskMedianMs) }
        if !irctlSamples.isEmpty {
            try c.encode(Versus.median(irctlSamples), forKey: .irctlMedianMs)
        }
        try c.encodeIfPresent(ratio, forKey: .ratio)
        try c.encodeIfPresent(taskInstructions, forKey: .taskInstructions)
        try c.encodeIfPresent(irctlInstructions, forKey: .irctlInstructions)
        try c.encodeIfPresent(instructionRatio, forKey: .instructionRatio)
        try c.encode(verdict, forKey: .verdict)
    }
}

/// Everything one invocation measured.
struct Report: Encodable {
    var binary: String
    var runs: Int
    var rounds: Int
    var cores: Int
    var loadBefore: String
    var loadAfter = ""
    var rows: [Row] = []
    var versus: [Versus] = []
    var notes: [String] = []

    var over: [String] {
        rows.filter { $0.met == false }.map { "\($0.shape): \($0.label)" }
            + versus.filter { $0.verdict != "met" && $0.verdict != "—" }.map { "task: \($0.work)" }
    }

    mutating func add(_ row: Row) {
        rows.append(row)
        let median = row.median.map { ms($0) } ?? "n/a"
        say(
            "\(row.shape) · \(row.label): median \(median), budget \(row.budgetText): "
                + row.verdict)
    }
}

func ms(_ value: Double) -> String {
    value >= 10_000 ? String(format: "%.1f s", value / 1000) : String(format: "%.1f ms", value)
}

func budgetText(_ ms: Double?) -> String {
    guard let ms else { return "—" }
    return ms >= 1000 ? String(format: "%g s", ms / 1000) : String(format: "%g ms", ms)
}

func grouped(_ n: Int) -> String {
    let digits = Array(String(n))
    var out = ""
    for (i, d) in digits.enumerated() {
        if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
        out.append(d)
    }
    return out
}

func instructionsText(_ n: Int?) -> String {
    guard let n else { return "" }
    return n >= 10_000_000
        ? String(format: "%.0f M", Double(n) / 1e6)
        : String(format: "%.2f M", Double(n) / 1e6)
}

/// The tables: padded columns for a terminal, or Markdown for the README.
func render(_ report: Report, markdown: Bool) -> String {
    var out =
        "irctl-bench · \(report.binary) · \(report.runs) runs per command, "
        + "\(report.rounds) rounds per pull/send/fresh clone · \(report.cores) cores\n"
    out += "load average (1, 5, 15 min): \(report.loadBefore) before, \(report.loadAfter) after\n\n"
    let header = [
        "shape", "scenario", "budget", "min", "median", "max", "Ir (callgrind)",
        "syscalls (strace -c -f)", "verdict",
    ]
    let body = report.rows.map { row -> [String] in
        let s = row.sorted
        return [
            row.shape, row.label, row.budgetText, s.first.map(ms) ?? "n/a",
            row.median.map(ms) ?? "n/a", s.last.map(ms) ?? "n/a",
            instructionsText(row.instructions), row.syscalls?.text ?? "", row.verdict,
        ]
    }
    out += table(header, body, markdown: markdown, right: [2, 3, 4, 5, 6])
    if !report.versus.isEmpty {
        out += "\ntaskwarrior side by side (medians, the same runs interleaved):\n\n"
        let header = [
            "work", "taskwarrior", "irctl", "task median", "irctl median",
            "irctl / task", "budget", "verdict", "task Ir", "irctl Ir", "Ir ratio",
        ]
        let body = report.versus.map { v -> [String] in
            [
                v.work, markdown ? "`\(v.task)`" : v.task, markdown ? "`\(v.irctl)`" : v.irctl,
                v.taskSamples.isEmpty ? "n/a" : ms(Versus.median(v.taskSamples)),
                v.irctlSamples.isEmpty ? "n/a" : ms(Versus.median(v.irctlSamples)),
                v.ratio.map { String(format: "%.2f ×", $0) } ?? "n/a",
                v.budgetRatio.map { String(format: "≤ %.2f ×", $0) } ?? "—", v.verdict,
                instructionsText(v.taskInstructions), instructionsText(v.irctlInstructions),
                v.instructionRatio.map { String(format: "%.2f ×", $0) } ?? "",
            ]
        }
        out += table(header, body, markdown: markdown, right: [3, 4, 5, 6, 8, 9, 10])
    }
    for note in report.notes { out += "\n" + note }
    let over = report.over
    out +=
        "\n"
        + (over.isEmpty
            ? "every budget met"
            : "over budget or failed: "
                + over.joined(separator: "; ")) + "\n"
    return out
}

func table(_ header: [String], _ rows: [[String]], markdown: Bool, right: Set<Int>) -> String {
    if markdown {
        let rule = header.indices.map { right.contains($0) ? "---:" : "---" }
        return ([header, rule] + rows).map { "| " + $0.joined(separator: " | ") + " |" }
            .joined(separator: "\n") + "\n"
    }
    let widths = header.indices.map { i in ([header] + rows).map { $0[i].count }.max() ?? 0 }
    func line(_ cells: [String]) -> String {
        cells.enumerated().map { i, cell in
            let pad = String(repeating: " ", count: widths[i] - cell.count)
            return right.contains(i) ? pad + cell : cell + pad
        }.joined(separator: "  ")
            .replacingOccurrences(of: " +$", with: "", options: .regularExpression)
    }
    let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
    return ([line(header), rule] + rows.map(line)).joined(separator: "\n") + "\n"
}

func renderJSON(_ report: Report) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    guard let data = try? encoder.encode(report) else { fail("could not encode the report") }
    return String(decoding: data, as: UTF8.self) + "\n"
}
