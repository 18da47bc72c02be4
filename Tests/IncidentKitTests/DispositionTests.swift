import Foundation
import Testing

@testable import IncidentKit

/// Drills, false alarms and duplicates: recorded as entries, projected, kept in the index, and
/// left out of stats by default.
@Suite struct DispositionTests {
    let clock = Minutes()

    func opened(
        _ phase: Phase = .declare, drill: Bool = false, uid: String = "u-1"
    ) throws
        -> Incident
    {
        var new = NewIncident(
            title: "Checkout 5xx", severity: SeverityScheme.standard.levels[1], phase: phase)
        new.isDrill = drill
        return try Incident.open(
            new, id: IncidentID(number: uid == "u-1" ? 1 : 2)!, uid: uid, context: clock.at(0))
    }

    @Test func aFalseAlarmClosesFromAnyPhaseAndSaysSo() throws {
        var incident = try opened(.detect)
        try incident.closeAsFalseAlarm(message: "synthetic check", context: clock.at(1))
        #expect(incident.phase == .closed)
        #expect(incident.closedAs == .falseAlarm)
        let entry = incident.timeline.last!
        #expect(entry.text == "Closed as a false alarm (from detect): synthetic check")
        #expect(entry.data["closedAs"] == "false-alarm")
        #expect(entry.data["forced"] == "true")
        #expect(incident.verifyChain().isValid)
        // The state is the projection of the entries: a reader gets the same.
        let projected = try Incident(uid: incident.uid, projecting: incident.timeline)
        #expect(projected.closedAs == .falseAlarm)
    }

    @Test func aDuplicateNamesItsOriginalByUIDAndNotItself() throws {
        let original = try opened()
        var copy = try opened(uid: "u-2")
        #expect(throws: LifecycleError.duplicateOfItself(copy.id)) {
            try copy.closeAsDuplicate(of: copy, context: clock.at(1))
        }
        #expect(copy.phase == .declare, "a refused close changes nothing")
        try copy.closeAsDuplicate(of: original, context: clock.at(1))
        #expect(copy.closedAs == .duplicate(of: "u-1"))
        #expect(copy.duplicateOfID == IncidentID(number: 1))
        #expect(copy.timeline.last!.text == "Closed as a duplicate of INC-1 (from declare)")
        let projected = try Incident(uid: copy.uid, projecting: copy.timeline.reversed())
        #expect(projected.closedAs == .duplicate(of: "u-1"))
    }

    @Test func reopeningClearsHowItWasClosed() throws {
        var incident = try opened()
        try incident.closeAsFalseAlarm(context: clock.at(1))
        try incident.reopen(reason: "it was real", into: .contain, context: clock.at(2))
        #expect(incident.closedAs == nil)
        try incident.close(force: true, context: clock.at(3))
        #expect(incident.closedAs == nil, "a plain close is not a false alarm")
    }

    @Test func aDrillIsMarkedAtOpeningOrOnPromotion() throws {
        let drill = try opened(drill: true)
        #expect(drill.isDrill)
        #expect(drill.timeline[0].data["drill"] == "true")
        #expect(drill.timeline[0].text == "Detected (drill): Checkout 5xx")

        var promoted = try opened(.detect)
        #expect(!promoted.isDrill)
        try promoted.markDrill(context: clock.at(1))
        #expect(promoted.isDrill)
        #expect(throws: LifecycleError.alreadyDrill(promoted.id)) {
            try promoted.markDrill(context: clock.at(2))
        }
        #expect(try Incident(uid: promoted.uid, projecting: promoted.timeline).isDrill)
    }

    @Test func theIndexKeepsDrillsAndHowItWasClosed() throws {
        var duplicate = try opened(drill: true, uid: "u-2")
        try duplicate.closeAsDuplicate(of: try opened(), context: clock.at(1))
        for incident in [duplicate, try opened()] {
            let summary = IncidentSummary(incident)
            let line = SummaryIndex.line(summary, sources: "s", files: "f")
            let read = try #require(
                Array(line.utf8.dropLast()).withUnsafeBufferPointer {
                    SummaryIndex.parseLine($0)
                })
            #expect(read.summary.isDrill == incident.isDrill)
            #expect(read.summary.closedAs == incident.closedAs)
        }
    }

    /// `list --json` written by hand matches the encoder, with the new keys where they belong.
    @Test func listJSONCarriesTheNewFieldsLikeTheEncoder() throws {
        var duplicate = try opened(drill: true, uid: "u-2")
        try duplicate.closeAsDuplicate(of: try opened(), context: clock.at(1))
        var falseAlarm = try opened()
        try falseAlarm.closeAsFalseAlarm(context: clock.at(1))
        let summaries = [duplicate, falseAlarm, try opened()].map(IncidentSummary.init)
        let byHand = String(decoding: SummaryJSON.encode(summaries), as: UTF8.self)
        let encoded = String(
            decoding: try JSONCoding.encoder().encode(summaries), as: UTF8.self)
        #expect(byHand == encoded)
        #expect(byHand.contains("\"closedAs\" : \"duplicate\""))
        #expect(byHand.contains("\"duplicateOf\" : \"u-1\""))
        #expect(byHand.contains("\"drill\" : true"))
        #expect(byHand.contains("\"closedAs\" : \"false-alarm\""))
    }

    @Test(arguments: [
        ("false-alarms", [SetAside.falseAlarms]),
        ("false-alarm,drill", [.falseAlarms, .drills]),
        ("Duplicates, drills", [.duplicates, .drills]),
        ("all", [.falseAlarms, .duplicates, .drills]),
    ])
    func includeListsParse(_ text: String, _ expected: [SetAside]) throws {
        #expect(try SetAside.parse(text) == Set(expected))
    }

    @Test func anUnknownKindToIncludeIsRefusedWithTheChoices() {
        #expect(throws: ValueError.self) { try SetAside.parse("drills,outages") }
        let error = Result { () throws(ValueError) in try SetAside.parse("outages") }
        guard case .failure(let failure) = error else {
            Issue.record("accepted")
            return
        }
        #expect(failure.message.contains("false-alarms, duplicates, drills or all"))
    }

    @Test func aSetAsideKindPerSummary() throws {
        var falseAlarm = try opened()
        try falseAlarm.closeAsFalseAlarm(context: clock.at(1))
        var drillFalseAlarm = try opened(drill: true)
        try drillFalseAlarm.closeAsFalseAlarm(context: clock.at(1))
        #expect(SetAside.kind(of: IncidentSummary(falseAlarm)) == .falseAlarms)
        #expect(SetAside.kind(of: IncidentSummary(drillFalseAlarm)) == .drills)
        #expect(SetAside.kind(of: IncidentSummary(try opened())) == nil)
        #expect(ClosedAs.marker(drill: true, closedAs: .falseAlarm) == "[drill, false alarm] ")
        #expect(ClosedAs.marker(drill: false, closedAs: nil) == "")
    }
}

/// Which store a teammate would expect, from the working directory.
@Suite struct UnexpectedStoreTests {
    func exists(_ paths: Set<String>) -> (String) -> Bool { { paths.contains($0) } }

    @Test func thePersonalStoreInsideARepositoryIsUnexpected() {
        let personal = StoreLocation(path: "/home/a/.local/share/irctl", source: .userDefault)
        let inRepo = personal.unexpected(
            workingDirectory: "/work/repo/src", exists: exists(["/work/repo/.git"]),
            directoryExists: exists([]))
        #expect(inRepo == .personalStoreInRepository(workTree: "/work/repo"))
        let outside = personal.unexpected(
            workingDirectory: "/tmp", exists: exists(["/work/repo/.git"]),
            directoryExists: exists([]))
        #expect(outside == nil)
    }

    @Test func irctlDirOverATeamStoreIsUnexpectedButDirIsNot() {
        let team: Set<String> = ["/work/repo/.irctl"]
        let environment = StoreLocation(path: "/elsewhere", source: .environment)
        #expect(
            environment.unexpected(
                workingDirectory: "/work/repo/src", exists: exists(team),
                directoryExists: exists(team))
                == .environmentOverTeamStore(teamStore: "/work/repo/.irctl"))
        let same = StoreLocation(path: "/work/repo/.irctl", source: .environment)
        #expect(
            same.unexpected(
                workingDirectory: "/work/repo", exists: exists(team), directoryExists: exists(team))
                == nil)
        let option = StoreLocation(path: "/elsewhere", source: .option)
        #expect(
            option.unexpected(
                workingDirectory: "/work/repo", exists: exists(team), directoryExists: exists(team))
                == nil)
    }
}

/// A bare clock time given with a later one is read on that one's day.
@Suite struct PairedTimeTests {
    let utc = TimeZone(secondsFromGMT: 0)!

    @Test func theEarlierClockTimeFollowsTheLaterOnesDay() throws {
        // 14:00: --detected 14:02 is yesterday's; --started 13:55 must be yesterday's too.
        let now = Timestamp.parse("2026-11-21T14:00:00Z")!
        let input = TimeInput(now: now, timeZone: utc, pastOnly: true)
        let detected = try input.parse("14:02")
        #expect(detected == Timestamp.parse("2026-11-20T14:02:00Z"))
        let started = try input.parse("13:55", onTheDayOf: detected)
        #expect(started == Timestamp.parse("2026-11-20T13:55:00Z"))
        // Alone, 13:55 is today's: the rule that made the pair fail.
        #expect(try input.parse("13:55") == Timestamp.parse("2026-11-21T13:55:00Z"))
    }

    @Test func bothAreOnTheSameDaySoAStartAfterDetectionStaysAfterIt() throws {
        // Not moved a day back to fit: a start typed after the detection is a mistake to report.
        let now = Timestamp.parse("2026-11-21T15:00:00Z")!
        let input = TimeInput(now: now, timeZone: utc, pastOnly: true)
        let detected = try input.parse("14:02")
        #expect(
            try input.parse("14:10", onTheDayOf: detected)
                == Timestamp.parse("2026-11-21T14:10:00Z"))
    }

    @Test func otherFormsAreReadAsUsual() throws {
        let now = Timestamp.parse("2026-11-21T14:00:00Z")!
        let input = TimeInput(now: now, timeZone: utc, pastOnly: true)
        let later = Timestamp.parse("2026-11-19T10:00:00Z")!
        #expect(
            try input.parse("10m ago", onTheDayOf: later)
                == Timestamp.parse("2026-11-21T13:50:00Z"))
    }
}
