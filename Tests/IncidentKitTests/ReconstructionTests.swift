import Foundation
import Testing

@testable import IncidentKit

/// Writing an incident up after the fact: every recording method takes `at`, past-only time
/// input reads a bare clock as the most recent one, and messages carry times a display can
/// localise.
@Suite struct ReconstructionTests {
    let clock = Minutes()
    var later: EditContext { clock.at(24 * 60) }  // the write-up, the next morning

    func declared() throws -> Incident {
        var new = NewIncident(
            title: "Checkout 5xx", severity: SeverityScheme.standard.levels[1], phase: .declare)
        new.detectedAt = clock.at(2).now
        new.declaredAt = clock.at(5).now
        return try Incident.open(new, id: IncidentID(number: 1)!, uid: "u-1", context: later)
    }

    @Test func declaringDatesTheDeclarationAndTheDetection() throws {
        let incident = try declared()
        #expect(incident.timeline.map(\.at) == [clock.at(2).now, clock.at(5).now])
        #expect(incident.phaseTimes.declaredAt == clock.at(5).now)
        #expect(incident.timeline.allSatisfy { $0.recordedAt == later.now })

        var alone = NewIncident(
            title: "x", severity: SeverityScheme.standard.levels[1], phase: .declare)
        alone.declaredAt = clock.at(7).now
        let opened = try Incident.open(
            alone, id: IncidentID(number: 2)!, uid: "u-2", context: later)
        #expect(opened.detectedAt == clock.at(7).now, "detection defaults to the declaration")

        var backwards = alone
        backwards.detectedAt = clock.at(9).now
        #expect(throws: ValueError.self) {
            try Incident.open(backwards, id: IncidentID(number: 3)!, uid: "u-3", context: later)
        }
    }

    /// Each recording method puts its entry at the time given, not at the write-up time.
    @Test func everyRecordingMethodTakesAt() throws {
        var incident = try declared()
        let runbook = ChecklistTests.runbook()
        let changes: [(String, (inout Incident, Date) throws -> Void)] = [
            (
                "severity",
                {
                    try $0.changeSeverity(
                        to: SeverityScheme.standard.levels[0], at: $1, context: later)
                }
            ),
            ("assign", { try $0.assign([(.comms, "bob")], at: $1, context: later) }),
            (
                "services",
                { try $0.changeServices(add: ["checkout"], remove: [], at: $1, context: later) }
            ),
            ("tags", { try $0.changeTags(add: ["deploy"], remove: [], at: $1, context: later) }),
            (
                "link",
                {
                    try $0.addLink(
                        url: "https://grafana.example.com/d/x", label: "Dash", at: $1,
                        context: later)
                }
            ),
            ("unlink", { try $0.removeLink("Dash", at: $1, context: later) }),
            ("narrative", { try $0.setNarrative(.summary, to: "pool", at: $1, context: later) }),
            ("title", { try $0.setTitle("Checkout 503s", at: $1, context: later) }),
            ("started", { try $0.setStarted(clock.at(1).now, at: $1, context: later) }),
            ("detected", { try $0.setDetected(clock.at(3).now, at: $1, context: later) }),
            (
                "action add",
                { try $0.addActionItem(ActionItemChange(text: "alert"), at: $1, context: later) }
            ),
            (
                "action edit",
                {
                    try $0.editActionItem(
                        "A1", ActionItemChange(owner: "carol"), at: $1, context: later)
                }
            ),
            ("action done", { try $0.completeActionItem("A1", at: $1, context: later) }),
            ("action reopen", { try $0.reopenActionItem("A1", at: $1, context: later) }),
            ("runbook", { try $0.attachRunbook(runbook, at: $1, context: later) }),
            ("step", { try $0.markStep(1, as: .done, at: $1, context: later) }),
            ("phase", { try $0.move(to: .review, at: $1, context: later) }),
            ("close", { try $0.close(at: $1, context: later) }),
            ("reopen", { try $0.reopen(reason: "back", at: $1, context: later) }),
        ]
        for (minute, (name, change)) in changes.enumerated() {
            let at = clock.at(10 + minute).now
            try change(&incident, at)
            #expect(incident.timeline.last?.at == at, "\(name) recorded at the time given")
            #expect(
                incident.timeline.last?.recordedAt == later.now, "\(name) keeps when it was written"
            )
        }
        #expect(incident.actionItems[0].createdAt == clock.at(20).now)
        #expect(incident.runbook?.attachedAt == clock.at(24).now)
        #expect(incident.runbook?.steps[0].at == clock.at(25).now)
        #expect(incident.verifyChain().isValid)
    }

    @Test func aPhaseChangeBeforeTheCurrentPhaseSaysHowToReconstruct() throws {
        var incident = try declared()
        #expect(throws: LifecycleError.self) {
            try incident.move(to: .contain, at: clock.at(4).now, context: later)
        }
        let error = LifecycleError.phaseTimeTooEarly(
            incident.id, phase: .declare, since: clock.at(5).now, given: clock.at(4).now)
        #expect(
            !error.message.contains("set INC-1 detected"),
            "correcting the detection can't move a phase entry")
        #expect(
            error.message.contains("record the phases in the order they happened, each with --at"))
        #expect(throws: LifecycleError.self) {
            try incident.close(force: true, at: clock.at(30).now, context: later)
            try incident.reopen(reason: "back", at: clock.at(29).now, context: later)
        }
    }

    // MARK: Time input

    @Test(arguments: [
        // now = 2026-11-21T14:30:00Z, 15:30 in Berlin
        ("14:02", Fixture.utc, "2026-11-21T14:02:00Z"),
        ("14:31", Fixture.utc, "2026-11-21T14:31:00Z"),  // within the minute of skew: still today
        ("14:32", Fixture.utc, "2026-11-20T14:32:00Z"),  // later than now: yesterday
        ("23:50", Fixture.utc, "2026-11-20T23:50:00Z"),
        ("23:50", Fixture.berlin, "2026-11-20T22:50:00Z"),
        ("15:00", Fixture.berlin, "2026-11-21T14:00:00Z"),
        ("Nov 21 09:00", Fixture.utc, "2026-11-21T09:00:00Z"),
        ("nov 20 23:10", Fixture.berlin, "2026-11-20T22:10:00Z"),
        ("November 3", Fixture.utc, "2026-11-03T00:00:00Z"),
        ("Dec 24 18:00", Fixture.utc, "2025-12-24T18:00:00Z"),  // later this year: last year's
    ])
    func pastOnlyInput(_ input: String, _ zone: TimeZone, _ expected: String) throws {
        let date = try TimeInput(now: Fixture.now, timeZone: zone, pastOnly: true).parse(input)
        #expect(Timestamp.format(date) == expected)
    }

    @Test func withoutPastOnlyTheFutureStays() throws {
        let input = TimeInput(now: Fixture.now, timeZone: Fixture.utc)
        #expect(Timestamp.format(try input.parse("23:50")) == "2026-11-21T23:50:00Z")
        #expect(Timestamp.format(try input.parse("Dec 24 18:00")) == "2026-12-24T18:00:00Z")
        #expect(throws: TimeInputError.self) { try input.parse("Nov 31 10:00") }
        #expect(throws: TimeInputError.self) { try input.parse("Novem 3") }
        #expect(throws: TimeInputError.self) { try input.parse("Nov 3 10:00 extra") }
        #expect(TimeInput.isBareClock("23:50") && TimeInput.isBareClock(" 9:05:30 "))
        #expect(
            !TimeInput.isBareClock("yesterday 23:50") && !TimeInput.isBareClock("2026-11-21 14:02"))
    }

    @Test func timesInTextAreShownInTheReadersZone() {
        let berlin = TimeDisplay(timeZone: Fixture.berlin, utc: false)
        #expect(
            berlin.localizingTimestamps(in: "Impact start 2026-11-21T13:55:00Z (was unknown)")
                == "Impact start 2026-11-21 14:55 (was unknown)")
        #expect(
            berlin.localizingTimestamps(
                in: "since 2026-11-21T13:55:07Z; given 2026-11-21T13:50:00Z.")
                == "since 2026-11-21 14:55:07; given 2026-11-21 14:50.")
        #expect(
            TimeDisplay(timeZone: Fixture.berlin, utc: true).localizingTimestamps(
                in: "at 2026-11-21T13:55:00Z")
                == "at 2026-11-21 13:55Z")
        for untouched in [
            "no times here", "x2026-11-21T13:55:00Z", "2026-11-21T13:55:00Zed",
            "2026-11-21T25:55:00Z", "",
        ] {
            #expect(berlin.localizingTimestamps(in: untouched) == untouched)
        }
    }
}
