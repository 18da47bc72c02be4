import Foundation
import Testing

@testable import IncidentKit

/// Evidence: the Prometheus URL, the HTTP answer, the query_range result, the caps, the entry and
/// the sparkline.
@Suite struct EvidenceTests {
    let clock = Minutes()

    @Test(
        arguments: [
            ("http://localhost:9090", "localhost", 9090, ""),
            ("http://127.0.0.1:9090/", "127.0.0.1", 9090, ""),
            ("http://prom.internal/prometheus/", "prom.internal", 80, "/prometheus"),
            ("HTTP://[::1]:9090", "::1", 9090, ""),
        ] as [(String, String, Int, String)])
    func baseURLs(_ text: String, _ host: String, _ port: Int, _ prefix: String) throws {
        let url = try HTTPBaseURL(text)
        #expect(url.host == host && Int(url.port) == port && url.prefix == prefix)
    }

    @Test(
        arguments: [
            ("https://prom:9090", "https is not spoken here"),
            ("prom:9090", "must start with http://"),
            ("http://user:pw@prom:9090", "credentials"),
            ("http://prom:99999", "port must be a number"),
            ("http://prom:9090/?x=1", "without a query"),
            ("http://:9090", "no host"),
        ] as [(String, String)])
    func badURLsSayWhy(_ text: String, _ words: String) {
        #expect {
            _ = try HTTPBaseURL(text)
        } throws: { error in
            guard let error = error as? EvidenceError else { return false }
            return error.message.contains(words) && error.isUsageError
        }
    }

    static func response(_ body: String, status: Int = 200, chunked: Bool = false) -> [UInt8] {
        if chunked {
            let middle = body.utf8.count / 2
            let first = String(body.prefix(middle))
            let second = String(body.dropFirst(middle))
            return Array(
                ("HTTP/1.1 \(status) X\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + String(first.utf8.count, radix: 16) + "\r\n" + first + "\r\n"
                    + String(second.utf8.count, radix: 16) + "\r\n" + second + "\r\n0\r\n\r\n")
                    .utf8)
        }
        return Array(
            ("HTTP/1.1 \(status) X\r\nContent-Length: \(body.utf8.count)\r\n\r\n" + body).utf8)
    }

    static let matrix = """
        {"status":"success","data":{"resultType":"matrix","result":[\
        {"metric":{"__name__":"up","job":"b"},"values":[[1795269600,"1"],[1795269660,"0"]]},\
        {"metric":{"__name__":"up","job":"a"},"values":[[1795269600.5,"1"]]}]}}
        """

    @Test(arguments: [false, true])
    func aMatrixAnswerIsRead(chunked: Bool) throws {
        let response = try HTTPClient.parse(
            Self.response(Self.matrix, chunked: chunked), maxBodyBytes: 1 << 20, server: "s")
        let series = try PrometheusQuery.decode(response, server: "s")
        #expect(series.count == 2)
        #expect(series[0].name == "up{job=\"b\"}" && series[0].points.map(\.value) == ["1", "0"])
        #expect(series[1].points[0].time == 1_795_269_600.5)
    }

    @Test func prometheusOwnErrorIsShown() throws {
        let body =
            #"{"status":"error","errorType":"bad_data","#
            + #""error":"1:5: parse error: unclosed left parenthesis"}"#
        let response = try HTTPClient.parse(
            Self.response(body, status: 400), maxBodyBytes: 1 << 20, server: "http://p:9090")
        #expect {
            _ = try PrometheusQuery.decode(response, server: "http://p:9090")
        } throws: { error in
            (error as? EvidenceError)?.message
                == "Prometheus at http://p:9090 refused the query (bad_data): 1:5: parse error: "
                + "unclosed left parenthesis"
        }
    }

    @Test func notJSONAndTooLargeAreErrors() throws {
        let html = try HTTPClient.parse(
            Self.response("<html>502 Bad Gateway</html>", status: 502), maxBodyBytes: 1 << 20,
            server: "s")
        #expect {
            _ = try PrometheusQuery.decode(html, server: "s")
        } throws: { ($0 as? EvidenceError)?.message.contains("HTTP 502, not JSON") == true }
        #expect {
            _ = try HTTPClient.parse(
                Self.response(String(repeating: "x", count: 2000)), maxBodyBytes: 1000, server: "s")
        } throws: { error in
            guard case .tooLarge? = error as? EvidenceError else { return false }
            return true
        }
        #expect {
            _ = try HTTPClient.parse(
                Array("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc".utf8), maxBodyBytes: 100,
                server: "s")
        } throws: { ($0 as? EvidenceError)?.message.contains("cut short") == true }
    }

    @Test func aRangeOfTooManyPointsIsRefusedBeforeAsking() {
        let from = clock.start
        #expect {
            try PrometheusQuery.check(from: from, to: from.addingTimeInterval(86_400), step: 1)
        } throws: { ($0 as? EvidenceError)?.message.contains("at least 8s") == true }
        #expect {
            try PrometheusQuery.check(from: from, to: from, step: 1)
        } throws: { ($0 as? EvidenceError)?.message.contains("empty") == true }
    }

    @Test func seriesAndPointsAreCappedAndTheCutIsSaid() {
        let returned = (0..<30).map { n in
            EvidenceSeries(
                labels: ["job": String(format: "j%02d", n)],
                points: (0..<600).map { .init(time: Double($0), value: String($0)) })
        }
        let evidence = Evidence.capped(
            query: "up", source: "http://p:9090", from: clock.start,
            to: clock.start.addingTimeInterval(600), step: 1, returned: returned)
        #expect(evidence.series.count == Evidence.maxSeries)
        #expect(evidence.series.allSatisfy { $0.points.count == Evidence.maxPoints })
        #expect(evidence.series[0].labels["job"] == "j00")
        #expect(evidence.series[0].points.first?.value == "0")
        #expect(evidence.series[0].points.last?.value == "599")
        #expect(
            evidence.cut
                == "10 of 30 series cut; points thinned from 12000 to 10000 (at most 500 a series)")
    }

    @Test func anEvidenceEntryKeepsEverythingAndIsHashed() throws {
        var new = NewIncident(
            title: "Checkout 5xx", severity: SeverityScheme.standard.levels[1], phase: .declare)
        new.services = ["checkout"]
        var incident = try Incident.open(
            new, id: IncidentID(number: 1)!, uid: "u-1", context: clock.at(0))
        let evidence = Evidence(
            query: "sum(rate(errors[5m]))", source: "http://p:9090", from: clock.start,
            to: clock.start.addingTimeInterval(120), step: 60,
            series: [
                EvidenceSeries(
                    labels: [:],
                    points: [
                        .init(time: clock.start.timeIntervalSince1970, value: "0.5"),
                        .init(time: clock.start.timeIntervalSince1970 + 60, value: "NaN"),
                    ])
            ])
        let entry = try incident.addEvidence(evidence, context: clock.at(3))
        #expect(entry.kind == .evidence && entry.hash == entry.expectedHash(incident: "u-1"))
        #expect(entry.text == "PromQL sum(rate(errors[5m])) (1 series, 2 points)")
        #expect(incident.evidence.count == 1 && incident.evidence[0].evidence == evidence)
        try incident.close(force: true, context: clock.at(4))
        #expect(throws: LifecycleError.self) {
            try incident.addEvidence(evidence, context: clock.at(5))
        }
    }

    @Test func theIncidentPageDrawsEvidenceAsAnSVGChart() throws {
        var incident = try Incident.open(
            NewIncident(
                title: "Checkout 5xx", severity: SeverityScheme.standard.levels[1],
                phase: .declare),
            id: IncidentID(number: 1)!, uid: "u-1", context: clock.at(0))
        let start = clock.start.timeIntervalSince1970
        let evidence = Evidence(
            query: "rate(errors[5m]) > <0>", source: "http://p:9090", from: clock.start,
            to: clock.start.addingTimeInterval(120), step: 60,
            series: [
                EvidenceSeries(
                    labels: ["job": "checkout"],
                    points: [.init(time: start, value: "1"), .init(time: start + 120, value: "3")])
            ])
        try incident.addEvidence(evidence, context: clock.at(3))
        let html = IncidentPage(incident: incident, scheme: .standard).render()
        #expect(html.contains("<h2 id=\"h-ev\">Evidence</h2>"))
        #expect(html.contains("<code>rate(errors[5m]) &gt; &lt;0&gt;</code>"), "escaped")
        #expect(html.contains("<polyline class=\"series s0\""))
        #expect(html.contains("<title>{job=&quot;checkout&quot;}</title>"))
        let plain = try Incident.open(
            NewIncident(
                title: "Quiet", severity: SeverityScheme.standard.levels[1], phase: .declare),
            id: IncidentID(number: 2)!, uid: "u-2", context: clock.at(0))
        #expect(!IncidentPage(incident: plain, scheme: .standard).render().contains("h-ev"))
    }

    @Test func sparklinesScaleBetweenTheLowestAndHighest() {
        let points = (0..<8).map { (time: Double($0), value: Double($0)) }
        #expect(
            Sparkline.draw(points, from: 0, to: 8, width: 8, low: 0, high: 7) == "▁▂▃▄▅▆▇█")
        #expect(
            Sparkline.draw([(0, 5), (7, 5)], from: 0, to: 8, width: 8, low: 5, high: 5)
                == "▄      ▄")
        let evidence = Evidence(
            query: "up", source: "s", from: Date(timeIntervalSince1970: 0),
            to: Date(timeIntervalSince1970: 8), step: 1,
            series: [
                EvidenceSeries(
                    labels: ["__name__": "up"],
                    points: points.map { .init(time: $0.time, value: String($0.value)) })
            ])
        #expect(evidence.sparklineLines(width: 8) == ["▁▂▃▄▅▆▇█  0–7  up"])
    }

    @Test(
        arguments: [("30s", 30.0), ("15m", 900), ("2h", 7200), ("1h30m", 5400), ("1d", 86_400)]
            as [(String, Double)])
    func durations(_ text: String, _ seconds: Double) throws {
        #expect(try DurationInput.parse(text, option: "--step") == seconds)
    }

    @Test(arguments: ["", "15", "m", "-5m", "5x", "0s"])
    func badDurations(_ text: String) {
        #expect(throws: ValueError.self) { try DurationInput.parse(text, option: "--window") }
    }
}
