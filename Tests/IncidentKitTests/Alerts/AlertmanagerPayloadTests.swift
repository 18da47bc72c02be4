import Foundation
import Testing

@testable import IncidentKit

@Suite struct AlertmanagerPayloadTests {
    @Test func decodesAFiringNotification() throws {
        let payload = try AlertFixtures.payload(
            [AlertFixtures.alert("a1"), AlertFixtures.alert("b2", extra: ["pod": "checkout-7f"])],
            truncated: 3)
        #expect(payload.version == "4")
        #expect(payload.receiver == "irctl")
        #expect(payload.status == .firing)
        #expect(payload.groupKey == "{}:{alertname=\"HighErrorRate\"}")
        #expect(payload.truncatedAlerts == 3)
        #expect(payload.externalURL == "http://alertmanager:9093")
        #expect(payload.alerts.map(\.fingerprint) == ["a1", "b2"])
        #expect(payload.alerts[1].labels["pod"] == "checkout-7f")
        #expect(payload.alerts[0].summary == "Checkout 5xx above 5%")
        #expect(
            Alert.date(payload.alerts[0].startsAt) == Timestamp.parse("2026-11-21T10:00:00Z"),
            "nanoseconds are dropped")
        #expect(Alert.date(payload.alerts[0].endsAt) == nil, "Go's zero time means still firing")
    }

    @Test func unknownFieldsAreIgnoredAndMissingOnesDefault() throws {
        let json = """
            {"version":"4","groupKey":"g","newTopLevel":{"x":[1,2]},\
            "alerts":[{"labels":{"alertname":"A"},"fingerprint":"f","futureField":true}]}
            """
        let payload = try AlertmanagerPayload.decode(Array(json.utf8))
        #expect(payload.status == .firing, "an alert without a status fires")
        #expect(
            payload.receiver == "" && payload.truncatedAlerts == 0
                && payload.commonAnnotations.isEmpty)
        #expect(payload.alerts[0].summary == "A", "without a summary annotation, the alert's name")
    }

    @Test func anAlertWithoutFingerprintIsToldApartByItsLabels() throws {
        let json =
            #"{"version":"4","groupKey":"g","alerts":[{"labels":{"a":"1"}},{"labels":{"a":"2"}},{""#
            + #"labels":{"a":"1"}}]}"#
        let alerts = try AlertmanagerPayload.decode(Array(json.utf8)).alerts
        #expect(alerts[0].fingerprint != alerts[1].fingerprint)
        #expect(alerts[0].fingerprint == alerts[2].fingerprint)
    }

    @Test(
        arguments: [
            (#"{"version":"3","groupKey":"g","alerts":[]}"#, "version '3' is not supported"),
            (
                AlertFixtures.json([AlertFixtures.alert("a")], version: "\"5\""),
                "version '5' is not supported"
            ),
            (#"{"groupKey":"g","alerts":[]}"#, "no \"version\" field"),
            ("not json at all", "not valid JSON"),
            ("", "not valid JSON"),
            ("[1,2,3]", "not an Alertmanager webhook payload"),
            (#"{"version":"4","alerts":[]}"#, "missing field 'groupKey'"),
            (#"{"version":"4","groupKey":"","alerts":[]}"#, "empty group key"),
            (#"{"version":"4","groupKey":"g"}"#, "missing field 'alerts'"),
            (
                #"{"version":"4","groupKey":"g","alerts":[{"status":"exploded"}]}"#,
                "not an Alertmanager webhook payload"
            ),
            (#"{"version":"4","groupKey":"g","alerts":{}}"#, "wrong type"),
            (String(AlertFixtures.json([AlertFixtures.alert("a")]).dropLast(40)), "not valid JSON"),
        ] as [(String, String)])
    func refusesWhatIsNotAVersion4Notification(_ json: String, _ words: String) {
        #expect {
            _ = try AlertmanagerPayload.decode(Array(json.utf8))
        } throws: { error in
            guard let error = error as? AlertError else { return false }
            return error.message.contains(words) && error.isUsageError
        }
    }

    @Test func refusesInvalidUTF8() {
        #expect(throws: AlertError.invalidPayload(reason: "not valid UTF-8")) {
            _ = try AlertmanagerPayload.decode([0x7B, 0xFF, 0xFE, 0x7D])
        }
    }

    @Test func aNumericVersion4IsAccepted() throws {
        let payload = try AlertmanagerPayload.decode(
            Array(AlertFixtures.json([AlertFixtures.alert("a")], version: "4").utf8))
        #expect(payload.version == "4")
    }

    @Test func theGroupIsReceiverAndKey() throws {
        let a = AlertGroup(receiver: "team-a", groupKey: "{}:{x=\"1\"}")
        let b = AlertGroup(receiver: "team-b", groupKey: "{}:{x=\"1\"}")
        #expect(a.digest != b.digest, "the same key under two receivers is two groups")
        #expect(
            a.digest.count == 32
                && a.digest == AlertGroup(receiver: "team-a", groupKey: "{}:{x=\"1\"}").digest)
        #expect(
            Redactor.standard.redact(a.digest) == a.digest,
            "a digest is never mistaken for a secret")
        #expect(
            Redactor.standard.redact("a1b2c3d4e5f60718") == "a1b2c3d4e5f60718",
            "nor is a fingerprint")
    }
}
