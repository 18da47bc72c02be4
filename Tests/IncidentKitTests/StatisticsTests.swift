import Foundation
import Testing

@testable import IncidentKit

@Suite struct StatisticsTests {
    @Test func emptyHasNoValuesNotZeros() {
        let d = Distribution([])
        #expect(d.count == 0)
        #expect(d.mean == nil && d.median == nil && d.p90 == nil)
    }

    @Test func oneValue() {
        let d = Distribution([300])
        #expect(d == Distribution([300]))
        #expect(d.count == 1 && d.mean == 300 && d.median == 300 && d.p90 == 300)
    }

    @Test func twoValues() {
        // mean (60+180)/2 = 120; median of an even count = mean of the middle two = 120;
        // p90 nearest rank ⌈0.9·2⌉ = 2 → the larger, 180.
        let d = Distribution([180, 60])
        #expect(d.count == 2 && d.mean == 120 && d.median == 120 && d.p90 == 180)
    }

    @Test func tenValues() {
        // 1…10 minutes: mean 5.5 min = 330 s; median (5+6)/2 min = 330 s; p90 ⌈9⌉ = 9th = 540 s.
        let d = Distribution((1...10).reversed().map { Double($0 * 60) })
        #expect(d.count == 10 && d.mean == 330 && d.median == 330 && d.p90 == 540)
    }

    @Test func oddCountMedianAndElevenValueP90() {
        // 1…11: median the 6th = 6; p90 ⌈9.9⌉ = 10th = 10.
        let d = Distribution((1...11).map(Double.init))
        #expect(d.median == 6 && d.p90 == 10 && d.mean == 6)
    }

    @Test(arguments: [(1, 1), (2, 2), (9, 9), (10, 9), (11, 10), (20, 18), (100, 90), (101, 91)])
    func nearestRank(count: Int, rank: Int) {
        #expect(Distribution.nearestRank(0.9, count: count) == rank)
    }

    @Test func nonFiniteValuesAreLeftOut() {
        #expect(Distribution([60, .nan, .infinity]).count == 1)
    }
}

@Suite struct IncidentStatsTests {
    static func summary(
        _ n: Int, severity: String = "SEV2", services: [String] = [], started: String?,
        detected: String,
        declared: String? = nil, contained: String? = nil, recovered: String? = nil,
        due: [String] = [], open: Int = 0
    ) -> IncidentSummary {
        func t(_ s: String?) -> Date? { s.map(Fixture.instant) }
        return IncidentSummary(
            id: IncidentID(number: n)!, uid: "u\(n)", claim: IncidentID(number: n)!,
            claimedAt: t(detected)!,
            claimHash: "h\(n)", aliases: [], title: "t\(n)", severity: severity, phase: .review,
            roles: Roles(), services: services, tags: [], createdAt: t(detected)!,
            startedAt: t(started),
            detectedAt: t(detected)!, declaredAt: t(declared), containedAt: t(contained),
            recoveredAt: t(recovered), closedAt: nil, updatedAt: t(detected)!, entryCount: 1,
            actionItemCount: open, openActionItems: open,
            openActionItemsDue: due.map(Fixture.instant),
            schemaVersion: 1)
    }

    @Test func metricsLeaveOutIncidentsWithoutTheTimes() {
        let summaries = [
            // detect 5m, declare 1m, contain 10m, recover 30m, impact 35m
            Self.summary(
                1, started: "2026-11-01T09:55:00Z", detected: "2026-11-01T10:00:00Z",
                declared: "2026-11-01T10:01:00Z",
                contained: "2026-11-01T10:10:00Z", recovered: "2026-11-01T10:30:00Z"),
            // no start: no time to detect; impact from detection = 60m; declare 3m; contain 20m,
            // recover 60m
            Self.summary(
                2, started: nil, detected: "2026-11-02T10:00:00Z", declared: "2026-11-02T10:03:00Z",
                contained: "2026-11-02T10:20:00Z", recovered: "2026-11-02T11:00:00Z"),
            // only detected: every metric but none left out
            Self.summary(3, started: "2026-11-03T09:45:00Z", detected: "2026-11-03T10:00:00Z"),
        ]
        let stats = IncidentStats(
            summaries, by: .severity, now: Fixture.now, severityRank: { _ in 0 }, month: { _ in "" }
        )
        let m = Dictionary(uniqueKeysWithValues: stats.metrics.map { ($0.metric, $0.distribution) })
        #expect(stats.count == 3)
        #expect(m[.timeToDetect] == Distribution([300, 900]))
        #expect(m[.timeToDetect]?.mean == 600)
        #expect(m[.timeToDeclare]?.count == 2 && m[.timeToDeclare]?.mean == 120)
        #expect(m[.timeToContain]?.median == 900)
        #expect(m[.timeToRecover]?.p90 == 3600)
        #expect(m[.impactDuration]?.count == 2 && m[.impactDuration]?.mean == (2100 + 3600) / 2)
    }

    @Test func actionItemsAndGroups() {
        let summaries = [
            Self.summary(
                1, severity: "SEV3", services: ["api", "db"], started: nil,
                detected: "2026-10-05T10:00:00Z",
                due: ["2026-11-01T00:00:00Z", "2026-12-01T00:00:00Z"], open: 3),
            Self.summary(
                2, severity: "SEV1", services: ["api"], started: nil,
                detected: "2026-11-05T10:00:00Z", open: 1),
            Self.summary(3, severity: "SEV3", started: nil, detected: "2026-11-06T10:00:00Z"),
        ]
        let rank = ["SEV1": 0, "SEV2": 1, "SEV3": 2]
        func stats(_ g: IncidentStats.Grouping) -> IncidentStats {
            IncidentStats(
                summaries, by: g, now: Fixture.now, severityRank: { rank[$0] ?? 9 },
                month: { Timestamp.format($0).prefix(7).description })
        }
        let bySeverity = stats(.severity)
        #expect(bySeverity.openActionItems == 4)
        #expect(bySeverity.overdueActionItems == 1)
        #expect(
            bySeverity.groups == [.init(name: "SEV1", count: 1), .init(name: "SEV3", count: 2)])
        #expect(
            stats(.service).groups == [
                .init(name: "api", count: 2), .init(name: "db", count: 1),
                .init(name: "(none)", count: 1),
            ])
        #expect(
            stats(.month).groups == [
                .init(name: "2026-10", count: 1), .init(name: "2026-11", count: 2),
            ])
    }

    @Test func phaseSpansCountAReenteredPhaseTwice() throws {
        let incident = try PostmortemFixtures.everything()
        let contain = incident.timeInPhases.first { $0.phase == .contain }
        #expect(contain.map { Int($0.seconds) } == 11 * 60 + 17 * 60)
        #expect(incident.phaseSpans.filter { $0.phase == .contain }.count == 2)
        #expect(incident.timeInPhases.first { $0.phase == .review }?.ongoing == false)
        let open = try PostmortemFixtures.hostile()
        #expect(open.timeInPhases.last?.ongoing == true)
    }
}
