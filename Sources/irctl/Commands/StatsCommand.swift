import Foundation
import IncidentKit

enum StatsCommand {
    static let command = Command(
        name: "stats", summary: "incident counts, response-time metrics and action items",
        discussion: """
            Over the incidents detected in [--since, --until): their count; time to detect, declare,
            contain and recover, and impact duration, each as n / mean / median / p90 over the
            incidents that have both times (n says how many; a missing time is left out, never
            counted as zero); open and overdue action items; and a bar chart of incidents per
            severity (default), service (an incident counts once for each of its services) or month
            of detection. The p90 is by nearest rank: the ⌈0.9·n⌉-th smallest value.
            Reads only the store's index, so it stays fast on thousands of incidents.

            Drills ('declare --drill') and incidents closed as false alarms or duplicates ('close
            --false-alarm', 'close --duplicate-of INC') are left out, and the count of each is
            shown; --include false-alarms,duplicates,drills (or all) counts them like any other.

            JSON (durations in seconds): { count, since?, until?, by, metrics: { timeToDetect:
            { count, mean?, median?, p90? }, timeToDeclare, timeToContain, timeToRecover,
            impactDuration }, actionItems: { open, overdue }, groups: [ { name, count } ],
            setAside: { falseAlarms, duplicates, drills }, included: [ NAME ] }: setAside counts
            the incidents of each kind in the range, included names the kinds counted.
            """,
        options: [
            .value(
                "--since", value: "TIME", kind: .time,
                help: "only incidents detected at or after TIME (e.g. '30d ago', 2026-01-01)"),
            .value(
                "--until", value: "TIME", kind: .time, help: "only incidents detected before TIME"),
            .value(
                "--by", value: "GROUP", kind: .words(["severity", "service", "month"]),
                help: "group the chart by severity (default), service or month"),
            .value(
                "--include", value: "KINDS",
                kind: .words(["false-alarms", "duplicates", "drills", "all"]),
                repeatable: true,
                help: "also count false-alarms, duplicates, drills (comma-separated, or all)"),
        ],
        examples: [
            "irctl stats", "irctl stats --since 2026-01-01 --by month",
            "irctl stats --since '90d ago' --json",
            "irctl stats --include false-alarms,drills",
        ],
        run: run)

    struct Report: Encodable {
        struct Items: Encodable {
            var open: Int
            var overdue: Int
        }
        struct Group: Encodable {
            var name: String
            var count: Int
        }
        var count: Int
        var since: String?
        var until: String?
        var by: String
        var metrics: [String: Distribution]
        var actionItems: Items
        var groups: [Group]
        var setAside: [String: Int]
        var included: [String]
    }

    static func run(_ invocation: Invocation) throws -> Int32 {
        try invocation.expectPositionals(atMost: 0)
        let grouping =
            try invocation.arguments.value("by").map { text throws(ValueError) in
                try IncidentStats.Grouping.parse(text)
            } ?? .severity
        let since = try invocation.time("since", allowFuture: true)
        let until = try invocation.time("until", allowFuture: true)
        if let since, let until, since >= until {
            throw ValueError.invalidValue(
                option: "--until", value: invocation.arguments.value("until")!,
                expected: "a time after --since")
        }
        let scheme = ((try? invocation.config()) ?? StoreConfig()).severityScheme
        var included = Set<SetAside>()
        for text in invocation.arguments.all("include") {
            included.formUnion(try SetAside.parse(text))
        }
        let (all, problems) = invocation.store.summaries()
        invocation.warn(problems)
        let inRange = all.filter { summary in
            (since.map { summary.detectedAt >= $0 } ?? true)
                && (until.map { summary.detectedAt < $0 } ?? true)
        }
        var setAside: [SetAside: Int] = [:]
        for summary in inRange {
            if let kind = SetAside.kind(of: summary) { setAside[kind, default: 0] += 1 }
        }
        let selected = inRange.filter { summary in
            SetAside.kind(of: summary).map(included.contains) ?? true
        }
        let display = invocation.display
        let stats = IncidentStats(
            selected, by: grouping, now: invocation.now, severityRank: scheme.rank(of:),
            month: { String(display.date($0).prefix(7)) })

        if invocation.json {
            var metrics: [String: Distribution] = [:]
            for (metric, distribution) in stats.metrics { metrics[metric.rawValue] = distribution }
            try invocation.printJSON(
                Report(
                    count: stats.count, since: since.map(Timestamp.format),
                    until: until.map(Timestamp.format),
                    by: grouping.rawValue, metrics: metrics,
                    actionItems: .init(
                        open: stats.openActionItems, overdue: stats.overdueActionItems),
                    groups: stats.groups.map { .init(name: $0.name, count: $0.count) },
                    setAside: [
                        "falseAlarms": setAside[.falseAlarms] ?? 0,
                        "duplicates": setAside[.duplicates] ?? 0, "drills": setAside[.drills] ?? 0,
                    ],
                    included: SetAside.allCases.filter(included.contains).map(\.rawValue)))
            return ExitCode.success
        }
        invocation.output.write(
            render(stats, grouping: grouping, since: since, until: until, invocation: invocation))
        let left = SetAside.allCases.filter { !included.contains($0) && setAside[$0] != nil }
        if !left.isEmpty {
            let counts = left.map { kind in
                let n = setAside[kind]!
                let name =
                    switch kind {
                    case .falseAlarms: n == 1 ? "false alarm" : "false alarms"
                    case .duplicates: n == 1 ? "duplicate" : "duplicates"
                    case .drills: n == 1 ? "drill" : "drills"
                    }
                return "\(n) \(name)"
            }
            invocation.output.write(
                "\nLeft out: " + counts.joined(separator: ", ") + " (count them with --include "
                    + left.map(\.rawValue).joined(separator: ",") + ")\n")
        }
        return ExitCode.success
    }

    static func render(
        _ stats: IncidentStats, grouping: IncidentStats.Grouping, since: Date?, until: Date?,
        invocation: Invocation
    ) -> String {
        let style = invocation.output.style
        let display = invocation.display
        var range = "all time"
        switch (since, until) {
        case (let s?, let u?): range = "detected \(display.dateTime(s)) – \(display.dateTime(u))"
        case (let s?, nil): range = "detected since \(display.dateTime(s))"
        case (nil, let u?): range = "detected before \(display.dateTime(u))"
        default: break
        }
        var out =
            style.bold("\(stats.count) incident\(stats.count == 1 ? "" : "s")") + " (\(range))\n\n"

        let header = ["", "n", "mean", "median", "p90"]
        var rows = [header]
        for (metric, d) in stats.metrics {
            func f(_ value: Double?) -> String { value.map(DurationFormat.long) ?? "—" }
            rows.append([metric.title, String(d.count), f(d.mean), f(d.median), f(d.p90)])
        }
        let widths = header.indices.map { c in rows.map { displayWidth($0[c]) }.max() ?? 0 }
        for (r, row) in rows.enumerated() {
            let cells = row.enumerated().map { c, cell in
                c == 0
                    ? pad(cell, to: widths[c])
                    : String(repeating: " ", count: widths[c] - displayWidth(cell)) + cell
            }
            let line = cells.joined(separator: "   ")
            out += (r == 0 ? style.bold(line) : line) + "\n"
        }
        out +=
            style.dim(
                "n: incidents that have both times; the others are left out, not counted as zero. "
                    + "p90 by nearest rank."
            ) + "\n\n"
        out +=
            "Action items: \(stats.openActionItems) open, "
            + (stats.overdueActionItems > 0
                ? style.red("\(stats.overdueActionItems) overdue") : "0 overdue") + "\n"

        guard !stats.groups.isEmpty else { return out }
        out += "\n" + style.bold("Incidents by \(grouping.rawValue)") + "\n"
        let names = stats.groups.map { truncate(TerminalText.singleLine($0.name), to: 24) }
        let labelWidth = names.map(displayWidth).max() ?? 0
        let most = stats.groups.map(\.count).max() ?? 1
        let countWidth = String(most).count
        let barWidth = max(
            10, min(50, (invocation.output.width ?? 80) - labelWidth - countWidth - 4))
        for (group, name) in zip(stats.groups, names) {
            // At least one block for any non-zero count, so a small group stays visible.
            let length = max(
                1, Int((Double(group.count) / Double(most) * Double(barWidth)).rounded()))
            out +=
                pad(name, to: labelWidth) + "  " + String(repeating: "█", count: length) + " "
                + String(group.count) + "\n"
        }
        return out
    }
}
