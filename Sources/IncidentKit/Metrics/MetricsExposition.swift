import Foundation

/// The store's figures in the Prometheus text exposition format (0.0.4), as `GET /metrics` on
/// `irctl serve` answers them. Built from the summary index alone, never from incident files, so a
/// scrape stays cheap on a store of many thousands of incidents.
///
/// Counters count incidents by their severity now: an incident whose severity changes moves
/// between series, which Prometheus reads as a reset of one and a rise of the other.
public struct MetricsExposition: Sendable {
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// The quantiles each duration summary reports.
    static let quantiles: [Double] = [0.5, 0.9]

    public var summaries: [IncidentSummary]
    public var scheme: SeverityScheme
    public var now: Date

    public init(_ summaries: [IncidentSummary], scheme: SeverityScheme, now: Date) {
        self.summaries = summaries
        self.scheme = scheme
        self.now = now
    }

    /// Every metric, with a zero for each severity (and open phase) that has no incident, so a
    /// rate or an alert on a series works before the first incident of its kind.
    public var text: String {
        var out = ""
        let severities = severityNames
        let openPhases = Phase.allCases.filter { $0 != .closed }
        var open: [String: Int] = [:]
        var declared: [String: Int] = [:]
        var closed: [String: Int] = [:]
        for summary in summaries {
            if summary.isOpen {
                open[summary.severity + "\t" + summary.phase.rawValue, default: 0] += 1
            }
            if summary.declaredAt != nil { declared[summary.severity, default: 0] += 1 }
            if !summary.isOpen { closed[summary.severity, default: 0] += 1 }
        }

        family(
            &out, "irctl_open_incidents", "gauge",
            "Incidents not closed, by severity and the phase they are in.")
        for severity in severities {
            for phase in openPhases {
                sample(
                    &out, "irctl_open_incidents",
                    [("severity", severity), ("phase", phase.rawValue)],
                    Double(open[severity + "\t" + phase.rawValue] ?? 0))
            }
        }
        family(
            &out, "irctl_incidents_declared_total", "counter",
            "Incidents declared (phase declare or later reached), by current severity.")
        for severity in severities {
            sample(
                &out, "irctl_incidents_declared_total", [("severity", severity)],
                Double(declared[severity] ?? 0))
        }
        family(
            &out, "irctl_incidents_closed_total", "counter",
            "Incidents closed, by current severity.")
        for severity in severities {
            sample(
                &out, "irctl_incidents_closed_total", [("severity", severity)],
                Double(closed[severity] ?? 0))
        }

        let metrics = summaries.map(\.metrics)
        duration(
            &out, "irctl_time_to_detect_seconds",
            "From impact began to detection, over incidents with both times.",
            metrics.compactMap(\.timeToDetect))
        duration(
            &out, "irctl_time_to_contain_seconds",
            "From detection to containment, over incidents that were contained.",
            metrics.compactMap(\.timeToContain))
        duration(
            &out, "irctl_time_to_recover_seconds",
            "From detection to recovery (review entered), over incidents that recovered.",
            metrics.compactMap(\.timeToRecover))

        let openItems = summaries.reduce(0) { $0 + $1.openActionItems }
        let overdue = summaries.reduce(0) { total, summary in
            total + summary.openActionItemsDue.filter { $0 < now }.count
        }
        family(&out, "irctl_action_items_open", "gauge", "Action items not done or dropped.")
        sample(&out, "irctl_action_items_open", [], Double(openItems))
        family(
            &out, "irctl_action_items_overdue", "gauge",
            "Open action items whose due date has passed.")
        sample(&out, "irctl_action_items_overdue", [], Double(overdue))

        family(
            &out, "irctl_seconds_since_status_update", "gauge",
            "Per open incident: seconds since its last stakeholder update, or since detection "
                + "when none was sent.")
        let openSummaries = summaries.filter(\.isOpen).sorted { $0.id.number < $1.id.number }
        for summary in openSummaries {
            let since = summary.lastUpdateAt ?? summary.detectedAt
            sample(
                &out, "irctl_seconds_since_status_update",
                [("incident", summary.id.description), ("severity", summary.severity)],
                max(0, now.timeIntervalSince(since).rounded(.down)))
        }
        return out
    }

    /// The scheme's levels, then any other severity an incident carries (from an older config).
    private var severityNames: [String] {
        var names = scheme.levels.map(\.name)
        var known = Set(names)
        for summary in summaries where known.insert(summary.severity).inserted {
            names.append(summary.severity)
        }
        return names
    }

    private func family(_ out: inout String, _ name: String, _ type: String, _ help: String) {
        out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
    }

    private func duration(_ out: inout String, _ name: String, _ help: String, _ values: [Double]) {
        family(&out, name, "summary", help)
        let sorted = values.filter(\.isFinite).sorted()
        for quantile in Self.quantiles {
            let value =
                sorted.isEmpty
                ? Double.nan
                : sorted[Distribution.nearestRank(quantile, count: sorted.count) - 1]
            sample(&out, name, [("quantile", Self.number(quantile))], value)
        }
        sample(&out, name + "_sum", [], sorted.reduce(0, +))
        sample(&out, name + "_count", [], Double(sorted.count))
    }

    private func sample(
        _ out: inout String, _ name: String, _ labels: [(String, String)], _ value: Double
    ) {
        out += name
        if !labels.isEmpty {
            out +=
                "{"
                + labels.map { "\($0.0)=\"\(Self.escape($0.1))\"" }.joined(separator: ",") + "}"
        }
        out += " " + Self.number(value) + "\n"
    }

    /// A label value with `\`, `"` and newlines escaped, as the format asks.
    static func escape(_ value: String) -> String {
        var result = ""
        for character in value {
            switch character {
            case "\\": result += "\\\\"
            case "\"": result += "\\\""
            case "\n": result += "\\n"
            default: result.append(character)
            }
        }
        return result
    }

    /// Whole numbers without a fraction; `NaN` for a quantile of nothing, as Prometheus writes it.
    static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}
