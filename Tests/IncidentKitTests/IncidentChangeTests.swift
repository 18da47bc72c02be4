import Foundation
import Testing

@testable import IncidentKit

/// Every change as the typed vocabulary writes it, against the data the writers built by hand
/// before it existed: the same keys and values, the same split between redacted text and
/// references, so the same bytes on disk and the same hashes.
@Suite struct IncidentChangeTests {
    struct Sample {
        var change: IncidentChange
        var kind: String
        /// The entry's data as irctl wrote it before `IncidentChange`.
        var data: [String: String]
        /// The keys it passed as references (not redacted).
        var references: Set<String> = []
        var text = "entry text"
    }

    static let t1 = Fixture.instant("2026-11-21T13:52:00Z")
    static let t2 = Fixture.instant("2026-11-21T14:05:00Z")
    static let step = Checklist.Step(number: 1, text: "Check replication lag", command: "psql -c")

    /// The checklist JSON exactly as `attachRunbook` built it.
    static var handBuiltChecklist: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(
            decoding: (try? encoder.encode([step])) ?? Data("[]".utf8), as: UTF8.self)
    }

    static var samples: [Sample] {
        let f1 = Timestamp.format(t1)
        let f2 = Timestamp.format(t2)
        let item = IncidentChange.ActionItemRef(key: "h-item", number: "A3")
        return [
            Sample(change: .note, kind: "note", data: [:]),
            Sample(change: .action, kind: "action", data: [:]),
            Sample(change: .decision, kind: "decision", data: [:]),
            Sample(change: .comms(nil), kind: "comms", data: [:]),
            Sample(
                change: .comms(
                    .init(
                        state: "identified", audience: "external", format: "markdown",
                        text: "We found it", next: t2)),
                kind: "comms",
                data: [
                    "state": "identified", "audience": "external", "format": "markdown",
                    "update": "We found it", "next": f2,
                ]),
            Sample(
                change: .alert(["source": "alertmanager", "event": "firing"]), kind: "alert",
                data: ["source": "alertmanager", "event": "firing"]),
            Sample(
                change: .evidence(["source": "promql", "query": "up"]), kind: "evidence",
                data: ["source": "promql", "query": "up"]),
            Sample(
                change: .command(
                    CommandRecord(
                        commandLine: "kubectl rollout undo", startedAt: t1, durationMs: 1200,
                        exitStatus: 0, outputTail: "ok", outputBytes: 2, outputTruncated: true,
                        directory: "/srv", step: 2)),
                kind: "command",
                data: [
                    "durationMs": "1200", "exitStatus": "0", "output": "ok", "outputBytes": "2",
                    "outputTruncated": "true", "directory": "/srv", "step": "2",
                ],
                text: "kubectl rollout undo"),
            Sample(
                change: .command(
                    CommandRecord(
                        commandLine: "nope", startedAt: t1, durationMs: 3, signal: 9,
                        startError: "not found")),
                kind: "command",
                data: ["durationMs": "3", "signal": "9", "error": "not found", "outputBytes": "0"],
                text: "nope"),
            Sample(
                change: .opened(
                    .init(
                        claim: IncidentID(number: 7), title: "Checkout 5xx", severity: "SEV2",
                        rank: 2, services: ["checkout", "payments"], tags: ["deploy"],
                        roles: Roles(commander: "alice", scribe: "dan"), startedAt: t1,
                        summary: "Errors", phase: .detect)),
                kind: "phase",
                data: [
                    "to": "detect", "claim": "7", "title": "Checkout 5xx", "severity": "SEV2",
                    "rank": "2", "commander": "alice", "scribe": "dan", "started": f1,
                    "summary": "Errors", "services": #"["checkout","payments"]"#,
                    "tags": #"["deploy"]"#,
                ],
                references: ["services", "tags"]),
            Sample(
                change: .phase(.init(from: .detect, to: .declare, severity: "SEV1", rank: 1)),
                kind: "phase",
                data: ["from": "detect", "to": "declare", "severity": "SEV1", "rank": "1"]),
            Sample(
                change: .phase(
                    .init(from: .declare, to: .recover, skipped: [.contain, .eradicate])),
                kind: "phase",
                data: ["from": "declare", "to": "recover", "skipped": "contain,eradicate"]),
            Sample(
                change: .phase(.init(from: .recover, to: .contain, reason: "came back")),
                kind: "phase",
                data: ["from": "recover", "to": "contain", "reason": "came back"]),
            Sample(
                change: .phase(.init(from: .recover, to: .closed, forced: true)), kind: "phase",
                data: ["from": "recover", "to": "closed", "forced": "true"]),
            Sample(
                change: .phase(
                    .init(
                        from: .detect, to: .closed, forced: true, closedAs: .falseAlarm)),
                kind: "phase",
                data: [
                    "from": "detect", "to": "closed", "forced": "true", "closedAs": "false-alarm",
                ]
            ),
            Sample(
                change: .phase(
                    .init(
                        from: .review, to: .closed, closedAs: .duplicate(of: "u-0"),
                        duplicateOfID: IncidentID(number: 3))),
                kind: "phase",
                data: [
                    "from": "review", "to": "closed", "closedAs": "duplicate",
                    "duplicateOf": "u-0", "duplicateOfID": "INC-3",
                ],
                references: ["duplicateOf"]),
            Sample(
                change: .drill(true), kind: "edit", data: ["field": "drill", "to": "true"]),
            Sample(
                change: .severity(.init(from: "SEV2", to: "SEV1", rank: 1, reason: "spreading")),
                kind: "severity",
                data: ["from": "SEV2", "to": "SEV1", "rank": "1", "reason": "spreading"]),
            Sample(
                change: .role(.tech, from: "bob", to: "carol"), kind: "role",
                data: ["role": "tech", "from": "bob", "to": "carol"]),
            Sample(
                change: .role(.scribe, from: "dan", to: nil), kind: "role",
                data: ["role": "scribe", "from": "dan"]),
            Sample(
                change: .labels(.services, added: ["api", "web"], removed: ["db"]), kind: "edit",
                data: ["field": "services", "added": #"["api","web"]"#, "removed": #"["db"]"#],
                references: ["added", "removed"]),
            Sample(
                change: .labels(.tags, added: [], removed: ["old"]), kind: "edit",
                data: ["field": "tags", "removed": #"["old"]"#], references: ["removed"]),
            Sample(
                change: .linkAdded(url: "https://grafana.example/d/1", label: "grafana"),
                kind: "edit",
                data: [
                    "field": "links", "added": "https://grafana.example/d/1", "label": "grafana",
                ]
            ),
            Sample(
                change: .linkRemoved(url: "https://grafana.example/d/1"), kind: "edit",
                data: ["field": "links", "removed": "https://grafana.example/d/1"]),
            Sample(
                change: .title(from: "Old", to: "New"), kind: "edit",
                data: ["field": "title", "from": "Old", "to": "New"]),
            Sample(
                change: .started(from: nil, to: t1), kind: "edit",
                data: ["field": "started", "to": f1]),
            Sample(
                change: .started(from: t1, to: nil), kind: "edit",
                data: ["field": "started", "from": f1]),
            Sample(
                change: .detected(from: t1, to: t2), kind: "edit",
                data: ["field": "detected", "from": f1, "to": f2]),
            Sample(
                change: .renumbered(from: "INC-3", to: IncidentID(number: 9)!), kind: "edit",
                data: ["field": "id", "from": "INC-3", "to": "INC-9"]),
            Sample(
                change: .narrative(.rootCause, value: "Pool\nsize"), kind: "edit",
                data: [
                    "field": "root-cause", "change": "set", "characters": "9",
                    "value": "Pool\nsize",
                ]),
            Sample(
                change: .narrative(.wentWell, value: nil), kind: "edit",
                data: ["field": "went-well", "change": "cleared"]),
            Sample(
                change: .runbookAttached(
                    .init(
                        name: "db-failover", title: "DB failover", source: "built-in",
                        steps: [step], replaced: "cache")),
                kind: "runbook",
                data: [
                    "runbook": "db-failover", "source": "built-in", "steps": "1",
                    "title": "DB failover", "replaced": "cache", "checklist": handBuiltChecklist,
                ],
                references: ["checklist"]),
            Sample(
                change: .stepMarked(
                    .init(runbook: "db-failover", step: 2, status: .skipped, note: "n/a")),
                kind: "runbook",
                data: ["runbook": "db-failover", "step": "2", "status": "skipped", "note": "n/a"]
            ),
            Sample(
                change: .actionItemAdded(
                    .init(
                        claim: 3, text: "Alert on pool", owner: "bob", due: t2, type: .detect,
                        priority: "P2")),
                kind: "action-item",
                data: [
                    "item": "A3", "change": "added", "text": "Alert on pool", "owner": "bob",
                    "due": f2, "type": "detect", "priority": "P2",
                ]),
            Sample(
                change: .actionItemDone(item, note: "shipped"), kind: "action-item",
                data: ["item": "A3", "change": "done", "note": "shipped", "ref": "h-item"],
                references: ["ref"]),
            Sample(
                change: .actionItemReopened(item, note: nil), kind: "action-item",
                data: ["item": "A3", "change": "reopened", "ref": "h-item"],
                references: ["ref"]),
            Sample(
                change: .actionItemEdited(
                    item,
                    .init(
                        text: "Alert sooner", owner: .some(nil), due: .some(nil), type: .prevent,
                        priority: "P1")),
                kind: "action-item",
                data: [
                    "item": "A3", "change": "edited", "text": "Alert sooner", "owner": "",
                    "due": "", "type": "prevent", "priority": "P1", "ref": "h-item",
                ],
                references: ["ref"]),
            Sample(
                change: .actionItemEdited(item, .init(owner: "carol", due: t1)),
                kind: "action-item",
                data: [
                    "item": "A3", "change": "edited", "owner": "carol", "due": f1,
                    "ref": "h-item",
                ],
                references: ["ref"]),
            Sample(
                change: .actionItemRenumbered(.init(key: "h-item"), from: "A3", to: 4),
                kind: "action-item",
                data: ["change": "renumbered", "from": "A3", "to": "A4", "ref": "h-item"],
                references: ["ref"]),
            Sample(
                change: .strike(target: "h-note", seq: 5, reason: "misfiled"), kind: "strike",
                data: ["entry": "h-note", "seq": "5", "reason": "misfiled"]),
            Sample(
                change: .migrated(state: #"{"id":"INC-2"}"#, from: "INC-2"), kind: "migrated",
                data: ["state": #"{"id":"INC-2"}"#, "from": "INC-2"]),
            Sample(
                change: .other(EntryKind(rawValue: "deploy"), ["sha": "abc123"]), kind: "deploy",
                data: ["sha": "abc123"]),
        ]
    }

    @Test func everyChangeIsStoredAsTheWritersStoredItBefore() throws {
        for sample in Self.samples {
            let stored = sample.change.storedData
            #expect(sample.change.kind.rawValue == sample.kind, "\(sample.change)")
            #expect(
                stored.text.merging(stored.references) { $1 } == sample.data, "\(sample.change)")
            #expect(Set(stored.references.keys) == sample.references, "\(sample.change)")
            #expect(Set(stored.text.keys).isDisjoint(with: stored.references.keys))
        }
    }

    @Test func everyChangeReadsBackAsItself() throws {
        for sample in Self.samples {
            let read = IncidentChange(
                kind: EntryKind(rawValue: sample.kind), data: sample.data, text: sample.text,
                at: Self.t1)
            #expect(read == sample.change)
        }
    }

    /// The bytes of an incident file and the hashes: a file written from the typed changes is
    /// byte for byte the one written from the hand-built data.
    @Test func recordedBytesAndHashesAreTheOldOnes() throws {
        func entries(typed: Bool) -> [TimelineEntry] {
            var previous = ""
            return Self.samples.enumerated().map { index, sample in
                let stored = sample.change.storedData
                var entry = TimelineEntry(
                    seq: index + 1, at: Self.t1, recordedAt: Self.t2, author: "alice",
                    kind: typed ? sample.change.kind : EntryKind(rawValue: sample.kind),
                    text: sample.text,
                    data: typed ? stored.text.merging(stored.references) { $1 } : sample.data,
                    replica: "00000000000000aa", parents: [], previous: previous)
                entry.hash = entry.expectedHash(incident: "u-1")
                previous = entry.hash
                return entry
            }
        }
        let typed = entries(typed: true)
        let handBuilt = entries(typed: false)
        #expect(typed.map(\.hash) == handBuilt.map(\.hash))
        let typedFile = ReplicaFile(incident: "u-1", replica: "00000000000000aa", entries: typed)
        let handBuiltFile = ReplicaFile(
            incident: "u-1", replica: "00000000000000aa", entries: handBuilt)
        #expect(typedFile.encoded() == handBuiltFile.encoded())
    }

    /// The samples cover every case: a new case fails to compile here until it is named, and
    /// then this test until it has a sample.
    @Test func samplesCoverEveryCase() {
        func name(_ change: IncidentChange) -> String {
            switch change {
            case .note: "note"
            case .action: "action"
            case .decision: "decision"
            case .comms: "comms"
            case .alert: "alert"
            case .evidence: "evidence"
            case .command: "command"
            case .opened: "opened"
            case .phase: "phase"
            case .severity: "severity"
            case .role: "role"
            case .labels: "labels"
            case .linkAdded: "linkAdded"
            case .linkRemoved: "linkRemoved"
            case .title: "title"
            case .started: "started"
            case .detected: "detected"
            case .renumbered: "renumbered"
            case .narrative: "narrative"
            case .runbookAttached: "runbookAttached"
            case .stepMarked: "stepMarked"
            case .actionItemAdded: "actionItemAdded"
            case .actionItemDone: "actionItemDone"
            case .actionItemReopened: "actionItemReopened"
            case .actionItemEdited: "actionItemEdited"
            case .actionItemRenumbered: "actionItemRenumbered"
            case .strike: "strike"
            case .migrated: "migrated"
            case .drill: "drill"
            case .other: "other"
            }
        }
        #expect(Set(Self.samples.map { name($0.change) }).count == 30)
    }

    /// Data a hand edit broke is carried as it is and changes nothing.
    @Test func unreadableDataIsCarriedAsOther() {
        let broken: [(String, [String: String])] = [
            ("phase", ["to": "sideways"]),
            ("severity", ["from": "SEV2"]),
            ("role", ["role": "janitor", "to": "x"]),
            ("edit", ["field": "colour", "to": "red"]),
            ("runbook", ["runbook": "x", "step": "one", "status": "done"]),
            ("action-item", ["change": "exploded", "item": "A1"]),
        ]
        for (kind, data) in broken {
            let read = IncidentChange(
                kind: EntryKind(rawValue: kind), data: data, text: "", at: Self.t1)
            #expect(read == .other(EntryKind(rawValue: kind), data))
        }
    }
}
