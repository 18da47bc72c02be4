import Foundation

/// An incident: what happened, who is on it, where it stands, and its timeline.
///
/// Its state is the fold of its entries (`Incident(uid:projecting:)`): every field below is set by
/// applying the timeline in its order, and nothing else sets it. A change is made by recording an
/// `IncidentChange` as a new entry (`record`), which the fold then applies like any other. Values
/// derived from the timeline (phase times, strikes, status updates) are kept by the same fold.
public struct Incident: Hashable, Sendable {
    /// The store format this binary writes. Older stores are converted on write; newer ones are
    /// read-only.
    public static let currentSchemaVersion = 2

    public private(set) var schemaVersion: Int
    /// The number this incident holds in its store (claimed when it was opened, or given by a
    /// renumbering; see `numbered(_:)`).
    public private(set) var id: IncidentID
    /// Stable across renumbering and clones, for sync and references.
    public private(set) var uid: String
    public private(set) var title: String
    /// A level name of the store's severity scheme, e.g. `SEV2`.
    public private(set) var severity: String
    public private(set) var phase: Phase
    public private(set) var services: [String]
    public private(set) var tags: [String]
    public private(set) var roles: Roles
    public private(set) var links: [Link]
    public private(set) var narrative: Narrative
    public private(set) var actionItems: [ActionItem]
    public private(set) var runbook: Checklist?
    /// Every entry, in the order they are applied and shown.
    public private(set) var timeline: [TimelineEntry]
    public private(set) var createdAt: Date
    /// When impact began; may be before detection, and may be unknown.
    public private(set) var startedAt: Date?
    public private(set) var detectedAt: Date
    /// Numbers this incident held before it was renumbered; each still finds it.
    public private(set) var aliases: [IncidentID] = []
    /// An exercise, not a real incident (`declare --drill`).
    public private(set) var isDrill = false
    /// Why it was closed when it was not an incident of its own: a false alarm, a duplicate.
    public private(set) var closedAs: ClosedAs?
    /// Fields written by a newer irctl (or kept from a format-1 file), carried through.
    private(set) var unknownFields: [String: JSONValue] = [:]
    /// The replica new entries are written as: a store sets it (`writing(as:)`) before a change.
    package private(set) var writer = ""
    /// What the fold keeps besides the fields above.
    private(set) var projection = ProjectionState()

    private init(uid: String) {
        schemaVersion = Self.currentSchemaVersion
        id = IncidentID(number: 1)!
        self.uid = uid
        title = ""
        severity = ""
        phase = .detect
        services = []
        tags = []
        roles = Roles()
        links = []
        narrative = Narrative()
        actionItems = []
        runbook = nil
        timeline = []
        createdAt = .distantPast
        detectedAt = .distantPast
    }

    /// Open until the review is closed.
    public var isOpen: Bool { phase != .closed }
    /// Active while the team is still working the problem: before `review`.
    public var isActive: Bool { phase < .review }

    /// The hashes of the entries no other entry follows yet.
    public var heads: [String] { projection.heads.sorted() }
}

/// An incident's entries can't be made into an incident.
public enum ProjectionError: Error, Hashable, Sendable {
    /// No entry opens the incident (its first file is missing).
    case noCreation
}

// MARK: Inputs

extension Incident {
    /// Reads an incident file of store format 1 (its state as stored, with its timeline), or the
    /// state a `migrated` entry records.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        func key(_ name: String) -> AnyCodingKey { AnyCodingKey(name) }
        schemaVersion = try c.decodeIfPresent(Int.self, forKey: key("schemaVersion")) ?? 1
        id = try c.decode(IncidentID.self, forKey: key("id"))
        uid = try c.decode(String.self, forKey: key("uid"))
        title = try c.decode(String.self, forKey: key("title"))
        severity = try c.decode(String.self, forKey: key("severity"))
        phase = try c.decode(Phase.self, forKey: key("phase"))
        services = try c.decodeIfPresent([String].self, forKey: key("services")) ?? []
        tags = try c.decodeIfPresent([String].self, forKey: key("tags")) ?? []
        roles = try c.decodeIfPresent(Roles.self, forKey: key("roles")) ?? Roles()
        links = try c.decodeIfPresent([Link].self, forKey: key("links")) ?? []
        narrative = try c.decodeIfPresent(Narrative.self, forKey: key("narrative")) ?? Narrative()
        actionItems = try c.decodeIfPresent([ActionItem].self, forKey: key("actionItems")) ?? []
        runbook = try c.decodeIfPresent(Checklist.self, forKey: key("runbook"))
        timeline = try c.decodeIfPresent([TimelineEntry].self, forKey: key("timeline")) ?? []
        createdAt = try c.decode(StoredDate.self, forKey: key("createdAt")).date
        startedAt = try c.decodeIfPresent(StoredDate.self, forKey: key("startedAt"))?.date
        detectedAt = try c.decode(StoredDate.self, forKey: key("detectedAt")).date
        unknownFields = try c.unknownFields(known: Self.known.union(Self.derivedKeys))
        // The state is read as stored; what is derived from the timeline is derived here too.
        for (index, entry) in timeline.enumerated() {
            projection.position[entry.hash] = index
            derive(from: entry.change, entry, index)
        }
    }

    /// The incident its entries describe. `entries` may come in any order and hold duplicates (the
    /// same entry in two files); the result depends only on the set of entries.
    public init(uid: String, projecting entries: [TimelineEntry]) throws(ProjectionError) {
        self.init(uid: uid)
        for entry in EntryOrder.sorted(entries) { apply(entry) }
        guard projection.created else { throw .noCreation }
    }

    /// An empty incident that `record` fills: how a new incident is opened in memory.
    init(opening uid: String) { self.init(uid: uid) }

    /// The incident as its store numbers it: while two incidents claim one number (made at once
    /// on two clones, until `irctl sync` settles it), one of them shows another.
    public func numbered(_ number: IncidentID) -> Incident {
        var incident = self
        incident.id = number
        return incident
    }

    /// The incident ready for changes written as `replica`. `head` is that replica's last entry
    /// when git took entries of it away: new entries follow it, so the chain is whole again when
    /// they come back.
    package func writing(
        as replica: String, after head: (seq: Int, hash: String)? = nil
    )
        -> Incident
    {
        var incident = self
        incident.writer = replica
        if let head {
            incident.projection.chainEnds[replica] = .init(seq: head.seq, hash: head.hash)
        }
        return incident
    }

    /// This incident's state as a format-1 file held it, without its timeline: what a `migrated`
    /// entry records.
    package var stateWithoutTimeline: Incident {
        var state = self
        state.timeline = []
        return state
    }

    /// Records a change: the one way an incident's state changes. The entry follows every entry
    /// known here, so it wins over all of them; its hash chains it to this replica's last entry.
    /// Written text is redacted; references to other entries are kept as they are.
    @discardableResult
    mutating func record(
        _ change: IncidentChange, _ text: String, at: Date? = nil, context: EditContext
    ) -> TimelineEntry {
        let end = projection.chainEnds[writer]
        let stored = change.storedData
        var entryData = stored.text.mapValues(context.clean)
        for (key, value) in stored.references { entryData[key] = value }
        var entry = TimelineEntry(
            seq: timeline.count + 1, at: at.map(Timestamp.wholeSeconds) ?? context.now,
            recordedAt: context.now, author: context.author, kind: change.kind,
            text: context.clean(text), data: entryData, replica: writer,
            replicaSeq: min(end?.seq ?? 0, Int.max - 1) + 1,
            parents: projection.heads.subtracting([end?.hash ?? ""]).sorted(),
            isLegacy: false, previous: end?.hash ?? "")
        entry.hash = entry.expectedHash(incident: uid)
        apply(entry)
        return timeline[timeline.count - 1]
    }

    /// Rewrites an incident made in memory (all of its entries by one writer) as written by
    /// `replica`, re-hashing each entry: how the store adopts a new incident.
    package mutating func adopt(writer replica: String) {
        var renamed: [String: String] = [:]
        var entries: [TimelineEntry] = []
        for var entry in timeline {
            entry.replica = replica
            entry.previous = renamed[entry.previous] ?? entry.previous
            entry.parents = entry.parents.map { renamed[$0] ?? $0 }
            for key in IncidentChange.entryReferenceKeys {
                if let old = entry.data[key], let new = renamed[old] { entry.data[key] = new }
            }
            let old = entry.hash
            entry.hash = entry.expectedHash(incident: uid)
            renamed[old] = entry.hash
            entries.append(entry)
        }
        if let projected = try? Incident(uid: uid, projecting: entries) { self = projected }
        writer = replica
    }

    /// The position and key by which concurrent claims of one number are settled.
    public var claimOrder: (at: Date, hash: String) { (projection.claimedAt, projection.claimHash) }
}

// MARK: The fold

extension Incident {
    mutating func apply(_ incoming: TimelineEntry) {
        let index = timeline.count
        var entry = incoming
        entry.seq = index + 1
        let direct = EntryOrder.predecessors(entry).compactMap { projection.position[$0] }
        projection.ancestry.add(following: direct)
        projection.position[entry.hash] = index
        for hash in EntryOrder.predecessors(entry) { projection.heads.remove(hash) }
        projection.heads.insert(entry.hash)
        let end = projection.chainEnds[entry.replica]
        if end == nil || end!.seq < entry.replicaSeq {
            projection.chainEnds[entry.replica] = .init(seq: entry.replicaSeq, hash: entry.hash)
        }
        timeline.append(entry)
        let change = entry.change
        // Format-1 entries are history: they count for phase times and strikes, but the state they
        // led to comes in with the `migrated` entry.
        derive(from: change, entry, index)
        guard !entry.isLegacy else { return }
        switch change {
        case .note, .action, .decision, .comms, .alert, .evidence, .command, .strike, .other:
            break
        case .migrated(let state, _): applyMigrated(state, entry, index)
        case .drill(let on): isDrill = on
        case .opened(let opening): applyCreation(opening, entry, index)
        case .phase(let move): applyPhase(move, index)
        case .severity(let change): writeSeverity(change.to, rank: change.rank, index)
        case .role(let role, _, let to):
            roles[role] = write("role \(role.rawValue)", .init(index: index, value: to)).value
        case .labels(let field, let added, let removed):
            applyLabels(field, added: added, removed: removed, index)
        case .linkAdded(let url, let label):
            projection.additions["links\u{1F}" + url, default: []].append(index)
            if !links.contains(where: { $0.url == url }) {
                links.append(Link(label: label, url: url))
            }
        case .linkRemoved(let url):
            var urls = links.map(\.url)
            removeElement("links", url, from: &urls, index)
            links.removeAll { !urls.contains($0.url) }
        case .title(_, let to):
            title = write("the title", .init(index: index, value: to)).value ?? title
        case .started(_, let to):
            startedAt = write("the start", .init(index: index, value: to.map(Timestamp.format)))
                .value.flatMap(Timestamp.parse)
        case .detected(_, let to):
            detectedAt =
                write("the detection time", .init(index: index, value: Timestamp.format(to)))
                .value.flatMap(Timestamp.parse) ?? detectedAt
        case .renumbered(_, let to):
            guard to != id else { break }
            if !aliases.contains(id) { aliases.append(id) }
            aliases.removeAll { $0 == to }
            id = to
            projection.claimedAt = entry.recordedAt
            projection.claimHash = entry.hash
        case .narrative(let field, let value):
            narrative[field] =
                write("the " + field.title.lowercased(), .init(index: index, value: value)).value
        case .runbookAttached(let attachment):
            write("the runbook", .init(index: index, value: attachment.name))
            runbook = Checklist(
                name: attachment.name, title: attachment.title, source: attachment.source,
                attachedAt: entry.at, steps: attachment.steps)
        case .stepMarked(let mark): applyStep(mark, entry, index)
        case .actionItemAdded(let added): addActionItem(added, entry, index)
        case .actionItemDone(let item, let note), .actionItemReopened(let item, let note):
            guard let i = actionItemIndex(item, entry) else { break }
            let value = isDone(change) ? "done" : "open"
            let kept = write(Self.itemField(actionItems[i].key), .init(index: index, value: value))
            actionItems[i].status = kept.value == "done" ? .done : .open
            actionItems[i].doneAt = kept.value == "done" ? timeline[kept.index].at : nil
            if let note { actionItems[i].note = note }
        case .actionItemEdited(let item, let edit):
            guard let i = actionItemIndex(item, entry) else { break }
            if let text = edit.text { actionItems[i].text = text }
            if let owner = edit.owner { actionItems[i].owner = owner }
            if let due = edit.due { actionItems[i].due = due }
            if let type = edit.type { actionItems[i].type = type }
            if let priority = edit.priority { actionItems[i].priority = priority }
        case .actionItemRenumbered(let item, let from, let to):
            guard let i = actionItemIndex(item, entry) else { break }
            // The later renumbering in the order decides (one that saw another comes after it).
            let key = actionItems[i].key
            var aliases = projection.itemAliases[key, default: []]
            if let old = projection.itemClaims[key]?.number { aliases.insert(old) }
            if let from = IncidentChange.itemNumber(from) { aliases.insert(from) }
            projection.itemAliases[key] = aliases
            projection.itemClaims[key] = .init(number: to, index: index)
            numberActionItems()
        }
    }

    /// Keeps what the derived values (phase times, strikes, status updates) need from an entry.
    private mutating func derive(from change: IncidentChange, _ entry: TimelineEntry, _ index: Int)
    {
        if let phase = change.enteredPhase { entered(phase, at: entry.at) }
        switch change {
        case .strike(let target, _, _): applyStrike(of: target, index)
        case .comms: projection.statusUpdates.append(index)
        default: break
        }
    }

    private func isDone(_ change: IncidentChange) -> Bool {
        if case .actionItemDone = change { return true }
        return false
    }

    /// An entry entered `phase`: phase times keep the first and the latest such entry.
    private mutating func entered(_ phase: Phase, at: Date) {
        if projection.firstEntered[phase].map({ $0 > at }) ?? true {
            projection.firstEntered[phase] = at
        }
        projection.lastEntered[phase] = at
    }

    /// A strike counts when it names an earlier entry of this incident, of a kind that can be
    /// struck, not struck already: the rules the `strike` command keeps. Others strike nothing.
    private mutating func applyStrike(of target: String?, _ index: Int) {
        typealias Cause = ProjectionState.IgnoredStrikeCause
        guard let target, let position = projection.position[target], position < index else {
            projection.ignoredStrikes.append(Cause(index: index, problem: .noEarlierEntry(target)))
            return
        }
        let kind = timeline[position].kind
        let problem: Cause.Problem?
        if kind == .strike {
            problem = .strikesStrike(position)
        } else if !EntryKind.strikable.contains(kind) {
            problem = .notStrikable(position, kind)
        } else if let first = projection.struck[target] {
            problem = .struckAlready(position, by: first)
        } else {
            problem = nil
            projection.struck[target] = index
        }
        if let problem { projection.ignoredStrikes.append(Cause(index: index, problem: problem)) }
    }

    /// Records that the entry at `write.index` sets `field`, and returns the write that holds it:
    /// the writes it had seen drop out; of what remains (writes made at the same time on other
    /// clones) `rule` picks one.
    @discardableResult
    private mutating func write(
        _ field: String, _ write: ProjectionState.Write, _ rule: ProjectionState.Rule = .later
    )
        -> ProjectionState.Write
    {
        var frontier = projection.frontiers[field, default: []].filter {
            !projection.ancestry.saw(write.index, $0.index)
        }
        frontier.append(write)
        projection.frontiers[field] = frontier
        projection.rules[field] = rule
        return ProjectionState.winner(frontier, rule)
    }

    /// Changes made at the same time on two clones, where one was kept and the other lost.
    public var concurrentChanges: [ConcurrentChange] {
        var changes = projection.setConflicts
        for field in projection.frontiers.keys.sorted() {
            let frontier = projection.frontiers[field]!
            guard frontier.count > 1, let rule = projection.rules[field] else { continue }
            let kept = ProjectionState.winner(frontier, rule)
            // An item's field is kept by its key; it is named by the number it shows now.
            let item = actionItems.first { Self.itemField($0.key) == field }
            let name = item.map { "action item \($0.id)" } ?? field
            for lost in frontier where lost.index != kept.index && lost.value != kept.value {
                changes.append(
                    ConcurrentChange(
                        field: name, kept: kept.value ?? "unassigned",
                        keptBy: timeline[kept.index].author,
                        lost: lost.value ?? "unassigned", lostBy: timeline[lost.index].author,
                        lostEntry: timeline[lost.index].hash))
            }
        }
        return changes
    }

    private mutating func noteConflict(
        _ field: String, kept: String, keptAt: Int, lost: String, lostAt: Int
    ) {
        projection.setConflicts.append(
            ConcurrentChange(
                field: field, kept: kept, keptBy: timeline[keptAt].author,
                lost: lost, lostBy: timeline[lostAt].author, lostEntry: timeline[lostAt].hash))
    }

    private mutating func writeSeverity(_ name: String, rank: Int?, _ index: Int) {
        let kept = write(
            "severity", .init(index: index, value: name, rank: rank ?? Int.max / 2), .severity)
        severity = kept.value ?? severity
    }

    private mutating func applyPhase(_ move: IncidentChange.PhaseMove, _ index: Int) {
        let from = move.from ?? phase
        let kept = write(
            "phase", .init(index: index, value: move.to.rawValue, regresses: move.to < from),
            .phase)
        phase = kept.value.flatMap(Phase.init(rawValue:)) ?? phase
        if move.to == .declare, let severity = move.severity {
            writeSeverity(severity, rank: move.rank, index)
        }
        // A close says how (a false alarm, a duplicate); a reopen clears it.
        if move.to == .closed || move.from == .closed {
            let value = move.to == .closed ? move.closedAs?.stored : nil
            closedAs = write("closed as", .init(index: index, value: value)).value.flatMap(
                ClosedAs.init(stored:))
        }
    }

    private mutating func applyCreation(
        _ opening: IncidentChange.Opening, _ entry: TimelineEntry, _ index: Int
    ) {
        // A second creation entry (only a hand-edited file has one) changes nothing.
        guard !projection.created else { return }
        projection.created = true
        if let claim = opening.claim { id = claim }
        projection.claimedAt = entry.recordedAt
        projection.claimHash = entry.hash
        title = opening.title
        if let name = opening.severity { writeSeverity(name, rank: opening.rank, index) }
        phase = .detect
        write("phase", .init(index: index, value: Phase.detect.rawValue), .phase)
        services = opening.services
        tags = opening.tags
        for name in services {
            projection.additions["services\u{1F}" + name, default: []].append(index)
        }
        for name in tags { projection.additions["tags\u{1F}" + name, default: []].append(index) }
        roles = opening.roles
        startedAt = opening.startedAt
        detectedAt = entry.at
        createdAt = entry.recordedAt
        if let summary = opening.summary { narrative.summary = summary }
        if opening.drill { isDrill = true }
    }

    private mutating func applyMigrated(_ state: String, _ entry: TimelineEntry, _ index: Int) {
        guard let old = try? JSONCoding.decoder().decode(Incident.self, from: Data(state.utf8))
        else { return }
        projection.created = true
        if old.timeline.isEmpty,
            projection.claimHash.isEmpty || projection.claimedAt > entry.recordedAt
        {
            projection.claimedAt = old.createdAt
            projection.claimHash = entry.hash
        }
        id = old.id
        title = old.title
        severity = old.severity
        phase = old.phase
        services = old.services
        tags = old.tags
        roles = old.roles
        links = old.links
        narrative = old.narrative
        actionItems = old.actionItems
        // Converted items are named by the number they had: one writer numbered them.
        for i in actionItems.indices {
            actionItems[i].key = actionItems[i].id
            let item = actionItems[i]
            projection.itemClaims[item.key] = .init(number: item.number, index: index)
        }
        numberActionItems()
        runbook = old.runbook
        createdAt = old.createdAt
        startedAt = old.startedAt
        detectedAt = old.detectedAt
        unknownFields = old.unknownFields
        write(
            "severity", .init(index: index, value: severity, rank: Self.defaultRank(severity)),
            .severity)
        write("phase", .init(index: index, value: phase.rawValue), .phase)
        write("the title", .init(index: index, value: title))
        for name in services {
            projection.additions["services\u{1F}" + name, default: []].append(index)
        }
        for name in tags { projection.additions["tags\u{1F}" + name, default: []].append(index) }
        for link in links {
            projection.additions["links\u{1F}" + link.url, default: []].append(index)
        }
    }

    private mutating func applyLabels(
        _ field: IncidentChange.LabelField, added: [String], removed: [String], _ index: Int
    ) {
        let name = field.rawValue
        var values = field == .services ? services : tags
        for value in removed { removeElement(name, value, from: &values, index) }
        for value in added {
            if !values.contains(value) { values.append(value) }
            projection.additions[name + "\u{1F}" + value, default: []].append(index)
        }
        if field == .services { services = values } else { tags = values }
    }

    /// Removes `name` unless an addition of it was concurrent with this removal: additions win.
    private mutating func removeElement(
        _ field: String, _ name: String, from values: inout [String], _ index: Int
    ) {
        let adds = projection.additions[field + "\u{1F}" + name] ?? []
        if adds.allSatisfy({ projection.ancestry.saw(index, $0) }) {
            values.removeAll { $0 == name }
            projection.additions[field + "\u{1F}" + name] = []
        } else if let concurrent = adds.last(where: { !projection.ancestry.saw(index, $0) }) {
            noteConflict(
                field, kept: "\(name) added", keptAt: concurrent, lost: "\(name) removed",
                lostAt: index)
        }
    }

    private mutating func addActionItem(
        _ added: IncidentChange.ActionItemAdded, _ entry: TimelineEntry, _ index: Int
    ) {
        var item = ActionItem(id: "", text: added.text ?? entry.text, createdAt: entry.at)
        item.key = entry.hash
        item.owner = added.owner
        item.due = added.due
        item.type = added.type
        item.priority = added.priority
        actionItems.append(item)
        projection.itemClaims[item.key] = .init(number: added.claim ?? 0, index: index)
        projection.entryItems[entry.hash] = item.key
        numberActionItems()
    }

    /// The index of the item an entry is about, linking the entry to it (for its shown text).
    private mutating func actionItemIndex(
        _ item: IncidentChange.ActionItemRef, _ entry: TimelineEntry
    ) -> Int? {
        guard let key = itemKey(ref: item.key, item: item.number),
            let i = actionItems.firstIndex(where: { $0.key == key })
        else { return nil }
        projection.entryItems[entry.hash] = key
        return i
    }

    /// The item an entry is about: its `ref` (the item's key), else the number it named, as the
    /// items were numbered when it was applied (entries written before items had keys).
    func itemKey(ref: String?, item: String?) -> String? {
        if let ref, projection.itemClaims[ref] != nil { return ref }
        return item.flatMap { id in actionItems.first { $0.id == id }?.key }
    }

    /// The field concurrent done/reopen changes of an item are decided on (by key: numbers move).
    static func itemField(_ key: String) -> String { "action item \u{1F}" + key }

    /// Gives every item the number it shows. In the order of their claims, each item holds the
    /// number it claimed unless an earlier claim holds it; those that can't get the lowest numbers
    /// no item claims or held before, in the same order. The result depends only on the entries.
    /// Items are listed by number.
    mutating func numberActionItems() {
        let claims = actionItems.map { projection.itemClaims[$0.key] ?? .unclaimed }
        let order = actionItems.indices.sorted { (claims[$0].index, $0) < (claims[$1].index, $1) }
        var numbers = [Int](repeating: 0, count: actionItems.count)
        var reserved = Set<Int>()
        for i in order where claims[i].number > 0 && reserved.insert(claims[i].number).inserted {
            numbers[i] = claims[i].number
        }
        reserved.formUnion(projection.itemAliases.values.joined())
        var next = 1
        for i in order where numbers[i] == 0 {
            while reserved.contains(next) { next += 1 }
            numbers[i] = next
            reserved.insert(next)
        }
        for i in actionItems.indices {
            actionItems[i].id = "A\(numbers[i])"
            let aliases = projection.itemAliases[actionItems[i].key, default: []]
                .subtracting([numbers[i]])
            actionItems[i].aliases = aliases.sorted().map { "A\($0)" }
        }
        // Listed by number, whichever clone's item was added first.
        actionItems.sort { $0.number < $1.number }
    }

    /// True when an item shows another number than it claims: claims collided and are not
    /// settled yet.
    public var hasProvisionalActionItems: Bool {
        actionItems.contains { $0.number != projection.itemClaims[$0.key]?.number }
    }

    private mutating func applyStep(
        _ mark: IncidentChange.StepMark, _ entry: TimelineEntry, _ index: Int
    ) {
        guard var checklist = runbook, checklist.name == mark.runbook,
            let i = checklist.steps.firstIndex(where: { $0.number == mark.step })
        else { return }
        let kept = write(
            "step \(mark.step)", .init(index: index, value: mark.status.rawValue), .doneIsFinal)
        guard kept.index == index else { return }
        checklist.steps[i].status = mark.status
        checklist.steps[i].at = entry.at
        checklist.steps[i].by = entry.author
        checklist.steps[i].note = mark.note
        runbook = checklist
    }
}
