import Foundation
import Testing

@testable import IncidentKit

/// The rules that hold whatever a push brings, one value at a time: mentions in status updates,
/// the timeline head, and who keeps a `serve` slot.
@Suite struct PushedDataRulesTests {
    static let joiner = "\u{2060}"

    @Test(arguments: [
        ("@channel down", "@\u{2060}channel down"),
        ("ping @Here, now", "ping @\u{2060}Here, now"),
        ("@all @everyone", "@\u{2060}all @\u{2060}everyone"),
        ("@group @room", "@\u{2060}group @\u{2060}room"),
        ("see [docs](https://x)", "see [docs]\u{2060}(https://x)"),
        ("![](https://x/p.png)", "!\u{2060}[]\u{2060}(https://x/p.png)"),
        // Not broadcasts: a user, a user group, an address, a word that merely starts alike.
        ("@alice @channel-ops ops@here.x @heresy", "@alice @channel-ops ops@here.x @heresy"),
        ("[not a link] (x)", "[not a link] (x)"),
    ])
    func broadcastsAndLinksAreBroken(_ text: String, _ expected: String) {
        #expect(Mentions.neutralized(text) == expected)
    }

    @Test func slackKeepsOnlyTheMentionsItWasAskedTo() {
        #expect(StatusUpdate.slack("<!here> & <b>") == "&lt;!here&gt; &amp; &lt;b&gt;")
        #expect(
            StatusUpdate.slack("<!here> & <@U12> <b>", keepingMentions: true)
                == "<!here> &amp; <@U12> &lt;b&gt;")
        #expect(StatusUpdate.slack("<!here no", keepingMentions: true) == "&lt;!here no")
    }

    @Test func eachHeadCommitsToEveryEntryBeforeItAndTheirOrder() {
        func entry(_ hash: String) -> TimelineEntry {
            let zero = Date(timeIntervalSince1970: 0)
            return TimelineEntry(
                seq: 1, at: zero, recordedAt: zero, author: "a", kind: .note,
                text: "", hash: hash)
        }
        let heads = ChainVerification.timelineHeads(["a", "b", "c"].map(entry))
        #expect(heads.count == 3)
        #expect(heads[0] == SHA256.hex("irctl-head-v1\n\na\n"))
        #expect(heads[1] == SHA256.hex("irctl-head-v1\n\(heads[0])\nb\n"))
        #expect(ChainVerification.timelineHeads(["a", "c"].map(entry)).last != heads[2])
        #expect(ChainVerification.timelineHeads(["b", "a", "c"].map(entry)).last != heads[2])
        #expect(ChainVerification.timelineHeads([]).isEmpty)
    }

    @Test func unauthenticatedConnectionsMakeRoomOnlyAfterTheirGrace() {
        let state = ServerState()
        // Young connections are never closed: past the peer's share, room is still free.
        let first = state.enter(peer: "p", limit: 4, unauthenticated: 3, perPeer: 1, grace: 60)
        let second = state.enter(peer: "p", limit: 4, unauthenticated: 3, perPeer: 1, grace: 60)
        #expect(first != nil && second != nil)
        #expect(state.evicted(first!) == nil)
        // Past the grace, the peer's own oldest goes first.
        let third = state.enter(peer: "p", limit: 4, unauthenticated: 3, perPeer: 1, grace: 0)
        #expect(third != nil)
        #expect(state.evicted(first!)?.contains("at most 1 connections from p") == true)
        #expect(state.evicted(second!) == nil)
        // Authenticated connections are never closed to make room: a full server says no.
        state.authenticate(second!)
        state.authenticate(third!)
        let fourth = state.enter(peer: "q", limit: 3, unauthenticated: 3, perPeer: 2, grace: 0)
        #expect(fourth != nil)
        state.authenticate(fourth!)
        #expect(state.enter(peer: "r", limit: 3, unauthenticated: 3, perPeer: 2, grace: 0) == nil)
    }

    /// A strike counts only when the strike command could have made it; in timeline order.
    @Test func strikesThatBreakTheStrikeRulesStrikeNothing() throws {
        let clock = Minutes()
        let severity = SeverityScheme.standard.levels[1]
        let new = NewIncident(title: "Checkout 5xx", severity: severity, phase: .declare)
        let id = IncidentID(number: 1)!
        var incident = try Incident.open(new, id: id, uid: "u-1", context: clock.at(0))
        let note = incident.append(.note, "wrong incident", context: clock.at(1))
        let phase = incident.timeline.first { $0.kind == .phase }!
        let good = try incident.strike(seq: note.seq, reason: "misfiled", context: clock.at(2))
        for (minute, target) in [(3, phase.hash), (4, good.hash), (5, note.hash), (6, "nowhere")] {
            incident.append(
                .strike(target: target, seq: nil, reason: "x"), "Struck", context: clock.at(minute))
        }
        let check = incident.strikeCheck
        #expect(check.struck.keys.sorted() == [note.hash])
        #expect(check.struck[note.hash]?.hash == good.hash)
        #expect(
            check.ignored.map(\.problem) == [
                "strikes entry #\(phase.seq), a phase change, which a strike can't undo",
                "strikes entry #\(good.seq), a strike, which can't be struck",
                "strikes entry #\(note.seq), which entry #\(good.seq) struck already",
                "strikes an entry that is not in this incident",
            ])
        #expect(!incident.isStruck(phase))
        #expect(incident.verifyChain().ignoredStrikes.count == 4)
        #expect(!incident.verifyChain().isValid)
    }
}
