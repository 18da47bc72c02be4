import Foundation

@testable import IncidentKit

/// Alertmanager webhook payloads as Alertmanager 0.25 writes them, built from a few facts so each
/// test says only what matters to it.
enum AlertFixtures {
    struct A {
        var fingerprint: String
        var status = "firing"
        var startsAt = "2026-11-21T10:00:00.123456789Z"
        var endsAt = "0001-01-01T00:00:00Z"
        var labels: [String: String] = [:]
        var annotations: [String: String] = [:]
    }

    static func alert(
        _ fingerprint: String, _ status: String = "firing",
        startsAt: String = "2026-11-21T10:00:00.123456789Z",
        severity: String = "critical", instance: String? = nil, extra: [String: String] = [:],
        summary: String? = "Checkout 5xx above 5%"
    ) -> A {
        var labels = [
            "alertname": "HighErrorRate", "severity": severity, "service": "checkout",
            "instance": instance ?? "10.0.0.\(fingerprint.count):8080",
        ]
        labels.merge(extra) { $1 }
        return A(
            fingerprint: fingerprint, status: status, startsAt: startsAt,
            endsAt: status == "resolved" ? "2026-11-21T10:20:00Z" : "0001-01-01T00:00:00Z",
            labels: labels, annotations: summary.map { ["summary": $0] } ?? [:])
    }

    static func json(
        _ alerts: [A], groupKey: String = "{}:{alertname=\"HighErrorRate\"}",
        receiver: String = "irctl",
        truncated: Int = 0, version: String = "\"4\"", extraTopLevel: String = ""
    ) -> String {
        let status = alerts.contains { $0.status == "firing" } ? "firing" : "resolved"
        let items = alerts.map { a in
            """
            {"status":"\(a.status)","labels":\(object(a.labels)),\
            "annotations":\(object(a.annotations)),\
            "startsAt":"\(a.startsAt)","endsAt":"\(a.endsAt)",\
            "generatorURL":"http://prometheus:9090/graph?g0.expr=rate%28x%29",\
            "fingerprint":"\(a.fingerprint)"}
            """
        }
        return """
            {"receiver":"\(receiver)","status":"\(status)",\
            "alerts":[\(items.joined(separator: ","))],\
            "groupLabels":{"alertname":"HighErrorRate"},\
            "commonLabels":{"alertname":"HighErrorRate"},\
            "commonAnnotations":{},"externalURL":"http://alertmanager:9093","version":\(version),\
            "groupKey":\(quoted(groupKey)),"truncatedAlerts":\(truncated)\(extraTopLevel)}
            """
    }

    static func payload(
        _ alerts: [A], groupKey: String = "{}:{alertname=\"HighErrorRate\"}", truncated: Int = 0
    ) throws -> AlertmanagerPayload {
        try AlertmanagerPayload.decode(
            Array(json(alerts, groupKey: groupKey, truncated: truncated).utf8))
    }

    static func object(_ dictionary: [String: String]) -> String {
        "{"
            + dictionary.sorted { $0.key < $1.key }.map { "\(quoted($0.key)):\(quoted($0.value))" }
            .joined(separator: ",") + "}"
    }

    static func quoted(_ text: String) -> String {
        String(decoding: try! JSONEncoder().encode(text), as: UTF8.self)
    }
}
