import Foundation

/// The figures `irctl stats` shows, computed from index summaries only (never incident files), so
/// it stays fast on a store of thousands of incidents.
public struct IncidentStats: Sendable {
    public enum Grouping: String, CaseIterable, Sendable {
        case severity, service, month

        public static func parse(_ text: String) throws(ValueError) -> Grouping {
            guard let grouping = Grouping(rawValue: text.lowercased()) else {
                throw .invalidValue(
                    option: "--by", value: text, expected: "severity, service or month")
            }
            return grouping
        }
    }

    /// The five response metrics, in the order they are shown.
    public enum Metric: String, CaseIterable, Sendable {
        case timeToDetect, timeToDeclare, timeToContain, timeToRecover, impactDuration

        public var title: String {
            switch self {
            case .timeToDetect: "time to detect"
            case .timeToDeclare: "time to declare"
            case .timeToContain: "time to contain"
            case .timeToRecover: "time to recover"
            case .impactDuration: "impact duration"
            }
        }

        public func value(in metrics: IncidentMetrics) -> Double? {
            switch self {
            case .timeToDetect: metrics.timeToDetect
            case .timeToDeclare: metrics.timeToDeclare
            case .timeToContain: metrics.timeToContain
            case .timeToRecover: metrics.timeToRecover
            case .impactDuration: metrics.impactDuration
            }
        }
    }

    public struct Group: Hashable, Sendable {
        public var name: String
        public var count: Int
    }

    public var count: Int
    public var metrics: [(metric: Metric, distribution: Distribution)]
    public var openActionItems: Int
    public var overdueActionItems: Int
    /// Incidents per group; an incident with several services counts once in each.
    public var groups: [Group]

    /// - Parameters:
    ///   - severityRank: orders severity groups (most severe first).
    ///   - month: the `YYYY-MM` an incident's detection falls in, in the display time zone.
    public init(
        _ summaries: [IncidentSummary], by grouping: Grouping, now: Date,
        severityRank: (String) -> Int, month: (Date) -> String
    ) {
        count = summaries.count
        let all = summaries.map(\.metrics)
        metrics = Metric.allCases.map { metric in
            (metric, Distribution(all.compactMap { metric.value(in: $0) }))
        }
        openActionItems = summaries.reduce(0) { $0 + $1.openActionItems }
        overdueActionItems = summaries.reduce(0) { total, summary in
            total + summary.openActionItemsDue.filter { $0 < now }.count
        }

        var counts: [String: Int] = [:]
        for summary in summaries {
            switch grouping {
            case .severity: counts[summary.severity, default: 0] += 1
            case .month: counts[month(summary.detectedAt), default: 0] += 1
            case .service:
                if summary.services.isEmpty { counts[Self.noService, default: 0] += 1 }
                for service in Set(summary.services) { counts[service, default: 0] += 1 }
            }
        }
        let groups = counts.map { Group(name: $0.key, count: $0.value) }
        self.groups =
            switch grouping {
            case .severity:
                groups.sorted {
                    (severityRank($0.name), $0.name) < (severityRank($1.name), $1.name)
                }
            case .month:
                groups.sorted { $0.name < $1.name }
            case .service:
                // Busiest first; "(none)" last.
                groups.sorted { a, b in
                    if (a.name == Self.noService) != (b.name == Self.noService) {
                        return b.name == Self.noService
                    }
                    return a.count != b.count ? a.count > b.count : a.name < b.name
                }
            }
    }

    /// The group of incidents that name no service.
    public static let noService = "(none)"
}
