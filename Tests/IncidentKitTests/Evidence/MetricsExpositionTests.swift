import Foundation
import Testing

@testable import IncidentKit

/// `GET /metrics`: the exposition text from summaries, and the serve handler's routes.
@Suite struct MetricsExpositionTests {
    let clock = Minutes()

    func summary(
        _ number: Int, _ severity: Int, _ phase: Phase, started: Int? = nil, contained: Int? = nil,
        recovered: Int? = nil, lastUpdate: Int? = nil, due: [Int] = []
    ) -> IncidentSummary {
        func at(_ minute: Int?) -> Date? { minute.map { clock.at($0).now } }
        return IncidentSummary(
            id: IncidentID(number: number)!, uid: "u\(number)", claim: IncidentID(number: number)!,
            claimedAt: clock.start, claimHash: "", aliases: [], title: "t\"\\\n",
            severity: "SEV\(severity)", phase: phase, roles: Roles(), services: [], tags: [],
            createdAt: clock.start, startedAt: at(started), detectedAt: clock.start,
            declaredAt: phase == .detect ? nil : clock.start, containedAt: at(contained),
            recoveredAt: at(recovered), closedAt: phase == .closed ? at(90) : nil,
            updatedAt: clock.start, entryCount: 1, actionItemCount: due.count,
            openActionItems: due.count, openActionItemsDue: due.compactMap(at),
            schemaVersion: 1, lastUpdateAt: at(lastUpdate))
    }

    @Test func everyFamilyWithZerosCountsAndSummaries() {
        let text = MetricsExposition(
            [
                summary(1, 2, .declare, lastUpdate: 10, due: [5, 200]),
                summary(2, 2, .closed, started: -4, contained: 10, recovered: 30),
                summary(3, 1, .detect, started: -2, contained: 20, recovered: 60),
            ], scheme: .standard, now: clock.at(60).now
        ).text
        let lines = Set(text.split(separator: "\n").map(String.init))
        for line in [
            "# TYPE irctl_open_incidents gauge",
            "irctl_open_incidents{severity=\"SEV2\",phase=\"declare\"} 1",
            "irctl_open_incidents{severity=\"SEV1\",phase=\"detect\"} 1",
            "irctl_open_incidents{severity=\"SEV4\",phase=\"review\"} 0",
            "# TYPE irctl_incidents_declared_total counter",
            "irctl_incidents_declared_total{severity=\"SEV2\"} 2",
            "irctl_incidents_declared_total{severity=\"SEV1\"} 0",
            "irctl_incidents_closed_total{severity=\"SEV2\"} 1",
            "# TYPE irctl_time_to_detect_seconds summary",
            "irctl_time_to_detect_seconds{quantile=\"0.5\"} 120",
            "irctl_time_to_detect_seconds{quantile=\"0.9\"} 240",
            "irctl_time_to_detect_seconds_sum 360",
            "irctl_time_to_detect_seconds_count 2",
            "irctl_time_to_recover_seconds{quantile=\"0.9\"} 3600",
            "irctl_action_items_open 2",
            "irctl_action_items_overdue 1",
            "irctl_seconds_since_status_update{incident=\"INC-1\",severity=\"SEV2\"} 3000",
            "irctl_seconds_since_status_update{incident=\"INC-3\",severity=\"SEV1\"} 3600",
        ] {
            #expect(lines.contains(line), "\(line)")
        }
        #expect(!text.contains("INC-2\""), "a closed incident has no silence to measure")
        #expect(text.hasSuffix("\n"))
        // No incident measured: NaN quantiles, zero sum and count, as Prometheus writes them.
        let empty = MetricsExposition([], scheme: .standard, now: clock.start).text
        #expect(empty.contains("irctl_time_to_contain_seconds{quantile=\"0.5\"} NaN\n"))
        #expect(empty.contains("irctl_time_to_contain_seconds_count 0\n"))
    }

    @Test func labelValuesAreEscaped() {
        #expect(MetricsExposition.escape("a\"b\\c\nd") == "a\\\"b\\\\c\\nd")
        #expect(MetricsExposition.number(0.25) == "0.25" && MetricsExposition.number(3) == "3")
    }

    func handler(token: String?) -> ServeHandler {
        ServeHandler(
            alerts: AlertReceiver(token: token.map(BearerToken.init)) { _ in
                throw StoreError.noSpace(path: "/x")
            },
            metrics: { "irctl_action_items_open 0\n" })
    }

    @Test func metricsAreReadWithGetAndTheWebhooksToken() {
        let open = handler(token: nil)
        let get = HTTPRequestHead(method: "GET", target: "/metrics")
        #expect(open.admit(get) == nil)
        let response = open.respond(to: HTTPRequest(head: get))
        #expect(response.status == 200)
        #expect(response.headers["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8")
        #expect(String(decoding: response.body, as: UTF8.self) == "irctl_action_items_open 0\n")
        #expect(open.admit(HTTPRequestHead(method: "POST", target: "/metrics"))?.status == 405)
        #expect(open.admit(HTTPRequestHead(method: "GET", target: "/other"))?.status == 404)
        // The webhook is still the alert receiver's.
        #expect(open.admit(HTTPRequestHead(method: "GET", target: "/alertmanager"))?.status == 405)

        let guarded = handler(token: "s3cret")
        #expect(guarded.admit(get)?.status == 401)
        #expect(
            guarded.admit(
                HTTPRequestHead(
                    method: "GET", target: "/metrics", headers: ["authorization": "Bearer nope"]))?
                .status == 401)
        #expect(
            guarded.admit(
                HTTPRequestHead(
                    method: "GET", target: "/metrics",
                    headers: ["authorization": "Bearer s3cret"])) == nil)
    }

    @Test func aGetNeedsNoContentLengthButAPostDoes() throws {
        #expect(
            try HTTPRequestDecoder.bodyLength(HTTPRequestHead(method: "GET", target: "/metrics"))
                == 0)
        #expect {
            _ = try HTTPRequestDecoder.bodyLength(
                HTTPRequestHead(method: "POST", target: "/alertmanager"))
        } throws: { ($0 as? HTTPError)?.status == 411 }
    }

    @Test func aFailingStoreIs503() {
        let failing = ServeHandler(
            alerts: AlertReceiver(token: nil) { _ in throw StoreError.noSpace(path: "/x") },
            metrics: { throw StoreError.noSpace(path: "/store") })
        let response = failing.respond(
            to: HTTPRequest(head: HTTPRequestHead(method: "GET", target: "/metrics")))
        #expect(response.status == 503)
    }
}
