import Foundation
import Testing

@testable import IncidentKit

/// Changes to production: immutable files chained per replica, imports counted once, and the
/// ranking of suspects.
@Suite struct ChangesTests {
    let clock = Minutes()

    func change(
        _ minute: Int, _ services: [String], _ text: String = "deploy", key: String? = nil
    ) -> ServiceChange {
        ServiceChange(
            at: clock.at(minute).now, recordedAt: clock.at(minute).now, author: "alice",
            services: services, text: text, source: key == nil ? .record : .gitTag,
            importKey: key)
    }

    @Test func changesAreChainedAndAnEditIsFound() throws {
        let temporary = TemporaryStore()
        let store = temporary.store
        try store.initialize()
        let first = try store.record(changes: [change(0, ["checkout"]), change(1, ["payments"])])
        let second = try store.record(changes: [change(2, ["checkout"], "flag")])
        #expect(first.map(\.replicaSeq) == [1, 2] && second.map(\.replicaSeq) == [3])
        #expect(first[0].previous == "" && first[1].previous == first[0].hash)
        #expect(second[0].previous == first[1].hash)
        #expect(store.changes().changes.map(\.text) == ["deploy", "deploy", "flag"])
        let reports = store.verifyChanges()
        #expect(reports.count == 1 && reports[0].isValid && reports[0].count == 3)
        #expect(reports[0].head == second[0].hash)

        // A hand edit of a change's text: its hash no longer matches.
        let path = store.changesDirectory + "/" + first[1].fileName
        let text = try String(contentsOfFile: path, encoding: .utf8)
        try text.replacingOccurrences(of: "\"payments\"", with: "\"billing\"").write(
            toFile: path, atomically: true, encoding: .utf8)
        let edited = store.verifyChanges()
        #expect(edited[0].failure?.contains("change #2") == true)
        #expect(edited[0].failure?.contains("edited after it was recorded") == true)

        // A change removed from the middle of the chain.
        try FileManager.default.removeItem(atPath: path)
        #expect(
            store.verifyChanges()[0].failure?.contains("change #2 of this replica is missing")
                == true)
    }

    @Test func aChangeFileRoundTripsUnknownFieldsIncluded() throws {
        var original = change(5, ["checkout"])
        original.version = "v2"
        original.command = "kubectl apply"
        original.exitStatus = 3
        original.durationMs = 1500
        original.replica = "abc"
        original.replicaSeq = 1
        original.unknownFields = ["fromTheFuture": .string("kept")]
        original.hash = original.expectedHash
        let decoded = try ServiceChange.decode(original.encoded()).get()
        #expect(decoded == original && decoded.hash == decoded.expectedHash)
        #expect(decoded.line == "checkout v2: deploy (exit 3, 1s)")
        #expect(throws: ChangeFileError.self) { try ServiceChange.decode(Array("{}".utf8)).get() }
    }

    @Test func anImportRecordedTwiceCountsOnce() throws {
        let temporary = TemporaryStore()
        let store = temporary.store
        try store.initialize()
        let tag = change(0, ["checkout"], "tag v1", key: "git-tag:v1:abc")
        #expect(try store.record(changes: [tag]).count == 1)
        #expect(try store.record(changes: [tag]).isEmpty)
        // Another clone imported it too (its own file, same key): listed once.
        var twin = tag
        twin.uid = "zzzz-twin"
        twin.replica = "other"
        twin.replicaSeq = 1
        twin.hash = twin.expectedHash
        try FileSystem.replace(
            directory: store.changesDirectory, name: twin.fileName, with: twin.encoded())
        #expect(store.changes().changes.count == 1)
        #expect(store.verifyChanges().allSatisfy { $0.isValid })
    }

    @Test func suspectsSharedServicesFirstThenNearest() {
        let changes = [
            change(-100, ["checkout"], "old"), change(-150, ["checkout"], "too old"),
            change(-5, ["search"], "near"), change(-30, ["Checkout"], "shared"),
            change(-60, ["checkout", "cdn"], "shared earlier"), change(2, ["cdn"], "after"),
            change(20, ["checkout"], "after detection"),
        ]
        let ranked = Suspects(
            services: ["checkout"], impactBegan: clock.at(0).now, detectedAt: clock.at(10).now,
            changes: changes, window: 2 * 3600
        ).ranked
        // Unshared ones by distance from impact, after it too (before detection): 2m, then 5m.
        #expect(
            ranked.map(\.change.text) == ["shared", "shared earlier", "old", "after", "near"])
        #expect(ranked[0].sharedServices == ["Checkout"] && ranked[0].beforeImpact == 1800)
        #expect(ranked[3].beforeImpact == -120 && ranked[4].beforeImpact == 300)
    }

    @Test func thePostmortemListsChangesBeforeImpactOnlyWhenGivenTheStores() throws {
        var new = NewIncident(
            title: "Checkout 5xx", severity: SeverityScheme.standard.levels[1], phase: .declare)
        new.services = ["checkout"]
        let incident = try Incident.open(
            new, id: IncidentID(number: 1)!, uid: "u-1", context: clock.at(0))
        #expect(!PostmortemRenderer(incident: incident).render().contains("Changes before impact"))
        let none = PostmortemRenderer(incident: incident, changes: []).render()
        #expect(none.contains("## Changes before impact\n\n_No change recorded in the 2h before"))
        let some = PostmortemRenderer(
            incident: incident, changes: [change(-15, ["checkout"], "deploy v2.4.1")]
        ).render()
        #expect(
            some.contains(
                "| 2026-11-21 13:45 | 15m | **checkout** | checkout deploy v2.4.1 | alice |"))
    }
}
