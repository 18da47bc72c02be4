import Foundation

/// Alertmanager webhook payloads (version 4) for the end-to-end tests.
enum AlertPayloads {
    struct Alert {
        var fingerprint: String
        var status = "firing"
        var startsAt = "2026-11-21T10:00:00.5Z"
        var labels: [String: String] = [:]
        var summary: String? = "Checkout 5xx above 5%"
    }

    static func alert(
        _ fingerprint: String, _ status: String = "firing",
        startsAt: String = "2026-11-21T10:00:00.5Z",
        severity: String = "critical", labels: [String: String] = [:],
        summary: String? = "Checkout 5xx above 5%"
    ) -> Alert {
        var all = [
            "alertname": "HighErrorRate", "severity": severity, "service": "checkout",
            "instance": "pod-\(fingerprint)",
        ]
        all.merge(labels) { $1 }
        return Alert(
            fingerprint: fingerprint, status: status, startsAt: startsAt, labels: all,
            summary: summary)
    }

    static func json(
        _ alerts: [Alert], groupKey: String = "{}:{alertname=\"HighErrorRate\"}",
        receiver: String = "irctl",
        truncated: Int = 0, version: String = "4"
    ) -> String {
        let items: [[String: Any]] = alerts.map { a in
            [
                "status": a.status, "labels": a.labels,
                "annotations": a.summary.map { ["summary": $0] } ?? [:],
                "startsAt": a.startsAt,
                "endsAt": a.status == "resolved" ? "2026-11-21T10:20:00Z" : "0001-01-01T00:00:00Z",
                "generatorURL": "http://prometheus:9090/graph?g0.expr=up",
                "fingerprint": a.fingerprint,
            ]
        }
        let object: [String: Any] = [
            "version": version, "receiver": receiver, "groupKey": groupKey,
            "truncatedAlerts": truncated,
            "status": alerts.contains { $0.status == "firing" } ? "firing" : "resolved",
            "alerts": items, "groupLabels": ["alertname": "HighErrorRate"],
            "commonLabels": ["alertname": "HighErrorRate"],
            "commonAnnotations": [String: String](), "externalURL": "http://alertmanager:9093",
            "someNewerField": ["nested": true],
        ]
        return String(
            decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]),
            as: UTF8.self)
    }
}
