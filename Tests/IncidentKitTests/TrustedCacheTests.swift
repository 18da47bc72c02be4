import Foundation
import Glibc
import Testing

@testable import IncidentKit

/// The cache is trusted without looking at incident files only while git's index and the
/// listing of `incidents/` are as at the last full look, and no write is half done.
@Suite struct TrustedCacheTests {
    let clock = Minutes()

    /// A store whose root is a git work tree: `.git/index` is what git rewrites on every
    /// operation, and all the store looks at.
    func gitStore(_ temp: borrowing TemporaryStore) throws -> Store {
        try FileManager.default.createDirectory(
            atPath: temp.store.root + "/.git", withIntermediateDirectories: true)
        #expect(
            FileManager.default.createFile(
                atPath: temp.store.root + "/.git/index", contents: Data("DIRC".utf8)))
        return temp.store
    }

    func declare(_ store: Store, _ title: String) throws -> Incident {
        let new = NewIncident(
            title: title, severity: SeverityScheme.standard.levels[1], phase: .declare)
        return try store.create { id in
            try Incident.open(
                new, id: id, uid: UUID().uuidString.lowercased(), context: clock.at(0))
        }.incident
    }

    func cacheFiles(_ store: Store) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in ["index", "open", "state", "ids"] {
            files[name] = try Data(contentsOf: URL(fileURLWithPath: store.root + "/cache/" + name))
        }
        return files
    }

    func put(_ files: [String: Data], _ store: Store) throws {
        for (name, data) in files {
            try data.write(to: URL(fileURLWithPath: store.root + "/cache/" + name))
        }
    }

    @Test func aWriterKilledBeforeItsRecordLeavesTheCacheUntrusted() throws {
        let temp = TemporaryStore()
        let store = try gitStore(temp)
        let id = try declare(store, "Checkout 5xx").id
        // The first look checks everything and notes the store quiet; the second trusts it.
        _ = store.summaries(includeClosed: false)
        #expect(store.readState().quiet != nil)
        #expect(store.listing(includeClosed: false)?.rows.map(\.phase) == [.declare])
        let before = try cacheFiles(store)

        try store.update(id) { incident in try incident.move(to: .contain, context: clock.at(5)) }
        #expect(!FileSystem.exists(store.writingMarker), "a finished write takes its marker down")
        #expect(store.listing(includeClosed: false)?.rows.map(\.phase) == [.contain])

        // As a writer killed after its file and before its record leaves it: the old journal,
        // and the marker.
        try put(before, store)
        store.markWriting()
        #expect(
            store.listing(includeClosed: false) == nil
                || store.listing(includeClosed: false)?.rows.map(\.phase) == [.contain])
        #expect(store.summaries(includeClosed: false).summaries.map(\.phase) == [.contain])
        #expect(
            !FileSystem.exists(store.writingMarker), "the full look under the lock takes it down")
        #expect(store.listing(includeClosed: false)?.rows.map(\.phase) == [.contain])

        // Without the marker the stale journal would be believed: the marker is what tells.
        try put(before, store)
        #expect(store.listing(includeClosed: false)?.rows.map(\.phase) == [.declare])
    }

    @Test func aFailedWriteOfTheMarkerTakesTheQuietNoteAway() throws {
        let temp = TemporaryStore()
        let store = try gitStore(temp)
        _ = try declare(store, "Checkout 5xx")
        _ = store.summaries(includeClosed: false)
        #expect(store.readState().quiet != nil)
        // A directory where the marker would go: it can't be made.
        try FileManager.default.createDirectory(
            atPath: store.writingMarker, withIntermediateDirectories: true)
        store.markWriting()
        #expect(store.readState().quiet == nil)
        try FileManager.default.removeItem(atPath: store.writingMarker)
    }

    @Test func aListingSaysWhatTheSummariesSay() throws {
        let temp = TemporaryStore()
        let store = try gitStore(temp)
        let titles = [
            "plain", "tab\there", "new\nline", "back\\slash", "ünïcødé 🚨", "unit\u{1F}sep",
            "",
        ]
        for (n, title) in titles.enumerated() {
            let incident = try declare(store, title.isEmpty ? "x" : title)
            try store.update(incident.id) { incident in
                try incident.changeServices(
                    add: ["api", "wéb", "ß"], remove: [], context: clock.at(n))
                try incident.assign(
                    [(.commander, n % 2 == 0 ? "ana\\b" : "bo")], context: clock.at(n))
            }
        }
        _ = try store.update(IncidentID(number: 2)!) {
            try $0.close(force: true, context: clock.at(9))
        }
        for includeClosed in [false, true] {
            let summaries = store.summaries(includeClosed: includeClosed).summaries.sorted {
                $0.id < $1.id
            }
            let listing = try #require(store.listing(includeClosed: includeClosed))
            let rows = listing.rows.sorted { $0.number < $1.number }
            // The JSON from the cache's bytes is the JSON from the summaries, byte for byte.
            let order = listing.rows.indices.sorted {
                listing.rows[$0].number < listing.rows[$1].number
            }
            #expect(SummaryJSON.encode(listing, order: order) == SummaryJSON.encode(summaries))
            #expect(rows.map(\.number) == summaries.map(\.id.number))
            for (row, summary) in zip(rows, summaries) {
                #expect(listing.text(row.title) == summary.title)
                #expect(listing.text(row.severity) == summary.severity)
                #expect(row.phase == summary.phase)
                #expect(Double(row.detectedAt) == summary.detectedAt.timeIntervalSince1970)
                #expect(listing.items(row.services) == summary.services)
                #expect(
                    (row.commander.isEmpty ? nil : listing.text(row.commander))
                        == summary.roles.commander)
                #expect(listing.isPlain(row.title) == ["plain", "x"].contains(summary.title))
                for service in summary.services {
                    #expect(listing.list(row.services, contains: service))
                }
                #expect(!listing.list(row.services, contains: "we"))
            }
        }
    }
}
