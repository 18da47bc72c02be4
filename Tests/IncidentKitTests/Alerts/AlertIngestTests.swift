import Foundation
import Testing

@testable import IncidentKit

/// The alert group state machine on fixture payloads, without a store.
@Suite struct AlertIngestTests {
    typealias F = AlertFixtures
    let ingest = AlertIngest()
    let clock = Minutes()
    let id = IncidentID(number: 7)!

    func alertmanager(_ minute: Int) -> EditContext {
        EditContext(
            author: "alertmanager", now: clock.start.addingTimeInterval(Double(minute) * 60 + 3600))
    }

    func opened(
        _ alerts: [F.A], previous: Incident? = nil, ingest: AlertIngest? = nil
    ) throws -> Incident {
        let payload = try F.payload(alerts)
        let ingest = ingest ?? self.ingest
        #expect(ingest.opensIncident(payload, previous: previous))
        return try ingest.open(
            payload, id: id, uid: "u-7", previous: previous, runbook: nil, context: alertmanager(0))
    }

    func alertEntries(_ incident: Incident) -> [TimelineEntry] {
        incident.timeline.filter { $0.kind == .alert }
    }

    @Test func aFiringGroupOpensAnIncidentInDetect() throws {
        let incident = try opened([
            F.alert("a1"), F.alert("b2", severity: "warning", extra: ["app": "ignored-app"]),
        ])
        #expect(incident.phase == .detect)
        #expect(incident.title == "Checkout 5xx above 5%")
        #expect(incident.severity == "SEV2", "the most severe alert: critical → SEV2")
        #expect(incident.services == ["checkout"], "from the service label, before app and job")
        #expect(
            incident.detectedAt == Timestamp.parse("2026-11-21T10:00:00Z"),
            "detected when the first alert started")
        let entries = alertEntries(incident)
        #expect(entries.count == 2)
        #expect(
            entries[0].text.hasPrefix(
                "Firing: Checkout 5xx above 5% [severity=critical service=checkout instance="))
        #expect(entries[0].text.hasSuffix(" http://prometheus:9090/graph?g0.expr=rate%28x%29"))
        #expect(entries[0].data["opened"] == "true" && entries[1].data["opened"] == nil)
        #expect(entries.map { $0.data["fingerprint"] } == ["a1", "b2"])
        let track = incident.alertTrack
        #expect(
            track.groupDigest
                == AlertGroup(receiver: "irctl", groupKey: "{}:{alertname=\"HighErrorRate\"}")
                .digest)
        #expect(track.openedByAlert && track.firingCount == 2 && !track.allResolved)
        #expect(incident.verifyChain().isValid)
    }

    @Test func withoutASummaryTheTitleIsTheAlertnameAndGroupLabels() throws {
        let json = """
            {"version":"4","receiver":"r","status":"firing","groupKey":"k",
             "groupLabels":{"alertname":"DiskFull","cluster":"eu-1"},
             "alerts":[{"status":"firing","labels":{"alertname":"DiskFull","job":"node"},
             "fingerprint":"f"}]}
            """
        let incident = try ingest.open(
            AlertmanagerPayload.decode(Array(json.utf8)), id: id, uid: "u", previous: nil,
            runbook: nil,
            context: alertmanager(0))
        #expect(incident.title == "DiskFull: cluster=eu-1")
        #expect(incident.services == ["node"], "from the job label")
        #expect(incident.severity == "SEV3", "no severity label: the middle of the scheme")
    }

    @Test func aRepeatedNotificationChangesNothing() throws {
        var incident = try opened([F.alert("a1"), F.alert("b2")])
        let before = incident
        let change = try ingest.apply(
            F.payload([F.alert("a1"), F.alert("b2")]), to: &incident, runbook: nil,
            context: alertmanager(5))
        #expect(change.isEmpty)
        #expect(incident == before)
    }

    @Test func aNewFiringAlertAppendsOneEntryAndOnlyRaisesSeverity() throws {
        var incident = try opened([F.alert("a1", severity: "warning")])
        #expect(incident.severity == "SEV3")
        var change = try ingest.apply(
            F.payload([
                F.alert("a1", severity: "warning"),
                F.alert("b2", severity: "critical", extra: ["service": "payments"]),
            ]),
            to: &incident, runbook: nil, context: alertmanager(2))
        #expect(change.fired == 1 && change.raisedSeverity == "SEV2")
        #expect(incident.severity == "SEV2")
        #expect(incident.services == ["checkout", "payments"], "the new alert's service is added")
        change = try ingest.apply(
            F.payload([
                F.alert("a1", severity: "warning"), F.alert("b2"), F.alert("c3", severity: "info"),
            ]),
            to: &incident, runbook: nil, context: alertmanager(3))
        #expect(change.fired == 1 && change.raisedSeverity == nil)
        #expect(incident.severity == "SEV2", "an info alert never lowers it")
        #expect(alertEntries(incident).count == 3)
        #expect(incident.timeline.filter { $0.kind == .severity }.count == 1)
    }

    @Test func aPartlyResolvedGroupStaysOpenThenClosesWhenAllResolve() throws {
        var incident = try opened([F.alert("a1"), F.alert("b2")])
        var change = try ingest.apply(
            F.payload([F.alert("a1", "resolved"), F.alert("b2")]), to: &incident, runbook: nil,
            context: alertmanager(10))
        #expect(change.resolved == 1 && !change.closed)
        #expect(incident.phase == .detect)
        #expect(
            alertEntries(incident).last?.text.hasPrefix("Resolved: Checkout 5xx above 5%") == true)
        #expect(alertEntries(incident).last?.data["allResolved"] == nil)
        // The same partial notification again: nothing.
        let before = incident
        #expect(
            try ingest.apply(
                F.payload([F.alert("a1", "resolved"), F.alert("b2")]), to: &incident, runbook: nil,
                context: alertmanager(11)
            ).isEmpty)
        #expect(incident == before)

        change = try ingest.apply(
            F.payload([F.alert("a1", "resolved"), F.alert("b2", "resolved")]), to: &incident,
            runbook: nil, context: alertmanager(20))
        #expect(change.resolved == 1 && change.closed)
        #expect(incident.phase == .closed)
        let last = try #require(alertEntries(incident).last)
        #expect(last.text.hasSuffix("; all 2 alerts of the group resolved"))
        #expect(last.data["allResolved"] == "true" && last.data["closing"] == "true")
        #expect(last.at == Timestamp.parse("2026-11-21T10:20:00Z"), "dated when the alert ended")
        #expect(
            incident.timeline.last?.text
                == "Closed from detect (forced): every alert resolved (closed by Alertmanager)")
        #expect(incident.alertTrack.closedByAlert && incident.alertTrack.allResolved)
        #expect(incident.verifyChain().isValid)
    }

    @Test func aDeclaredIncidentStaysOpenWhenItsAlertsResolve() throws {
        var incident = try opened([F.alert("a1")])
        try incident.declare(severity: nil, context: alertmanager(1))
        let change = try ingest.apply(
            F.payload([F.alert("a1", "resolved")]), to: &incident, runbook: nil,
            context: alertmanager(20))
        #expect(change.resolved == 1 && !change.closed)
        #expect(incident.phase == .declare)
        #expect(alertEntries(incident).last?.data["allResolved"] == "true")
        #expect(alertEntries(incident).last?.data["closing"] == nil)
    }

    @Test func closingOnResolveCanBeTurnedOff() throws {
        let ingest = AlertIngest(settings: AlertSettings(closeWhenResolved: false))
        var incident = try opened([F.alert("a1")], ingest: ingest)
        let change = try ingest.apply(
            F.payload([F.alert("a1", "resolved")]), to: &incident, runbook: nil,
            context: alertmanager(20))
        #expect(change.resolved == 1 && !change.closed && incident.phase == .detect)
    }

    @Test func aTruncatedNotificationIsRecordedOnce() throws {
        var incident = try ingest.open(
            F.payload([F.alert("a1")], truncated: 4), id: id, uid: "u", previous: nil, runbook: nil,
            context: alertmanager(0))
        #expect(
            alertEntries(incident).last?.text
                == "Alertmanager left out 4 alerts of this group (max_alerts); see "
                + "http://alertmanager:9093"
        )
        #expect(incident.alertTrack.truncated == 4)
        #expect(
            try ingest.apply(
                F.payload([F.alert("a1")], truncated: 4), to: &incident, runbook: nil,
                context: alertmanager(1)
            ).isEmpty)
        let change = try ingest.apply(
            F.payload([F.alert("a1")], truncated: 9), to: &incident, runbook: nil,
            context: alertmanager(2))
        #expect(change.truncated && change.fired == 0)
        #expect(alertEntries(incident).count == 3)
        // While alerts are left out, "every alert resolved" can't be known: the incident stays
        // open.
        let resolved = try ingest.apply(
            F.payload([F.alert("a1", "resolved")], truncated: 9), to: &incident, runbook: nil,
            context: alertmanager(3))
        #expect(resolved.resolved == 1 && !resolved.closed)
    }

    @Test func aReplayedOlderNotificationChangesNothing() throws {
        var incident = try opened([F.alert("a1"), F.alert("b2")])
        try ingest.apply(
            F.payload([F.alert("a1", "resolved"), F.alert("b2")]), to: &incident, runbook: nil,
            context: alertmanager(10))
        let before = incident
        // Alertmanager retried the first notification after the resolution: a1 is the same firing.
        #expect(
            try ingest.apply(
                F.payload([F.alert("a1"), F.alert("b2")]), to: &incident, runbook: nil,
                context: alertmanager(11)
            ).isEmpty)
        #expect(incident == before)
    }

    @Test func anAlertThatFiresAgainInAnOpenIncidentIsANewEntry() throws {
        var incident = try opened([F.alert("a1"), F.alert("b2")])
        try ingest.apply(
            F.payload([F.alert("a1", "resolved"), F.alert("b2")]), to: &incident, runbook: nil,
            context: alertmanager(10))
        let change = try ingest.apply(
            F.payload([F.alert("a1", startsAt: "2026-11-21T10:30:00Z"), F.alert("b2")]),
            to: &incident, runbook: nil, context: alertmanager(31))
        #expect(change.fired == 1)
        let last = try #require(alertEntries(incident).last)
        #expect(last.text.hasPrefix("Firing again: ") && last.data["refired"] == "true")
        #expect(incident.alertTrack.firingCount == 2)
    }

    @Test func aResolvedAlertNeverSeenFiringIsNotRecorded() throws {
        var incident = try opened([F.alert("a1")])
        #expect(
            try ingest.apply(
                F.payload([F.alert("a1"), F.alert("zz", "resolved")]), to: &incident, runbook: nil,
                context: alertmanager(3)
            ).isEmpty)
    }

    @Test func afterTheIncidentClosedAReplayOpensNothingAndARefireOpensALinkedIncident() throws {
        var first = try opened([F.alert("a1")])
        try ingest.apply(
            F.payload([F.alert("a1", "resolved")]), to: &first, runbook: nil,
            context: alertmanager(20))
        #expect(first.phase == .closed)
        #expect(
            !ingest.opensIncident(try F.payload([F.alert("a1")]), previous: first),
            "a replay of the old firing")
        #expect(
            !ingest.opensIncident(try F.payload([F.alert("a1", "resolved")]), previous: first),
            "a replay of the resolution")
        let refire = try F.payload([F.alert("a1", startsAt: "2026-11-21T11:00:00Z")])
        #expect(ingest.opensIncident(refire, previous: first))
        let second = try ingest.open(
            refire, id: IncidentID(number: 8)!, uid: "u-8", previous: first, runbook: nil,
            context: alertmanager(61))
        #expect(second.links == [Link(label: "previous", url: "irctl:INC-7")])
        let entry = try #require(alertEntries(second).first)
        #expect(
            entry.data["previous"] == "INC-7" && entry.data["previousUID"] == "u-7"
                && entry.data["refired"] == "true")
        #expect(second.alertTrack.previousIncident == "INC-7")
        #expect(second.alertTrack.groupDigest == first.alertTrack.groupDigest)
    }

    @Test func routesSetWhatTheIncidentOpensWith() throws {
        let route = AlertRoute(
            name: "db", match: [try LabelMatcher("team=db")], severity: "SEV1",
            services: ["postgres"],
            tags: ["database"], commander: "dba-oncall", declare: true)
        let ingest = AlertIngest(
            settings: AlertSettings(routes: [
                AlertRoute(match: [try LabelMatcher("alertname=Watchdog")], ignore: true), route,
            ]))
        let incident = try opened([F.alert("a1", extra: ["team": "db"])], ingest: ingest)
        #expect(incident.phase == .declare && incident.severity == "SEV1")
        #expect(
            incident.services == ["postgres"] && incident.tags == ["database"]
                && incident.roles.commander == "dba-oncall")
        let watchdog = try F.payload([F.alert("w", extra: ["alertname": "Watchdog"])])
        #expect(ingest.routed(watchdog).kept.isEmpty && ingest.routed(watchdog).ignored == 1)
        #expect(!ingest.opensIncident(watchdog, previous: nil))
    }

    @Test func aRouteThatDeclaresPromotesAnIncidentInDetect() throws {
        let ingest = AlertIngest(
            settings: AlertSettings(routes: [
                AlertRoute(match: [try LabelMatcher("severity=page")], declare: true)
            ]))
        var incident = try opened([F.alert("a1", severity: "warning")], ingest: ingest)
        #expect(incident.phase == .detect)
        let change = try ingest.apply(
            F.payload([F.alert("a1", severity: "warning"), F.alert("b2", severity: "page")]),
            to: &incident, runbook: nil, context: alertmanager(4))
        #expect(change.declared && incident.phase == .declare)
    }

    @Test func aRoutesRunbookIsAttached() throws {
        let runbook = try RunbookLibrary(directories: []).find("disk-full")
        let ingest = AlertIngest(
            settings: AlertSettings(routes: [AlertRoute(runbook: "disk-full")]))
        let payload = try F.payload([F.alert("a1")])
        #expect(ingest.runbookName(for: payload) == "disk-full")
        let incident = try ingest.open(
            payload, id: id, uid: "u", previous: nil, runbook: runbook, context: alertmanager(0))
        #expect(incident.runbook?.name == "disk-full")
    }

    @Test func secretsInLabelsAndAnnotationsAreRedacted() throws {
        let token = "ghp_" + String(repeating: "A1b2", count: 9)
        let secret = "password=" + "hunter2hunter2"
        var alert = F.alert("a1", extra: ["token": token], summary: "DB login failing: " + secret)
        alert.annotations["description"] = secret
        let incident = try ingest.open(
            F.payload([alert], groupKey: "{}:{key=\"\(token)\"}"), id: id, uid: "u", previous: nil,
            runbook: nil,
            context: alertmanager(0))
        let written = String(decoding: try JSONCoding.encoder().encode(incident), as: UTF8.self)
        #expect(!written.contains(token) && !written.contains("hunter2hunter2"))
        #expect(
            written.contains("[REDACTED:github-token]") && written.contains("[REDACTED:password]"))
        // The group is still recognised: its digest is of the payload's own key.
        #expect(
            incident.alertTrack.groupDigest
                == AlertGroup(receiver: "irctl", groupKey: "{}:{key=\"\(token)\"}").digest)
    }

    @Test func aClosedIncidentIsNeverChanged() throws {
        var incident = try opened([F.alert("a1")])
        try incident.close(force: true, context: alertmanager(1))
        let before = incident
        #expect(
            try ingest.apply(
                F.payload([F.alert("a1"), F.alert("b2")]), to: &incident, runbook: nil,
                context: alertmanager(2)
            ).isEmpty)
        #expect(incident == before)
    }
}
