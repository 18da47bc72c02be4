import Foundation
import Testing

@testable import IncidentKit

/// Stores of format 1, written by the irctl release before store format 2 (the fixtures under
/// `Fixtures/format1` were made with that binary), read and converted by this one without losing
/// a field, an entry or a hash.
@Suite struct MigrationTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/format1").path

    /// A sandbox whose store is a copy of the fixture store `name`.
    static func sandbox(_ name: String) throws -> Sandbox {
        let box = try Sandbox()
        try FileManager.default.copyItem(atPath: fixtures + "/" + name, toPath: box.store)
        return box
    }

    static func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    static func names(_ directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
    }

    /// Every field the old release showed for an incident, and every entry it held, compared with
    /// what this release shows: the state, and each old entry as it was, hash included.
    static func expectSameIncident(
        _ number: Int, in box: borrowing Sandbox, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let old = try object(
            try String(
                contentsOfFile: fixtures + "/expected/team-store-INC-\(number).json",
                encoding: .utf8))
        let new = try object(
            try box.ok(
                ["show", String(number), "--json"], env: ["IRCTL_NOW": "2026-11-24T00:00:00Z"]))
        for key in [
            "id", "uid", "title", "severity", "phase", "services", "tags", "roles", "links",
            "narrative", "actionItems",
            "runbook", "createdAt", "startedAt", "detectedAt", "declaredAt", "containedAt",
            "recoveredAt", "closedAt",
            "open", "active", "phaseEnteredAt", "metrics",
        ] {
            let before = old[key].map {
                try? JSONSerialization.data(
                    withJSONObject: $0, options: [.sortedKeys, .fragmentsAllowed])
            }
            let after = new[key].map {
                try? JSONSerialization.data(
                    withJSONObject: $0, options: [.sortedKeys, .fragmentsAllowed])
            }
            #expect(before == after, "INC-\(number) \(key) changed", sourceLocation: sourceLocation)
        }
        let oldTimeline = try #require(old["timeline"] as? [[String: Any]])
        let newTimeline = try #require(new["timeline"] as? [[String: Any]])
        try #require(newTimeline.count >= oldTimeline.count + 1, sourceLocation: sourceLocation)
        for (before, after) in zip(oldTimeline, newTimeline) {
            for key in ["seq", "at", "recordedAt", "author", "kind", "text", "data", "hash"] {
                let a = before[key].map {
                    try? JSONSerialization.data(
                        withJSONObject: $0, options: [.sortedKeys, .fragmentsAllowed])
                }
                let b = after[key].map {
                    try? JSONSerialization.data(
                        withJSONObject: $0, options: [.sortedKeys, .fragmentsAllowed])
                }
                #expect(
                    a == b, "INC-\(number) entry \(before["seq"] ?? "?") \(key) changed",
                    sourceLocation: sourceLocation)
            }
        }
        #expect(
            newTimeline[oldTimeline.count]["kind"] as? String == "migrated",
            sourceLocation: sourceLocation)
    }

    @Test func aFormat1StoreReadsAsItWasAndIsConvertedOnTheFirstWriteLosingNothing() throws {
        let box = try Self.sandbox("team-store")
        let incidents = box.store + "/incidents"
        // Reading converts nothing on disk.
        for number in 1...3 { try Self.expectSameIncident(number, in: box) }
        #expect(try box.ok(["list", "--all"]).split(separator: "\n").count == 4)
        #expect(try box.ok(["verify"]).split(separator: "\n").allSatisfy { $0.contains(": ok, ") })
        #expect(Self.names(incidents) == ["INC-1.json", "INC-2.json", "INC-3.json"])

        // The first write converts every incident, under the lock.
        try box.ok(["log", "2", "after the upgrade"])
        let directories = Self.names(incidents)
        #expect(
            directories.count == 3 && directories.allSatisfy { !$0.hasPrefix("INC-") },
            "\(directories)")
        for number in 1...3 { try Self.expectSameIncident(number, in: box) }
        let verified = try box.ok(["verify"])
        #expect(verified.contains("INC-1: ok, 20 entries"), "\(verified)")
        #expect(verified.contains("INC-2: ok, 8 entries"), "\(verified)")
        #expect(verified.contains("INC-3: ok, 3 entries"), "\(verified)")
        let two = try Self.object(try box.ok(["show", "2", "--json"]))
        #expect(
            (two["timeline"] as? [[String: Any]])?.last?["text"] as? String == "after the upgrade")
        // Numbers continue after the converted ones.
        #expect(try box.ok(["declare", "After"]).hasPrefix("INC-4 declared"))
        // Converting again (nothing left to convert) changes nothing.
        let before = try box.sh(
            "cd \"$IRCTL_DIR/incidents\" && find . -type f | sort | xargs sha256sum"
        ).stdout
        try box.ok(["log", "4", "--kind", "decision", "no change"])
        let after = try box.sh(
            "cd \"$IRCTL_DIR/incidents\" && find . -type f -name 'legacy-*' | sort | xargs "
                + "sha256sum"
        ).stdout
        #expect(after.split(separator: "\n").allSatisfy { before.contains($0) })
    }

    /// An older teammate's format-1 file arriving after the conversion (a `git pull`) is converted
    /// again: the same file gives the same bytes, and a file with more entries adds just those.
    @Test func anOlderTeammatesFileArrivingLaterIsConvertedAgainWithoutLoss() throws {
        let box = try Self.sandbox("team-store")
        try box.ok(["action", "add", "3", "converted"])
        let incidents = box.store + "/incidents"
        let converted = Self.names(incidents)
        let three = try Self.object(try box.ok(["show", "3", "--json"]))
        let uid = try #require(three["uid"] as? String)
        let legacy = Self.names(incidents + "/" + uid).filter { $0.hasPrefix("legacy-") }
        #expect(legacy.count == 1)
        let legacyBytes = try Data(
            contentsOf: URL(fileURLWithPath: incidents + "/" + uid + "/" + legacy[0]))

        // The same file again: converted to the same bytes, no entry twice.
        try FileManager.default.copyItem(
            atPath: Self.fixtures + "/team-store/incidents/INC-3.json",
            toPath: incidents + "/INC-3.json")
        #expect(
            try box.ok(["list", "--all"]).components(separatedBy: "p99 latency alert").count == 2,
            "listed once")
        try box.ok(["log", "2", "next write"])
        #expect(Self.names(incidents) == converted)
        #expect(
            try Data(contentsOf: URL(fileURLWithPath: incidents + "/" + uid + "/" + legacy[0]))
                == legacyBytes)
        #expect(
            (try Self.object(try box.ok(["show", "3", "--json"]))["timeline"] as? [Any])?.count == 4
        )

        // The file with one more entry written by the older release: that entry arrives, hash and
        // all.
        var file = try #require(
            try JSONSerialization.jsonObject(
                with: Data(
                    contentsOf: URL(
                        fileURLWithPath: Self.fixtures + "/team-store/incidents/INC-3.json")))
                as? [String: Any])
        var timeline = try #require(file["timeline"] as? [[String: Any]])
        let last = try #require(timeline.last)
        var entry = TimelineEntry(
            seq: 3, at: Timestamp.parse("2026-11-23T10:00:00Z")!,
            recordedAt: Timestamp.parse("2026-11-23T10:00:00Z")!,
            author: "oldtimer", kind: .note, text: "written with the old release", isLegacy: true)
        entry.hash = EntryHash.hash(of: entry, previous: last["hash"] as! String)
        timeline.append([
            "seq": 3, "at": "2026-11-23T10:00:00Z", "recordedAt": "2026-11-23T10:00:00Z",
            "author": "oldtimer",
            "kind": "note", "text": "written with the old release", "hash": entry.hash,
        ])
        file["timeline"] = timeline
        try JSONSerialization.data(withJSONObject: file, options: [.prettyPrinted, .sortedKeys])
            .write(to: URL(fileURLWithPath: incidents + "/INC-3.json"))
        let shown = try box.ok(["show", "3"])
        #expect(shown.contains("written with the old release"))
        try box.ok(["log", "2", "another write"])
        #expect(Self.names(incidents) == converted)
        #expect(Self.names(incidents + "/" + uid).filter { $0.hasPrefix("legacy-") }.count == 2)
        let after = try Self.object(try box.ok(["show", "3", "--json"]))
        let texts = (after["timeline"] as? [[String: Any]] ?? []).compactMap {
            $0["text"] as? String
        }
        #expect(texts.filter { $0 == "written with the old release" }.count == 1)
        #expect(texts.filter { $0.hasSuffix(": converted") }.count == 1, "\(texts)")
        #expect(texts.filter { $0.hasPrefix("Detected: ") }.count == 1, "\(texts)")
        #expect(try box.ok(["verify", "3"]).contains("INC-3: ok, "))
    }

    @Test func fieldsOfANewerReleaseInAFormat1FileAreKept() throws {
        let box = try Self.sandbox("newer-fields")
        try box.ok(["reopen", "3", "--reason", "keep the new fields"])
        let shown = try Self.object(try box.ok(["show", "3", "--json"]))
        #expect((shown["futureTopLevel"] as? [String: Any])?["n"] as? Int == 7)
        #expect((shown["roles"] as? [String: Any])?["incidentAnalyst"] as? String == "erin")
        #expect(
            (shown["timeline"] as? [[String: Any]])?.first?["futureEntryField"] as? String
                == "kept too")
        #expect(shown["phase"] as? String == "review")
        #expect(try box.ok(["verify"]).contains("INC-3: ok, "))
    }
}
