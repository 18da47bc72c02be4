import Foundation
import TestSupport
import Testing

@testable import IncidentKit

/// CSV export, the hand-written `list --json`, and review rules for false alarms.
@Suite struct ExportTests {
    @Test(arguments: [
        ("plain", "plain"),
        ("a,b", "\"a,b\""),
        ("say \"hi\"", "\"say \"\"hi\"\"\""),
        ("two\nlines", "\"two\nlines\""),
        ("cr\r", "\"cr\r\""),
        ("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\""),
        ("+1", "'+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("", ""),
        ("é ünïcode", "é ünïcode"),
    ])
    func csvFields(_ value: String, _ expected: String) {
        #expect(CSV.field(value) == expected)
    }

    @Test func csvDocumentsHaveAHeaderAndCRLF() {
        #expect(
            CSV.document(header: ["id", "title"], rows: [["INC-1", "a, b"], ["INC-2", "c"]])
                == "id,title\r\nINC-1,\"a, b\"\r\nINC-2,c\r\n")
    }

    /// The hand-written encoder writes exactly what JSONEncoder writes, for summaries full of
    /// every kind of character and every optional field present or absent.
    @Test func summaryJSONMatchesTheEncoder() throws {
        var random = SplitMix64(seed: 0x5EED_0010)
        let pieces = [
            "a", "Z", " ", "\"", "\\", "/", "\n", "\r", "\t", "\u{0}", "\u{1F}", "\u{7F}", "é", "€",
            "𝄞", "🚨", "\u{2028}", "<", "&",
        ]
        func text() -> String {
            (0..<Int(random.next() % 12)).map { _ in
                pieces[Int(random.next() % UInt64(pieces.count))]
            }.joined()
        }
        func date() -> Date? {
            random.next() % 3 == 0
                ? nil : Date(timeIntervalSince1970: Double(random.next() % 4_000_000_000))
        }
        var summaries: [IncidentSummary] = []
        for n in 1...300 {
            let roles = Roles(
                commander: random.next() % 2 == 0 ? text() : nil,
                comms: random.next() % 3 == 0 ? text() : nil,
                tech: random.next() % 4 == 0 ? text() : nil,
                scribe: random.next() % 5 == 0 ? text() : nil)
            summaries.append(
                IncidentSummary(
                    id: IncidentID(number: n)!, uid: text(), claim: IncidentID(number: n)!,
                    claimedAt: Date(timeIntervalSince1970: 0),
                    claimHash: "", aliases: [], title: text(), severity: text(),
                    phase: Phase.allCases[Int(random.next() % 7)], roles: roles,
                    services: (0..<Int(random.next() % 3)).map { _ in text() },
                    tags: (0..<Int(random.next() % 3)).map { _ in text() },
                    createdAt: date() ?? Date(timeIntervalSince1970: 0), startedAt: date(),
                    detectedAt: date() ?? Date(timeIntervalSince1970: 1),
                    declaredAt: date(), containedAt: date(), recoveredAt: date(), closedAt: date(),
                    updatedAt: date() ?? Date(timeIntervalSince1970: 2),
                    entryCount: Int(random.next() % 1000), actionItemCount: 1,
                    openActionItems: Int(random.next() % 5), openActionItemsDue: [],
                    schemaVersion: 1))
        }
        for slice in [[], Array(summaries.prefix(1)), summaries] {
            let expected = try JSONCoding.encoder().encode(slice)
            #expect(SummaryJSON.encode(slice) == Array(expected), "\(slice.count) summaries")
        }
    }

    @Test func aFalseAlarmClosedFromDetectNeedsNoPostmortem() throws {
        let clock = Minutes()
        let new = NewIncident(
            title: "p99 alert", severity: SeverityScheme.standard.levels[1], phase: .detect)
        var incident = try Incident.open(
            new, id: IncidentID(number: 1)!, uid: "u", context: clock.at(0))
        try incident.close(force: true, context: clock.at(5))
        let major = Set(SeverityScheme.standard.levels.prefix(2).map(\.name))
        #expect(
            ReviewCheck.problems(of: incident, now: clock.at(10).now, majorSeverities: major)
                .isEmpty)
        try incident.addActionItem(ActionItemChange(text: "tune the alert"), context: clock.at(6))
        #expect(
            ReviewCheck.problems(of: incident, now: clock.at(10).now, majorSeverities: major).map(
                \.rule) == [.actionNoOwner, .actionNoDue])

        // Declared, then closed early: that was an incident, and its review is still owed.
        var real = try Incident.open(
            NewIncident(title: "x", severity: SeverityScheme.standard.levels[1], phase: .declare),
            id: IncidentID(number: 2)!, uid: "v", context: clock.at(0))
        try real.close(force: true, context: clock.at(5))
        #expect(
            ReviewCheck.problems(of: real, now: clock.at(10).now, majorSeverities: major).contains {
                $0.rule == .rootCauseMissing
            })
    }

    @Test func aGitHubTokenWithMoreCharactersIsStillRedacted() {
        let body = (0..<38).map {
            "abcdefghijKLMNOPQRST0123456789"[
                String.Index(utf16Offset: $0 % 30, in: "abcdefghijKLMNOPQRST0123456789")]
        }
        let token = "ghp_" + String(body)
        let redacted = Redactor.standard.redact("pasted " + token + " done")
        #expect(!redacted.contains(String(body.prefix(20))), "\(redacted)")
        #expect(redacted.contains("[REDACTED:github-token] done"))
        #expect(
            Redactor.standard.redact("ghp_" + String(body.prefix(36))).contains(
                "[REDACTED:github-token]"))
    }
}
