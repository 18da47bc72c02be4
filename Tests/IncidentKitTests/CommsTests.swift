import Foundation
import Testing

@testable import IncidentKit

/// Status updates (`irctl update`) and strikes: drafted from the incident, recorded as entries,
/// with "overdue" and "struck" computed from the timeline alone.
@Suite struct CommsTests {
    let clock = Minutes()

    func incident(_ phase: Phase = .contain) throws -> Incident {
        var new = NewIncident(
            title: "Checkout <5xx> & *errors*", severity: SeverityScheme.standard.levels[1],
            phase: .declare)
        new.services = ["checkout"]
        new.roles.commander = "alice"
        var incident = try Incident.open(
            new, id: IncidentID(number: 1)!, uid: "u-1", context: clock.at(0))
        try incident.assign([(.comms, "bob")], context: clock.at(1))
        try incident.addLink(
            url: "https://grafana.internal/d/checkout", label: "Dashboard", context: clock.at(1))
        if phase != .declare { try incident.move(to: phase, context: clock.at(2)) }
        return incident
    }

    @Test(arguments: [
        (Phase.detect, StatusUpdate.State.investigating), (.declare, .investigating),
        (.contain, .identified),
        (.eradicate, .identified), (.recover, .monitoring), (.review, .resolved),
        (.closed, .resolved),
    ])
    func stateFollowsThePhase(_ phase: Phase, _ state: StatusUpdate.State) {
        #expect(StatusUpdate.State(phase: phase) == state)
    }

    @Test func internalTextHasEverything() throws {
        let update = StatusUpdate(state: .identified, message: "rollback done")
        let text = update.render(
            try incident(), severity: SeverityScheme.standard.levels[1], nextText: "14:30 UTC")
        #expect(
            text == """
                [IDENTIFIED] INC-1 · Checkout <5xx> & *errors* · SEV2 (major)
                Impact: Affects checkout; the extent is being assessed.
                What we know: rollback done
                What we are doing: Working to limit the impact.
                Who leads: commander alice, comms bob
                Links: Dashboard https://grafana.internal/d/checkout
                Next update: 14:30 UTC

                """)
    }

    @Test func externalLeavesOutNamesLinksIdAndSeverity() throws {
        for format in StatusUpdate.Format.allCases {
            let update = StatusUpdate(state: .monitoring, audience: .external, format: format)
            let text = update.render(
                try incident(), severity: SeverityScheme.standard.levels[1], nextText: nil)
            for internalDetail in [
                "alice", "bob", "grafana.internal", "INC-1", "SEV2", "Who leads",
            ] {
                #expect(!text.contains(internalDetail), "\(format): \(internalDetail) in \(text)")
            }
            #expect(text.contains("Next update"))
        }
    }

    @Test func eachFormatEscapesWhatItMust() throws {
        let markdown = StatusUpdate(
            state: .identified, format: .markdown, message: "# not a heading <b>"
        )
        .render(try incident(), severity: nil, nextText: nil)
        #expect(
            markdown.hasPrefix(
                "**Identified** · INC-1 · Checkout &lt;5xx&gt; &amp; \\*errors\\* · SEV2\n\n"))
        #expect(markdown.contains("- **What we know:** \\# not a heading &lt;b&gt;\n"))
        let slack = StatusUpdate(
            state: .identified, format: .slack, message: "ping <!channel> & <https://x|y>"
        )
        .render(try incident(), severity: nil, nextText: nil)
        #expect(
            slack.hasPrefix("*Identified* · INC-1 · Checkout &lt;5xx&gt; &amp; *errors* · SEV2\n"))
        #expect(
            slack.contains("• *What we know:* ping &lt;!channel&gt; &amp; &lt;https://x|y&gt;\n"))
        #expect(!slack.contains("<!channel>"))
    }

    @Test func recordedUpdatesDecideWhatIsOverdue() throws {
        var incident = try incident()
        #expect(incident.nextUpdateDue == nil && !incident.isUpdateOverdue(at: clock.at(500).now))
        let first = try incident.recordUpdate(
            StatusUpdate(state: .identified, format: .slack, message: "m", next: clock.at(30).now),
            text: "the text", context: clock.at(3))
        #expect(first.kind == .comms)
        #expect(
            first.data == [
                "state": "identified", "audience": "internal", "format": "slack",
                "update": "the text",
                "next": Timestamp.format(clock.at(30).now),
            ])
        #expect(!incident.isUpdateOverdue(at: clock.at(30).now))
        #expect(incident.isUpdateOverdue(at: clock.at(31).now))

        // A later update with no promise settles it; striking it brings the old promise back.
        let second = try incident.recordUpdate(
            StatusUpdate(state: .identified), text: "t", context: clock.at(35))
        #expect(!incident.isUpdateOverdue(at: clock.at(60).now))
        try incident.strike(
            seq: second.seq, reason: "sent to the wrong channel", context: clock.at(36))
        #expect(incident.isUpdateOverdue(at: clock.at(60).now))

        try incident.close(force: true, context: clock.at(61))
        #expect(!incident.isUpdateOverdue(at: clock.at(90).now), "a closed incident owes no update")
        #expect(throws: LifecycleError.self) {
            try incident.recordUpdate(
                StatusUpdate(state: .resolved), text: "t", context: clock.at(91))
        }
    }

    @Test func strikingMarksByHashAndKeepsTheChain() throws {
        var incident = try incident()
        let note = try incident.log("wrong incident", context: clock.at(3))
        let strike = try incident.strike(
            seq: note.seq, reason: "logged to the wrong incident", context: clock.at(4))
        #expect(strike.kind == .strike)
        #expect(
            strike.data["entry"] == note.hash
                && strike.data["reason"] == "logged to the wrong incident")
        #expect(incident.isStruck(note) && !incident.isStruck(strike))
        #expect(incident.strikes[note.hash]?.seq == strike.seq)
        #expect(incident.verifyChain().isValid)

        #expect(throws: StrikeError.alreadyStruck(incident.id, note.seq)) {
            try incident.strike(seq: note.seq, reason: "again", context: clock.at(5))
        }
        #expect(throws: StrikeError.noSuchEntry(incident.id, 99, count: incident.timeline.count)) {
            try incident.strike(seq: 99, reason: "x", context: clock.at(5))
        }
        #expect(throws: StrikeError.notStrikable(incident.id, 1, kind: "phase")) {
            try incident.strike(seq: 1, reason: "x", context: clock.at(5))
        }
        #expect(throws: StrikeError.noReason) {
            try incident.strike(seq: 3, reason: "  ", context: clock.at(5))
        }
    }

    @Test func thePostmortemLeavesStruckEntriesOut() throws {
        var incident = try incident()
        let note = try incident.log(
            "kubectl delete namespace prod  # wrong incident", context: clock.at(3))
        try incident.log("pool exhausted", context: clock.at(4))
        try incident.strike(seq: note.seq, reason: "wrong incident", context: clock.at(5))
        let markdown = PostmortemRenderer(incident: incident, scheme: .standard).render()
        #expect(!markdown.contains("kubectl delete namespace prod"))
        #expect(!markdown.contains("wrong incident |"))
        #expect(markdown.contains("pool exhausted"))
        #expect(markdown.contains("1 struck entry (recorded by mistake) not shown"))
    }

    @Test func theHookIsReadFromConfigAndFedOnStdin() throws {
        #expect(try UpdateHook.from(StoreConfig()) == nil)
        let config = try JSONCoding.decoder().decode(
            StoreConfig.self,
            from: Data(
                """
                {"updates": {"command": ["curl", "-K", "/home/a/.chat.curlrc", "--data-binary", \
                "@-"], "input": "slack-json"}}
                """.utf8))
        let hook = try #require(try UpdateHook.from(config))
        #expect(
            hook.command == ["curl", "-K", "/home/a/.chat.curlrc", "--data-binary", "@-"]
                && hook.input == .slackJSON)
        #expect(
            String(decoding: hook.payload("a \"b\"\n<c>"), as: UTF8.self)
                == "{\"text\":\"a \\\"b\\\"\\n<c>\"}\n")
        #expect(hook.payload("plain") == Array("plain".utf8) || hook.input == .slackJSON)
        for bad in [
            #"{"updates": 3}"#, #"{"updates": {"command": []}}"#,
            #"{"updates": {"command": "curl x"}}"#,
            #"{"updates": {"command": ["curl"], "input": "xml"}}"#,
        ] {
            let config = try JSONCoding.decoder().decode(StoreConfig.self, from: Data(bad.utf8))
            #expect(throws: UpdateHookError.self, "\(bad)") { try UpdateHook.from(config) }
        }
    }
}
