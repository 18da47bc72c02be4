import Foundation
import Testing

@testable import IncidentKit

/// A clock that moves one minute per change, so every entry has its own time.
struct Minutes {
    var start = Date(timeIntervalSince1970: 1_795_269_600)  // 2026-11-21T10:00:00Z
    func at(_ minute: Int, as author: String = "alice") -> EditContext {
        EditContext(author: author, now: start.addingTimeInterval(Double(minute) * 60))
    }
}

@Suite struct LifecycleTests {
    let clock = Minutes()

    func declared(_ phase: Phase = .declare) throws -> Incident {
        var new = NewIncident(
            title: "Checkout 5xx", severity: SeverityScheme.standard.levels[1], phase: phase)
        new.services = ["checkout", "checkout", " "]
        new.roles.commander = "alice"
        return try Incident.open(new, id: IncidentID(number: 1)!, uid: "u-1", context: clock.at(0))
    }

    @Test func declaringRecordsDetectionAndDeclaration() throws {
        let incident = try declared()
        #expect(incident.phase == .declare)
        #expect(incident.services == ["checkout"], "duplicates and blanks are dropped")
        #expect(incident.timeline.map(\.kind) == [.phase, .phase])
        #expect(incident.timeline.map(\.seq) == [1, 2])
        #expect(
            incident.timeline[1].data == [
                "from": "detect", "to": "declare", "severity": "SEV2", "rank": "2",
            ])
        #expect(incident.phaseTimes.declaredAt == clock.at(0).now)
        #expect(incident.verifyChain().isValid)
    }

    /// Secrets are redacted before anything is written, whichever field carries them.
    @Test func secretsAreRedactedInEveryWrittenField() throws {
        let secret = "password=" + String(repeating: "s3cr", count: 4)
        let context = EditContext(author: "bob " + secret, now: clock.start)
        var new = NewIncident(
            title: "Checkout 5xx", severity: SeverityScheme.standard.levels[1], phase: .declare)
        new.services = ["svc " + secret]
        new.tags = ["tag " + secret]
        new.roles = Roles(commander: "alice " + secret)
        var incident = try Incident.open(
            new, id: IncidentID(number: 1)!, uid: "u-1", context: context)
        try incident.assign([(.tech, "carol " + secret)], context: context)
        try incident.changeServices(add: ["api " + secret], remove: [], context: context)
        try incident.changeTags(add: ["db " + secret], remove: [], context: context)
        try incident.addActionItem(
            ActionItemChange(text: "rotate", owner: "dave " + secret), context: context)
        try incident.editActionItem(
            "A1", ActionItemChange(owner: "erin " + secret), context: context)
        let written = String(decoding: try Store.encode(incident), as: UTF8.self)
        #expect(!written.contains("s3cr"), "a secret reached the file:\n\(written)")
        #expect(incident.roles.commander?.hasPrefix("alice ") == true)
        #expect(incident.verifyChain().isValid)
    }

    @Test func emptyTitleIsRefused() {
        let new = NewIncident(
            title: "  \n ", severity: SeverityScheme.standard.levels[0], phase: .declare)
        #expect(throws: ValueError.empty(what: "the title")) {
            try Incident.open(new, id: IncidentID(number: 1)!, uid: "u", context: clock.at(0))
        }
    }

    @Test func forwardSkipsAreRecorded() throws {
        var incident = try declared()
        try incident.move(to: .recover, context: clock.at(5))
        let entry = try #require(incident.timeline.last)
        #expect(entry.data["skipped"] == "contain,eradicate")
        #expect(entry.text == "declare → recover (skipped contain, eradicate)")
        #expect(
            incident.phaseTimes.containedAt == clock.at(5).now, "skipping past contain contains it")
    }

    @Test func backwardNeedsAReason() throws {
        var incident = try declared()
        try incident.move(to: .recover, context: clock.at(5))
        #expect(
            throws: LifecycleError.backwardNeedsReason(incident.id, from: .recover, to: .contain)
        ) {
            try incident.move(to: .contain, context: clock.at(6))
        }
        #expect(
            throws: LifecycleError.backwardNeedsReason(incident.id, from: .recover, to: .contain)
        ) {
            try incident.move(to: .contain, reason: "  ", context: clock.at(6))
        }
        try incident.move(to: .contain, reason: "errors are back", context: clock.at(7))
        #expect(incident.phase == .contain)
        #expect(incident.timeline.last?.data["reason"] == "errors are back")
    }

    @Test func samePhaseAndClosedPhaseAreRefused() throws {
        var incident = try declared()
        #expect(throws: LifecycleError.alreadyInPhase(incident.id, .declare)) {
            try incident.move(to: .declare, context: clock.at(1))
        }
        #expect(throws: LifecycleError.useClose(incident.id)) {
            try incident.move(to: .closed, context: clock.at(1))
        }
    }

    @Test func closeOnlyFromReviewUnlessForced() throws {
        var incident = try declared()
        #expect(throws: LifecycleError.closeNeedsReview(incident.id, .declare)) {
            try incident.close(context: clock.at(1))
        }
        try incident.close(force: true, context: clock.at(2))
        #expect(incident.phase == .closed)
        #expect(incident.timeline.last?.data["forced"] == "true")
        #expect(incident.phaseTimes.closedAt == clock.at(2).now)
        #expect(throws: LifecycleError.closed(incident.id)) {
            try incident.log("late note", context: clock.at(3))
        }
        #expect(throws: LifecycleError.closed(incident.id)) {
            try incident.close(context: clock.at(3))
        }
    }

    @Test func reopenNeedsClosedAndAReason() throws {
        var incident = try declared()
        #expect(throws: LifecycleError.notClosed(incident.id)) {
            try incident.reopen(reason: "x", context: clock.at(1))
        }
        try incident.move(to: .review, context: clock.at(2))
        try incident.close(context: clock.at(3))
        #expect(throws: ValueError.empty(what: "the reason")) {
            try incident.reopen(reason: " ", context: clock.at(4))
        }
        try incident.reopen(reason: "alert fired again", into: .contain, context: clock.at(5))
        #expect(incident.phase == .contain)
        #expect(incident.isOpen && incident.isActive)
        #expect(incident.phaseTimes.closedAt == nil)
        #expect(incident.phaseTimes.recoveredAt == clock.at(2).now, "the first recovery stands")
    }

    @Test func derivedTimesAndMetrics() throws {
        var new = NewIncident(
            title: "DB down", severity: SeverityScheme.standard.levels[0], phase: .detect)
        new.startedAt = clock.at(-10).now
        new.detectedAt = clock.at(0).now
        var incident = try Incident.open(
            new, id: IncidentID(number: 2)!, uid: "u-2", context: clock.at(0))
        try incident.declare(severity: nil, context: clock.at(3))
        try incident.move(to: .contain, context: clock.at(5))
        try incident.move(to: .eradicate, context: clock.at(20))
        try incident.move(to: .review, context: clock.at(60))
        let metrics = IncidentMetrics(incident)
        #expect(metrics.timeToDetect == 600)
        #expect(metrics.timeToDeclare == 180)
        #expect(metrics.timeToContain == 1200)
        #expect(metrics.timeToRecover == 3600)
        #expect(metrics.impactDuration == 4200)
    }

    @Test func missingTimesAreLeftOutNotZero() throws {
        let incident = try declared()
        let metrics = IncidentMetrics(incident)
        #expect(metrics.timeToDetect == nil, "no start time")
        #expect(metrics.timeToContain == nil)
        #expect(metrics.timeToRecover == nil)
        #expect(metrics.impactDuration == nil)
        #expect(metrics.timeToDeclare == 0)
    }

    @Test func promoteOnlyFromDetect() throws {
        var incident = try declared(.detect)
        #expect(incident.phase == .detect)
        try incident.declare(severity: SeverityScheme.standard.levels[0], context: clock.at(1))
        #expect(incident.severity == "SEV1")
        #expect(throws: LifecycleError.alreadyDeclared(incident.id, .declare)) {
            try incident.declare(severity: nil, context: clock.at(2))
        }
    }

    @Test func severityAndRoles() throws {
        var incident = try declared()
        #expect(throws: LifecycleError.sameSeverity(incident.id, "SEV2")) {
            try incident.changeSeverity(to: SeverityScheme.standard.levels[1], context: clock.at(1))
        }
        try incident.changeSeverity(
            to: SeverityScheme.standard.levels[0], reason: "EU too", context: clock.at(1))
        #expect(incident.timeline.last?.text == "Severity SEV2 → SEV1: EU too")
        try incident.assign([(.commander, "bob"), (.comms, "carol")], context: clock.at(2))
        #expect(incident.roles == Roles(commander: "bob", comms: "carol"))
        #expect(
            incident.timeline.suffix(2).map(\.text) == [
                "commander: bob (was alice)", "comms: carol",
            ])
        #expect(throws: LifecycleError.nothingToChange(incident.id)) {
            try incident.assign([(.commander, "bob")], context: clock.at(3))
        }
        try incident.assign([(.comms, "")], context: clock.at(4))
        #expect(incident.roles.comms == nil)
    }

    @Test func entriesInThePastKeepWriteOrder() throws {
        var incident = try declared()
        let entry = try incident.log(
            "error rate 12% since 09:58", at: clock.at(-2).now, context: clock.at(1))
        #expect(entry.at == clock.at(-2).now)
        #expect(entry.recordedAt == clock.at(1).now)
        #expect(entry.seq == 3)
        #expect(throws: ValueError.empty(what: "the entry")) {
            try incident.log("  ", context: clock.at(2))
        }
    }

    @Test func chainDetectsEdits() throws {
        var incident = try declared()
        try incident.log("one", context: clock.at(1))
        try incident.log("two", context: clock.at(2))
        #expect(incident.verifyChain().isValid)
        // As a file edited by hand reads back: the same entries, one changed or one taken out.
        var edited = incident.timeline
        edited[2].text = "one (edited)"
        let tampered = try Incident(uid: incident.uid, projecting: edited)
        #expect(tampered.verifyChain().firstMismatch?.seq == 3)
        var remaining = incident.timeline
        remaining.remove(at: 1)
        let dropped = try Incident(uid: incident.uid, projecting: remaining)
        #expect(dropped.verifyChain().firstMismatch?.index == 1)
    }

    @Test func secretsAreRedactedBeforeStorage() throws {
        var incident = try declared()
        let token = "ghp_" + String(repeating: "A1b2", count: 9)
        try incident.log("used token \(token) to deploy", context: clock.at(1))
        #expect(!incident.timeline.last!.text.contains(token))
        #expect(incident.timeline.last!.text.contains("[REDACTED:github-token]"))
    }
}

@Suite struct PhaseTimeOrderTests {
    let clock = Minutes()

    @Test func phaseChangesCannotBeDatedBeforeTheCurrentPhase() throws {
        var new = NewIncident(
            title: "x", severity: SeverityScheme.standard.levels[1], phase: .declare)
        new.detectedAt = clock.at(0).now
        var incident = try Incident.open(
            new, id: IncidentID(number: 1)!, uid: "u", context: clock.at(10))
        #expect(incident.currentPhaseEnteredAt == clock.at(10).now)
        #expect(
            throws: LifecycleError.phaseTimeTooEarly(
                incident.id, phase: .declare, since: clock.at(10).now, given: clock.at(-60).now)
        ) {
            try incident.move(to: .contain, at: clock.at(-60).now, context: clock.at(20))
        }
        #expect(throws: LifecycleError.self) {
            try incident.move(to: .contain, at: clock.at(5).now, context: clock.at(20))
        }
        try incident.move(to: .contain, at: clock.at(12).now, context: clock.at(20))
        #expect(incident.phaseTimes.firstEntered[.contain] == clock.at(12).now)
        #expect(throws: LifecycleError.self) {
            try incident.close(force: true, at: clock.at(11).now, context: clock.at(21))
        }
        try incident.move(to: .review, at: clock.at(12).now, context: clock.at(22))
        let metrics = IncidentMetrics(incident)
        #expect(
            metrics.timeToDeclare == 600 && metrics.timeToContain == 720
                && metrics.timeToRecover == 720)
    }
}
