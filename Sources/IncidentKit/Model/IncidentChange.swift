import Foundation

/// What one timeline entry changes: the vocabulary writers record and the fold applies.
///
/// It is the one place that knows how a change is stored: its entry kind and the keys and
/// values of the entry's `data`. `init(kind:data:text:at:)` reads an entry back; `kind` and
/// `storedData` write it, key for key as earlier versions of irctl wrote it, so the bytes of an
/// entry and its hash never depend on which version wrote it. An entry this version can't read
/// (a kind written by a newer irctl, or data a hand edit broke) is `.other`, which the fold
/// carries and otherwise leaves alone.
public enum IncidentChange: Hashable, Sendable {
    case note
    /// Something done to production.
    case action
    case decision
    /// A status update sent to stakeholders; nil for one logged by hand (`log --kind comms`).
    case comms(SentUpdate?)
    /// An alert. Its details belong to alert ingest (see `AlertEntryData`), which alone reads
    /// them; they are stored as given.
    case alert([String: String])
    /// A metric query and the series it returned, kept as evidence. Its details belong to the
    /// evidence feature (see `Evidence`), which alone reads them; they are stored as given.
    case evidence([String: String])
    /// A command run through irctl (`exec`, `step --run`).
    case command(CommandRecord)
    /// The first entry of an incident: everything it was opened with, and the number it claims.
    case opened(Opening)
    case phase(PhaseMove)
    case severity(SeverityChange)
    /// Who holds a role; `to` nil clears it.
    case role(Role, from: String?, to: String?)
    /// Services or tags added and removed.
    case labels(LabelField, added: [String], removed: [String])
    case linkAdded(url: String, label: String)
    case linkRemoved(url: String)
    case title(from: String?, to: String)
    /// When impact began; `to` nil records that it is unknown.
    case started(from: Date?, to: Date?)
    case detected(from: Date?, to: Date)
    /// The incident takes another number (`from` is the one it had, as shown).
    case renumbered(from: String?, to: IncidentID)
    /// A narrative field set, or cleared (nil).
    case narrative(NarrativeField, value: String?)
    case runbookAttached(RunbookAttachment)
    case stepMarked(StepMark)
    case actionItemAdded(ActionItemAdded)
    case actionItemDone(ActionItemRef, note: String?)
    case actionItemReopened(ActionItemRef, note: String?)
    case actionItemEdited(ActionItemRef, ActionItemEdit)
    /// An item takes another number (`to`, as in `A3` → 3).
    case actionItemRenumbered(ActionItemRef, from: String?, to: Int)
    /// Marks an earlier entry (`target`, its hash) as a mistake.
    case strike(target: String?, seq: Int?, reason: String?)
    /// The state of an incident converted from store format 1 (its JSON) and the number it had.
    case migrated(state: String, from: String?)
    /// Marks the incident as a drill, or not (`declare INC --drill`).
    case drill(Bool)
    /// An entry this irctl can't read, kept and carried as it is.
    case other(EntryKind, [String: String])

    /// Services or tags.
    public enum LabelField: String, Hashable, Sendable {
        case services, tags
    }

    /// A status update as it was sent.
    public struct SentUpdate: Hashable, Sendable {
        /// `investigating` …, as `StatusUpdate.State` names them.
        public var state: String
        /// `internal` or `external`.
        public var audience: String
        /// `text`, `markdown` or `slack`.
        public var format: String
        /// The update as sent.
        public var text: String
        /// When the next update was promised.
        public var next: Date?

        public init(state: String, audience: String, format: String, text: String, next: Date?) {
            self.state = state
            self.audience = audience
            self.format = format
            self.text = text
            self.next = next
        }
    }

    /// What an incident was opened with.
    public struct Opening: Hashable, Sendable {
        /// The number it claims; nil when a hand edit left none readable.
        public var claim: IncidentID?
        public var title: String
        public var severity: String?
        /// How severe `severity` is in its scheme (0 is the most severe).
        public var rank: Int?
        public var services: [String]
        public var tags: [String]
        public var roles: Roles
        public var startedAt: Date?
        public var summary: String?
        /// The phase it opens in: `detect` (nil when a hand edit left none).
        public var phase: Phase?
        /// An exercise, not a real incident (`declare --drill`).
        public var drill = false
    }

    /// A move from one phase to another (a declaration, a close, a reopen).
    public struct PhaseMove: Hashable, Sendable {
        public var from: Phase?
        public var to: Phase
        /// Phases a forward move went past.
        public var skipped: [Phase] = []
        public var reason: String?
        /// A close from a phase other than `review`.
        public var forced = false
        /// On a declaration: the severity declared, and its rank.
        public var severity: String?
        public var rank: Int?
        /// On a close: why, when it was not an incident of its own.
        public var closedAs: ClosedAs?
        /// On a close as a duplicate: the original's number then, for pages that can't look it
        /// up (the uid in `closedAs` is what counts).
        public var duplicateOfID: IncidentID?
    }

    public struct SeverityChange: Hashable, Sendable {
        public var from: String?
        public var to: String
        public var rank: Int?
        public var reason: String?
    }

    /// A runbook copied onto the incident as a checklist.
    public struct RunbookAttachment: Hashable, Sendable {
        public var name: String
        public var title: String
        public var source: String
        public var steps: [Checklist.Step]
        /// The runbook it replaced.
        public var replaced: String?
    }

    /// A checklist step done or skipped.
    public struct StepMark: Hashable, Sendable {
        public var runbook: String
        public var step: Int
        public var status: Checklist.Step.Status
        public var note: String?
    }

    /// A new action item.
    public struct ActionItemAdded: Hashable, Sendable {
        /// The number it claims (`A3` → 3).
        public var claim: Int?
        /// Nil in an entry that left it out: the entry's text stands for it.
        public var text: String?
        public var owner: String?
        public var due: Date?
        public var type: ActionItem.ItemType?
        public var priority: String?
    }

    /// The item an entry is about: its key (the hash of the entry that added it) and the number
    /// it showed when the entry was written (entries from before items had keys name it so).
    public struct ActionItemRef: Hashable, Sendable {
        public var key: String?
        public var number: String?
    }

    /// What an edit of an action item changes; nil leaves a field as it is.
    public struct ActionItemEdit: Hashable, Sendable {
        public var text: String?
        /// `.some(nil)` clears the owner.
        public var owner: String??
        /// `.some(nil)` clears the due date.
        public var due: Date??
        public var type: ActionItem.ItemType?
        public var priority: String?
    }
}

// MARK: Writing

extension IncidentChange {
    /// The kind of entry the change is stored as.
    public var kind: EntryKind {
        switch self {
        case .note: .note
        case .action: .action
        case .decision: .decision
        case .comms: .comms
        case .alert: .alert
        case .evidence: .evidence
        case .command: .command
        case .opened, .phase: .phase
        case .severity: .severity
        case .role: .role
        case .labels, .linkAdded, .linkRemoved, .title, .started, .detected, .renumbered,
            .narrative, .drill:
            .edit
        case .runbookAttached, .stepMarked: .runbook
        case .actionItemAdded, .actionItemDone, .actionItemReopened, .actionItemEdited,
            .actionItemRenumbered:
            .actionItem
        case .strike: .strike
        case .migrated: .migrated
        case .other(let kind, _): kind
        }
    }

    /// The entry's `data`: `text` is written text, redacted before it is stored; `references`
    /// (hashes of other entries, and lists already redacted item by item, which redacting as a
    /// whole could break) are stored as they are.
    public var storedData: (text: [String: String], references: [String: String]) {
        var data: [String: String] = [:]
        var references: [String: String] = [:]
        switch self {
        case .note, .action, .decision, .comms(nil): break
        case .comms(let update?):
            data = [
                "state": update.state, "audience": update.audience, "format": update.format,
                "update": update.text,
            ]
            data["next"] = update.next.map(Timestamp.format)
        case .alert(let details), .evidence(let details): data = details
        case .command(let record): data = record.storedData
        case .opened(let opening):
            data = ["title": opening.title]
            data["claim"] = opening.claim.map { String($0.number) }
            data["to"] = opening.phase?.rawValue
            data["severity"] = opening.severity
            data["rank"] = opening.rank.map(String.init)
            for role in Role.allCases { data[role.rawValue] = opening.roles[role] }
            data["started"] = opening.startedAt.map(Timestamp.format)
            data["summary"] = opening.summary
            if !opening.services.isEmpty {
                references["services"] = Self.listText(opening.services)
            }
            if !opening.tags.isEmpty { references["tags"] = Self.listText(opening.tags) }
            if opening.drill { data["drill"] = "true" }
        case .phase(let move):
            data["from"] = move.from?.rawValue
            data["to"] = move.to.rawValue
            if !move.skipped.isEmpty {
                data["skipped"] = move.skipped.map(\.rawValue).joined(separator: ",")
            }
            data["reason"] = move.reason
            if move.forced { data["forced"] = "true" }
            data["severity"] = move.severity
            data["rank"] = move.rank.map(String.init)
            data["closedAs"] = move.closedAs?.name
            references["duplicateOf"] = move.closedAs?.original
            data["duplicateOfID"] = move.duplicateOfID?.description
        case .severity(let change):
            data = ["to": change.to]
            data["from"] = change.from
            data["rank"] = change.rank.map(String.init)
            data["reason"] = change.reason
        case .role(let role, let from, let to):
            data = ["role": role.rawValue]
            data["from"] = from
            data["to"] = to
        case .labels(let field, let added, let removed):
            data = ["field": field.rawValue]
            if !added.isEmpty { references["added"] = Self.listText(added) }
            if !removed.isEmpty { references["removed"] = Self.listText(removed) }
        case .linkAdded(let url, let label):
            data = ["field": "links", "added": url, "label": label]
        case .linkRemoved(let url):
            data = ["field": "links", "removed": url]
        case .title(let from, let to):
            data = ["field": "title", "to": to]
            data["from"] = from
        case .started(let from, let to):
            data = ["field": "started"]
            data["from"] = from.map(Timestamp.format)
            data["to"] = to.map(Timestamp.format)
        case .detected(let from, let to):
            data = ["field": "detected", "to": Timestamp.format(to)]
            data["from"] = from.map(Timestamp.format)
        case .renumbered(let from, let to):
            data = ["field": "id", "to": to.description]
            data["from"] = from
        case .narrative(let field, let value):
            data = ["field": field.argument, "change": value == nil ? "cleared" : "set"]
            if let value {
                data["characters"] = String(value.count)
                data["value"] = value
            }
        case .runbookAttached(let attachment):
            data = [
                "runbook": attachment.name, "source": attachment.source,
                "steps": String(attachment.steps.count), "title": attachment.title,
            ]
            data["replaced"] = attachment.replaced
            references["checklist"] = Self.checklistText(attachment.steps)
        case .stepMarked(let mark):
            data = [
                "runbook": mark.runbook, "step": String(mark.step), "status": mark.status.rawValue,
            ]
            data["note"] = mark.note
        case .actionItemAdded(let added):
            data = ["change": "added"]
            data["item"] = added.claim.map { "A\($0)" }
            data["text"] = added.text
            data["owner"] = added.owner
            data["due"] = added.due.map(Timestamp.format)
            data["type"] = added.type?.rawValue
            data["priority"] = added.priority
        case .actionItemDone(let item, let note), .actionItemReopened(let item, let note):
            data = ["change": self.kindOfItemChange]
            data["note"] = note
            Self.write(item, into: &data, references: &references)
        case .actionItemEdited(let item, let edit):
            data = ["change": "edited"]
            data["text"] = edit.text
            if let owner = edit.owner { data["owner"] = owner ?? "" }
            if let due = edit.due { data["due"] = due.map(Timestamp.format) ?? "" }
            data["type"] = edit.type?.rawValue
            data["priority"] = edit.priority
            Self.write(item, into: &data, references: &references)
        case .actionItemRenumbered(let item, let from, let to):
            data = ["change": "renumbered", "to": "A\(to)"]
            data["from"] = from
            Self.write(item, into: &data, references: &references)
        case .strike(let target, let seq, let reason):
            data["entry"] = target
            data["seq"] = seq.map(String.init)
            data["reason"] = reason
        case .migrated(let state, let from):
            data = ["state": state]
            data["from"] = from
        case .drill(let on): data = ["field": "drill", "to": on ? "true" : "false"]
        case .other(_, let stored): data = stored
        }
        return (data, references)
    }

    private var kindOfItemChange: String {
        if case .actionItemDone = self { return "done" }
        return "reopened"
    }

    private static func write(
        _ item: ActionItemRef, into data: inout [String: String],
        references: inout [String: String]
    ) {
        data["item"] = item.number
        references["ref"] = item.key
    }

    /// Keys whose values are hashes of other entries: renamed when entries are re-hashed.
    static let entryReferenceKeys = ["ref", "entry"]

    /// A list as entries store it: a JSON array of strings.
    static func listText(_ values: [String]) -> String {
        JSONWriter.compact(.array(values.map(JSONValue.string)))
    }

    /// Checklist steps as a runbook entry stores them: sorted-keys JSON.
    static func checklistText(_ steps: [Checklist.Step]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(steps)) ?? Data("[]".utf8), as: UTF8.self)
    }
}

// MARK: Reading

extension IncidentChange {
    /// The phase this change moves the incident into, if it moves it.
    public var enteredPhase: Phase? {
        switch self {
        case .opened(let opening): opening.phase
        case .phase(let move): move.to
        default: nil
        }
    }
}

extension IncidentChange {
    /// What an entry of `kind` with this `data` records. `text` and `at` are the entry's: a
    /// command entry's text is its command line, and its time when the command started.
    public init(kind: EntryKind, data: [String: String], text: String, at: Date) {
        self = Self.read(kind: kind, data: data, text: text, at: at) ?? .other(kind, data)
    }

    private static func read(
        kind: EntryKind, data: [String: String], text: String, at: Date
    ) -> IncidentChange? {
        switch kind {
        case .note: return .note
        case .action: return .action
        case .decision: return .decision
        case .alert: return .alert(data)
        case .evidence: return .evidence(data)
        case .comms:
            guard let update = data["update"] else { return .comms(nil) }
            return .comms(
                SentUpdate(
                    state: data["state"] ?? "", audience: data["audience"] ?? "internal",
                    format: data["format"] ?? "text", text: update,
                    next: data["next"].flatMap(Timestamp.parse)))
        case .command: return .command(CommandRecord(stored: data, text: text, at: at))
        case .phase: return readPhase(data)
        case .severity:
            guard let to = data["to"] else { return nil }
            return .severity(
                SeverityChange(
                    from: data["from"], to: to, rank: data["rank"].flatMap { Int($0) },
                    reason: data["reason"]))
        case .role:
            guard let role = data["role"].flatMap(Role.init(rawValue:)) else { return nil }
            return .role(role, from: data["from"], to: data["to"])
        case .edit: return readEdit(data)
        case .runbook: return readRunbook(data)
        case .actionItem: return readActionItem(data)
        case .strike:
            return .strike(
                target: data["entry"], seq: data["seq"].flatMap { Int($0) },
                reason: data["reason"])
        case .migrated:
            return data["state"].map { .migrated(state: $0, from: data["from"]) }
        default: return nil
        }
    }

    private static func readPhase(_ data: [String: String]) -> IncidentChange? {
        let rank = data["rank"].flatMap { Int($0) }
        if let claim = data["claim"] {
            var roles = Roles()
            for role in Role.allCases { roles[role] = data[role.rawValue] }
            return .opened(
                Opening(
                    claim: IncidentID(claim), title: data["title"] ?? "",
                    severity: data["severity"], rank: rank, services: list(data["services"]),
                    tags: list(data["tags"]), roles: roles,
                    startedAt: data["started"].flatMap(Timestamp.parse),
                    summary: data["summary"], phase: data["to"].flatMap(Phase.init(rawValue:)),
                    drill: data["drill"] == "true"))
        }
        guard let to = data["to"].flatMap(Phase.init(rawValue:)) else { return nil }
        return .phase(
            PhaseMove(
                from: data["from"].flatMap(Phase.init(rawValue:)), to: to,
                skipped: (data["skipped"] ?? "").split(separator: ",").compactMap {
                    Phase(rawValue: String($0))
                },
                reason: data["reason"], forced: data["forced"] == "true",
                severity: data["severity"], rank: rank,
                closedAs: ClosedAs(name: data["closedAs"], original: data["duplicateOf"]),
                duplicateOfID: data["duplicateOfID"].flatMap(IncidentID.init)))
    }

    private static func readEdit(_ data: [String: String]) -> IncidentChange? {
        switch data["field"] {
        case "services", "tags":
            return .labels(
                data["field"] == "services" ? .services : .tags, added: list(data["added"]),
                removed: list(data["removed"]))
        case "links":
            if let url = data["added"] { return .linkAdded(url: url, label: data["label"] ?? url) }
            return data["removed"].map { .linkRemoved(url: $0) }
        case "title":
            return data["to"].map { .title(from: data["from"], to: $0) }
        case "drill":
            return data["to"].map { .drill($0 == "true") }
        case "started":
            let to = data["to"].map(Timestamp.parse)
            // A time a hand edit made unreadable is not read as "unknown".
            if case .some(nil) = to { return nil }
            return .started(from: data["from"].flatMap(Timestamp.parse), to: to ?? nil)
        case "detected":
            guard let to = data["to"].flatMap(Timestamp.parse) else { return nil }
            return .detected(from: data["from"].flatMap(Timestamp.parse), to: to)
        case "id":
            guard let to = data["to"].flatMap(IncidentID.init) else { return nil }
            return .renumbered(from: data["from"], to: to)
        case let name?:
            guard let field = NarrativeField(argument: name), field.argument == name else {
                return nil
            }
            if data["change"] == "cleared" { return .narrative(field, value: nil) }
            return data["value"].map { .narrative(field, value: $0) }
        case nil: return nil
        }
    }

    private static func readRunbook(_ data: [String: String]) -> IncidentChange? {
        if let checklist = data["checklist"] {
            guard
                let steps = try? JSONCoding.decoder().decode(
                    [Checklist.Step].self, from: Data(checklist.utf8)),
                let name = data["runbook"]
            else { return nil }
            return .runbookAttached(
                RunbookAttachment(
                    name: name, title: data["title"] ?? name, source: data["source"] ?? "",
                    steps: steps, replaced: data["replaced"]))
        }
        guard let runbook = data["runbook"], let step = data["step"].flatMap({ Int($0) }),
            let status = data["status"].flatMap(Checklist.Step.Status.init(rawValue:))
        else { return nil }
        return .stepMarked(
            StepMark(runbook: runbook, step: step, status: status, note: data["note"]))
    }

    private static func readActionItem(_ data: [String: String]) -> IncidentChange? {
        let item = ActionItemRef(key: data["ref"], number: data["item"])
        switch data["change"] {
        case "added":
            return .actionItemAdded(
                ActionItemAdded(
                    claim: itemNumber(data["item"]), text: data["text"], owner: data["owner"],
                    due: data["due"].flatMap(Timestamp.parse),
                    type: data["type"].flatMap(ActionItem.ItemType.init(rawValue:)),
                    priority: data["priority"]))
        case "done": return .actionItemDone(item, note: data["note"])
        case "reopened": return .actionItemReopened(item, note: data["note"])
        case "edited":
            return .actionItemEdited(
                item,
                ActionItemEdit(
                    text: data["text"], owner: data["owner"].map { $0.isEmpty ? nil : $0 },
                    due: data["due"].map { $0.isEmpty ? nil : Timestamp.parse($0) },
                    type: data["type"].flatMap(ActionItem.ItemType.init(rawValue:)),
                    priority: data["priority"]))
        case "renumbered":
            guard let to = itemNumber(data["to"]) else { return nil }
            return .actionItemRenumbered(item, from: data["from"], to: to)
        default: return nil
        }
    }

    /// `A12` → 12; nil for anything else.
    static func itemNumber(_ text: String?) -> Int? {
        guard let text, text.first == "A", let number = Int(text.dropFirst()), number > 0 else {
            return nil
        }
        return number
    }

    /// A list as entries store it: a JSON array of strings (or, in older entries, comma-separated).
    static func list(_ text: String?) -> [String] {
        guard let text, !text.isEmpty else { return [] }
        if text.hasPrefix("["), case .array(let items)? = try? JSONParser.parse(Array(text.utf8)) {
            return items.compactMap { if case .string(let s) = $0 { s } else { nil } }
        }
        return text.split(separator: ",").map(String.init)
    }
}

extension TimelineEntry {
    /// What this entry records.
    public var change: IncidentChange {
        IncidentChange(kind: kind, data: data, text: text, at: at)
    }
}
