import Foundation
import TestSupport
import Testing

@testable import IncidentKit

/// An incident is the projection of its entries: the same entries give the same incident in any
/// order, and changes two clones made at once are decided by the documented rules, one test each.
@Suite struct ProjectionTests {
    static let scheme = SeverityScheme.standard
    static let start = Timestamp.parse("2026-11-21T14:00:00Z")!

    static func context(_ author: String, minute: Int) -> EditContext {
        EditContext(author: author, now: start.addingTimeInterval(Double(minute) * 60))
    }

    /// One incident as two clones hold it after both pulled the same history: `alice` and `bob`.
    static func clones(tags: [String] = ["x"]) throws -> (alice: Incident, bob: Incident) {
        var new = NewIncident(title: "Checkout 5xx", severity: scheme.levels[1], phase: .declare)
        new.tags = tags
        var alice = try Incident.open(
            new, id: IncidentID(number: 1)!, uid: "3f0c9d2e-0000-4000-8000-000000000001",
            context: context("alice", minute: 0))
        alice.adopt(writer: "aaaaaaaaaaaaaaaa")
        var bob = try Incident(uid: alice.uid, projecting: alice.timeline)
        bob = bob.writing(as: "bbbbbbbbbbbbbbbb")
        return (alice, bob)
    }

    static func merged(_ a: Incident, _ b: Incident) throws -> Incident {
        try Incident(uid: a.uid, projecting: a.timeline + b.timeline)
    }

    @Test func theSameEntriesGiveTheSameIncidentInAnyOrder() throws {
        var (alice, bob) = try Self.clones()
        try alice.log("from alice", context: Self.context("alice", minute: 1))
        try alice.changeSeverity(
            to: Self.scheme.levels[0], context: Self.context("alice", minute: 2))
        try bob.assign([(.commander, "bob")], context: Self.context("bob", minute: 1))
        try bob.move(to: .contain, context: Self.context("bob", minute: 3))
        let reference = try Self.merged(alice, bob)
        let encoder = JSONCoding.encoder()
        encoder.userInfo[.includeDerivedFields] = true
        let bytes = try encoder.encode(reference)
        var random = SplitMix64(seed: 0x5EED_0001)
        let all = alice.timeline + bob.timeline
        for _ in 0..<50 {
            // Shuffled, and with duplicates (the same entry read from two places).
            var input = all.shuffled(using: &random)
            input += input.prefix(Int.random(in: 0...3, using: &random))
            let projected = try Incident(uid: alice.uid, projecting: input)
            #expect(try encoder.encode(projected) == bytes)
        }
        #expect(reference.verifyChain().isValid)
        #expect(
            reference.severity == "SEV1" && reference.phase == .contain
                && reference.roles.commander == "bob")
    }

    @Test func aChangeThatSawAnotherWinsOverIt() throws {
        var (alice, bob) = try Self.clones()
        try alice.changeSeverity(
            to: Self.scheme.levels[0], context: Self.context("alice", minute: 1))
        // Bob pulls alice's change, then lowers the severity: his change saw hers.
        bob = try Self.merged(alice, bob)
        bob = bob.writing(as: "bbbbbbbbbbbbbbbb")
        try bob.changeSeverity(to: Self.scheme.levels[2], context: Self.context("bob", minute: 2))
        let merged = try Self.merged(alice, bob)
        #expect(merged.severity == "SEV3")
        #expect(merged.concurrentChanges.isEmpty)
    }

    @Test func theMoreSevereOfConcurrentSeveritiesWins() throws {
        var (alice, bob) = try Self.clones()
        try alice.changeSeverity(
            to: Self.scheme.levels[0], context: Self.context("alice", minute: 1))
        // Bob's change is written later, yet neither saw the other: the more severe level wins.
        try bob.changeSeverity(to: Self.scheme.levels[2], context: Self.context("bob", minute: 5))
        let merged = try Self.merged(alice, bob)
        #expect(merged.severity == "SEV1")
        #expect(
            merged.concurrentChanges.map(\.description) == [
                "bob set severity SEV3 while alice set SEV1; SEV1 kept"
            ])
        #expect(
            merged.timeline.filter { $0.kind == .severity }.count == 2,
            "the losing change stays on the timeline")
    }

    @Test func aMoveBackWinsOverAConcurrentMoveForward() throws {
        var (alice, bob) = try Self.clones()
        try alice.move(to: .contain, context: Self.context("alice", minute: 1))
        bob = try Self.merged(alice, bob)
        bob = bob.writing(as: "bbbbbbbbbbbbbbbb")
        try alice.move(to: .recover, context: Self.context("alice", minute: 9))
        try bob.move(
            to: .declare, reason: "errors came back", context: Self.context("bob", minute: 2))
        let merged = try Self.merged(alice, bob)
        #expect(merged.phase == .declare)
        #expect(
            merged.concurrentChanges.first?.description
                == "alice set phase recover while bob set declare; declare kept")
    }

    @Test func aReopenWinsOverAConcurrentClose() throws {
        var (alice, bob) = try Self.clones()
        try alice.close(force: true, context: Self.context("alice", minute: 1))
        bob = try Self.merged(alice, bob)
        bob = bob.writing(as: "bbbbbbbbbbbbbbbb")
        // Alice reopens into review and closes again; bob, not having seen either, reopens into
        // contain.
        try alice.reopen(reason: "one more check", context: Self.context("alice", minute: 2))
        try alice.close(context: Self.context("alice", minute: 8))
        try bob.reopen(
            reason: "it is back", into: .contain, context: Self.context("bob", minute: 3))
        let merged = try Self.merged(alice, bob)
        #expect(merged.phase == .contain)
        #expect(merged.isOpen)
    }

    @Test func otherwiseTheFurthestPhaseWins() throws {
        var (alice, bob) = try Self.clones()
        try alice.move(to: .recover, context: Self.context("alice", minute: 1))
        try bob.move(to: .contain, context: Self.context("bob", minute: 5))
        let merged = try Self.merged(alice, bob)
        #expect(merged.phase == .recover)
        #expect(
            merged.concurrentChanges.map(\.description) == [
                "bob set phase contain while alice set recover; recover kept"
            ])
    }

    @Test func anAdditionWinsOverAConcurrentRemoval() throws {
        var (alice, bob) = try Self.clones(tags: ["x"])
        try alice.changeTags(add: [], remove: ["x"], context: Self.context("alice", minute: 1))
        // Bob removes and adds it back: his addition is concurrent with alice's removal.
        try bob.changeTags(add: [], remove: ["x"], context: Self.context("bob", minute: 1))
        try bob.changeTags(add: ["x", "y"], remove: [], context: Self.context("bob", minute: 2))
        let merged = try Self.merged(alice, bob)
        #expect(merged.tags.sorted() == ["x", "y"])
        // A removal that saw every addition removes.
        var later = merged
        later = later.writing(as: "aaaaaaaaaaaaaaaa")
        try later.changeTags(add: [], remove: ["x"], context: Self.context("alice", minute: 3))
        #expect(later.tags == ["y"])
    }

    @Test func otherFieldsTakeTheLaterWriteAndSaySo() throws {
        var (alice, bob) = try Self.clones()
        try alice.setTitle("Checkout errors (payments)", context: Self.context("alice", minute: 1))
        try bob.setTitle("Checkout 502s", context: Self.context("bob", minute: 2))
        try alice.assign([(.comms, "carol")], context: Self.context("alice", minute: 4))
        try bob.assign([(.comms, "dave")], context: Self.context("bob", minute: 3))
        let merged = try Self.merged(alice, bob)
        #expect(merged.title == "Checkout 502s")
        #expect(merged.roles.comms == "carol")
        #expect(Set(merged.concurrentChanges.map(\.field)) == ["the title", "role comms"])
    }

    @Test func concurrentActionItemsKeepDistinctNumbers() throws {
        var (alice, bob) = try Self.clones()
        try alice.addActionItem(
            ActionItemChange(text: "add a canary"), context: Self.context("alice", minute: 1))
        try bob.addActionItem(
            ActionItemChange(text: "page payments"), context: Self.context("bob", minute: 2))
        try bob.completeActionItem("A1", context: Self.context("bob", minute: 3))
        let merged = try Self.merged(alice, bob)
        #expect(merged.actionItems.map(\.id) == ["A1", "A2"])
        // Bob's "A1" is the item he added, whatever number it shows now.
        #expect(merged.actionItems.first { $0.text == "page payments" }?.status == .done)
        #expect(merged.actionItems.first { $0.text == "add a canary" }?.status == .open)
    }

    /// The timeline texts `show --json` gives the action-item entries, and the items' numbers.
    static func shownItems(
        _ incident: Incident
    ) throws
        -> (texts: [String], items: [String: String])
    {
        let encoder = JSONCoding.encoder()
        encoder.userInfo[.includeDerivedFields] = true
        let bytes = try encoder.encode(incident)
        let json = try #require(try JSONSerialization.jsonObject(with: bytes) as? [String: Any])
        let timeline = try #require(json["timeline"] as? [[String: Any]])
        let texts = timeline.filter { $0["kind"] as? String == "action-item" }
            .compactMap { $0["text"] as? String }
        let items = try #require(json["actionItems"] as? [[String: Any]])
        var byText: [String: String] = [:]
        for item in items { byText[item["text"] as? String ?? ""] = item["id"] as? String }
        return (texts, byText)
    }

    @Test func concurrentlyAddedItemsShowDistinctNumbersThatTheirTextsName() throws {
        var (alice, bob) = try Self.clones()
        try alice.addActionItem(
            .init(text: "add a canary"),
            context: Self.context("alice", minute: 1))
        try bob.addActionItem(.init(text: "page payments"), context: Self.context("bob", minute: 2))
        let one = try Self.merged(alice, bob)
        let other = try Self.merged(bob, alice)
        let encoder = JSONCoding.encoder()
        encoder.userInfo[.includeDerivedFields] = true
        #expect(try encoder.encode(one) == encoder.encode(other), "the same entries, same numbers")
        let shown = try Self.shownItems(one)
        #expect(shown.items == ["add a canary": "A1", "page payments": "A2"])
        #expect(shown.texts == ["Action item A1: add a canary", "Action item A2: page payments"])
    }

    @Test func aSettlementKeepsThePublishedNumberAndMovesTheOther() throws {
        var (alice, bob) = try Self.clones()
        // Bob's item is written first, so it holds A1 until claims are settled.
        try bob.addActionItem(.init(text: "page payments"), context: Self.context("bob", minute: 1))
        let published = try alice.addActionItem(
            .init(text: "add a canary"),
            context: Self.context("alice", minute: 2))
        var merged = try Self.merged(alice, bob)
        #expect(merged.hasProvisionalActionItems)
        let moves = merged.actionItemSettlement(published: [published.key: 1])
        #expect(moves.map { "\($0.from)→\($0.to)" } == ["A1→A2"])
        merged = merged.writing(as: bob.writer)
        for move in moves {
            merged.renumberActionItem(move, context: Self.context("bob", minute: 3))
        }
        let settled = try Incident(uid: merged.uid, projecting: merged.timeline)
        #expect(!settled.hasProvisionalActionItems)
        #expect(
            settled.actionItemSettlement(published: [published.key: 1]).isEmpty,
            "settled once for good")
        let shown = try Self.shownItems(settled)
        #expect(shown.items == ["add a canary": "A1", "page payments": "A2"])
        #expect(
            shown.texts == [
                "Action item A2: page payments", "Action item A1: add a canary",
                "Action item A1 renumbered A2: " + Incident.itemRenumberingReason,
            ])
        // A2 is the item shown as A2.
        var done = settled
        done = done.writing(as: bob.writer)
        let item = try done.completeActionItem("A2", context: Self.context("bob", minute: 4))
        #expect(item.text == "page payments" && item.status == .done)
        #expect(done.actionItems.first { $0.text == "add a canary" }?.status == .open)
    }

    @Test func olderEntriesNamingANumberShowTheNumberTheItemHas() throws {
        var (alice, bob) = try Self.clones()
        // As irctl wrote entries before: the number in the text and in `item`.
        alice.record(
            .actionItemAdded(.init(claim: 1, text: "add a canary")),
            "Action item A1: add a canary", context: Self.context("alice", minute: 2))
        bob.record(
            .actionItemAdded(.init(claim: 1, text: "page payments")),
            "Action item A1: page payments", context: Self.context("bob", minute: 1))
        let ref = try #require(bob.timeline.last?.hash)
        bob.record(
            .actionItemDone(.init(key: ref, number: "A1"), note: nil), "Action item A1 done",
            context: Self.context("bob", minute: 3))
        let merged = try Self.merged(alice, bob)
        let shown = try Self.shownItems(merged)
        #expect(shown.items == ["page payments": "A1", "add a canary": "A2"])
        #expect(
            shown.texts == [
                "Action item A1: page payments", "Action item A2: add a canary",
                "Action item A1 done",
            ])
        #expect(merged.actionItems.first { $0.text == "page payments" }?.status == .done)
        // The stored texts are kept as written (the hashes cover them).
        #expect(merged.verifyChain().isValid)
        #expect(merged.timeline.contains { $0.text == "Action item A1: add a canary" })
    }

    @Test func aRenumberedItemAnswersToItsOldNumberWhereNoItemHasIt() throws {
        var (alice, _) = try Self.clones()
        let item = try alice.addActionItem(
            .init(text: "add a canary"),
            context: Self.context("alice", minute: 1))
        alice.renumberActionItem(
            .init(key: item.key, from: "A1", to: "A5"),
            context: Self.context("alice", minute: 2))
        #expect(alice.actionItems.map(\.id) == ["A5"] && alice.actionItems[0].aliases == ["A1"])
        let done = try alice.completeActionItem("A1", context: Self.context("alice", minute: 3))
        #expect(done.id == "A5" && done.status == .done)
        #expect(try Self.shownItems(alice).texts.last == "Action item A5 done")
        #expect(throws: ActionItemError.notFound(alice.id, "A2", known: ["A5"])) {
            try alice.reopenActionItem("A2", context: Self.context("alice", minute: 4))
        }
    }

    @Test func aRenumberingKeepsTheOldNumberAsAnAlias() throws {
        var (alice, _) = try Self.clones()
        alice.renumber(
            to: IncidentID(number: 10)!, reason: "INC-1 was claimed first",
            context: Self.context("alice", minute: 1))
        let projected = try Incident(uid: alice.uid, projecting: alice.timeline)
        #expect(projected.id.number == 10)
        #expect(projected.aliases == [IncidentID(number: 1)!])
    }

    @Test func everyMeaningfulByteIsCoveredByAHash() throws {
        var (alice, _) = try Self.clones()
        try alice.log("a note", context: Self.context("alice", minute: 1))
        try alice.addActionItem(
            ActionItemChange(text: "a follow-up", owner: "carol"),
            context: Self.context("alice", minute: 2))
        try alice.setNarrative(.rootCause, to: "a flag", context: Self.context("alice", minute: 3))
        let valid = alice.timeline
        // Each stored field of each entry, changed: the chain no longer verifies.
        let edits: [(String, (inout TimelineEntry) -> Void)] = [
            ("text", { $0.text += "!" }), ("author", { $0.author = "mallory" }),
            ("kind", { $0.kind = .decision }),
            ("at", { $0.at.addTimeInterval(60) }),
            ("recordedAt", { $0.recordedAt.addTimeInterval(60) }),
            ("data", { $0.data["x"] = "y" }), ("seq", { $0.replicaSeq += 1 }),
            ("parents", { $0.parents.append(String(repeating: "0", count: 64)) }),
            ("replica", { $0.replica = "cccccccccccccccc" }),
        ]
        for index in valid.indices {
            for (what, edit) in edits {
                var entries = valid
                edit(&entries[index])
                // Either the entries no longer make an incident (the store reports it as corrupt)
                // or the chain no longer verifies.
                if let incident = try? Incident(uid: alice.uid, projecting: entries) {
                    #expect(!incident.verifyChain().isValid, "entry \(index + 1): \(what)")
                }
            }
            // The incident an entry belongs to is hashed too: an entry moved to another incident
            // fails.
            let moved = try Incident(uid: "3f0c9d2e-0000-4000-8000-000000000002", projecting: valid)
            #expect(!moved.verifyChain().isValid)
        }
    }
}
