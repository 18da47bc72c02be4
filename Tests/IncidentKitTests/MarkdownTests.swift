import Foundation
import Testing

@testable import IncidentKit

@Suite struct MarkdownTests {
    @Test(arguments: [
        ("a | b", "a \\| b"),
        ("line1\nline2", "line1<br>line2"),
        ("<script>x</script>", "&lt;script&gt;x&lt;/script&gt;"),
        ("`code`", "\\`code\\`"),
        ("# not heading", "\\# not heading"),
        ("a\u{1B}[2J", "a\\\\x1B\\[2J"),
        ("fish & chips", "fish &amp; chips"),
    ])
    func cell(input: String, expected: String) {
        #expect(Markdown.cell(input) == expected)
    }

    @Test func inlineFoldsNewlines() {
        #expect(Markdown.inline("# a\n# b") == "\\# a \\# b")
    }

    @Test func blockKeepsListsAndFencesButNotHeadingsOrHTML() {
        #expect(Markdown.block("- one\n- *two*") == "- one\n- *two*")
        #expect(Markdown.block("# h1\n  ## h2") == "\\# h1\n  \\## h2")
        #expect(Markdown.block("text\n===") == "text\n\\===")
        #expect(Markdown.block("<b>x</b>") == "&lt;b>x&lt;/b>")
        #expect(Markdown.block("```\n<b>kept in code</b>\n```") == "```\n<b>kept in code</b>\n```")
        #expect(Markdown.block("```swift\nunclosed") == "```swift\nunclosed\n```")
        #expect(Markdown.block("- item\n---") == "- item\n\\---")
    }

    @Test func mermaidLabelKeepsOnlyPlainText() {
        #expect(Markdown.mermaidLabel("a: b; c # d\ne") == "a b c d e")
        #expect(Markdown.mermaidLabel("Checkout (v2.4) - 5xx") == "Checkout (v2.4) - 5xx")
        #expect(Markdown.mermaidLabel(String(repeating: "x", count: 200)).count == 80)
    }
}

@Suite struct NarrativeFormTests {
    @Test func roundTripsEveryField() throws {
        let incident = try PostmortemFixtures.everything()
        let parsed = NarrativeForm.parse(NarrativeForm.render(incident))
        #expect(parsed[.title] == .some(incident.title))
        for field in NarrativeField.allCases {
            #expect(parsed[.narrative(field)] == .some(incident.narrative[field]), "\(field)")
        }
    }

    @Test func emptiedSectionClearsDeletedHeadingKeepsUnknownHeadingIsText() {
        let text = """
            ## Title
            New title
            ## Summary
            <!-- a comment -->

            ## Root cause
            Line one
            ## Not a field
            Line two
            """
        let parsed = NarrativeForm.parse(text)
        #expect(parsed[.title] == .some("New title"))
        #expect(parsed[.narrative(.summary)] == .some(nil))
        #expect(parsed[.narrative(.rootCause)] == .some("Line one\n## Not a field\nLine two"))
        #expect(parsed[.narrative(.impact)] == nil)
    }
}

@Suite struct ReviewCheckTests {
    @Test func everythingFixtureHasOnlyFutureDueItems() throws {
        let incident = try PostmortemFixtures.everything()
        #expect(
            ReviewCheck.problems(of: incident, now: Fixture.now, majorSeverities: ["SEV1", "SEV2"])
                .isEmpty)
        let later = ReviewCheck.problems(
            of: incident, now: Fixture.instant("2026-12-02T00:00:00Z"),
            majorSeverities: ["SEV1", "SEV2"])
        #expect(later.map(\.rule) == [.actionOverdue])
        #expect(later.first?.message == "action item A1 was due 2026-12-01T00:00:00Z")
    }

    @Test func closedMajorWithoutRootCause() throws {
        var incident = try PostmortemFixtures.everything()
        try incident.setNarrative(
            .rootCause, to: nil, context: EditContext(author: "alice", now: Fixture.now))
        let rules = ReviewCheck.problems(
            of: incident, now: Fixture.now, majorSeverities: ["SEV1", "SEV2"]
        ).map(\.rule)
        #expect(rules == [.rootCauseMissing])
        let minor = ReviewCheck.problems(of: incident, now: Fixture.now, majorSeverities: ["SEV1"])
            .map(\.rule)
        #expect(minor == [.narrativeEmpty])
    }

    @Test func hostileFixture() throws {
        let problems = ReviewCheck.problems(
            of: try PostmortemFixtures.hostile(), now: Fixture.now,
            majorSeverities: ["SEV1", "SEV2"])
        let rules = problems.map(\.rule)
        #expect(rules.filter { $0 == .narrativeEmpty }.count == 6)
        #expect(rules.contains(.actionNoDue) && !rules.contains(.actionNoOwner))
        #expect(rules.contains(.startMissing))
        #expect(!rules.contains(.phaseTimesMissing))
        #expect(
            ReviewCheck.problems(
                of: try PostmortemFixtures.minimal(), now: Fixture.now, majorSeverities: []
            ).isEmpty)
    }
}
