import Foundation

/// What applying entries keeps besides the incident's fields: who last set what, so a change made
/// concurrently with it (on another clone, neither seeing the other) is decided by the rules
/// below rather than by which happens to be applied last.
struct ProjectionState: Hashable, Sendable {
    var ancestry = Ancestry()
    var position: [String: Int] = [:]
    var heads: Set<String> = []
    /// Per replica, the last entry of its chain: where the next one written there follows.
    var chainEnds: [String: ChainEnd] = [:]
    /// Per field, the writes no later write has seen: more than one means clones set it at once.
    var frontiers: [String: [Write]] = [:]
    var rules: [String: Rule] = [:]
    /// Removals that lost to concurrent additions.
    var setConflicts: [ConcurrentChange] = []
    /// Per service, tag or link, the positions of the entries that added it.
    var additions: [String: [Int]] = [:]
    /// Per action item (by key): the number it claims, and where in the order it claimed it.
    var itemClaims: [String: ItemClaim] = [:]
    /// Per action item (by key): the numbers it showed before a renumbering.
    var itemAliases: [String: Set<Int>] = [:]
    /// Per action-item entry (by hash): the key of the item it is about.
    var entryItems: [String: String] = [:]
    /// When and by which entry the incident's number was claimed, for settling duplicate claims.
    var claimedAt = Date.distantPast
    var claimHash = ""
    var created = false

    struct ChainEnd: Hashable, Sendable {
        var seq: Int
        var hash: String
    }

    struct ItemClaim: Hashable, Sendable {
        var number: Int
        var index: Int
        /// An item with no valid claim (a hand-edited entry): first, with a free number.
        static let unclaimed = ItemClaim(number: 0, index: -1)
    }

    /// One entry's setting of a field.
    struct Write: Hashable, Sendable {
        var index: Int
        /// What it set, as `show` says it; nil clears.
        var value: String?
        /// For severity: 0 is the most severe.
        var rank = 0
        /// For the phase: a move back or a reopen.
        var regresses = false
    }

    /// How concurrent writes of a field are decided.
    enum Rule: Hashable, Sendable {
        /// The later in the entry order.
        case later
        /// The more severe, then the later.
        case severity
        /// A move back or a reopen, then the furthest phase, then the later.
        case phase
        /// Done, then the later (a step done stays done).
        case doneIsFinal
    }

    /// True when `b` wins over `a`.
    static func loses(_ a: Write, to b: Write, _ rule: Rule) -> Bool {
        switch rule {
        case .later:
            return a.index < b.index
        case .severity:
            if a.rank != b.rank { return a.rank > b.rank }
            return a.index < b.index
        case .phase:
            if a.regresses != b.regresses { return !a.regresses }
            let pa = a.value.flatMap(Phase.init(rawValue:))
            let pb = b.value.flatMap(Phase.init(rawValue:))
            if let pa, let pb, pa != pb { return pa < pb }
            return a.index < b.index
        case .doneIsFinal:
            if (a.value == "done") != (b.value == "done") { return a.value != "done" }
            return a.index < b.index
        }
    }

    static func winner(_ frontier: [Write], _ rule: Rule) -> Write {
        frontier.max { loses($0, to: $1, rule) }!
    }
}

/// An incident's entries can't be made into an incident.
public enum ProjectionError: Error, Hashable, Sendable {
    /// No entry opens the incident (its first file is missing).
    case noCreation
}

extension Incident {
    /// The incident its entries describe. `entries` may come in any order and hold duplicates (the
    /// same entry in two files); the result depends only on the set of entries.
    public init(uid: String, projecting entries: [TimelineEntry]) throws(ProjectionError) {
        self.init(
            id: IncidentID(number: 1)!, uid: uid, title: "", severity: "", phase: .detect,
            createdAt: .distantPast, detectedAt: .distantPast)
        for entry in EntryOrder.sorted(entries) { apply(entry) }
        guard projection.created else { throw .noCreation }
    }

    /// Records a change: the one way an incident's state changes. The entry follows every entry
    /// known here, so it wins over all of them; its hash chains it to this replica's last entry.
    @discardableResult
    mutating func record(
        _ kind: EntryKind, _ text: String, at: Date? = nil, data: [String: String] = [:],
        references: [String: String] = [:], context: EditContext
    ) -> TimelineEntry {
        let end = projection.chainEnds[writer]
        var entryData = data.mapValues(context.clean)
        // Hashes of other entries are references, never secrets: kept as they are.
        for (key, value) in references { entryData[key] = value }
        var entry = TimelineEntry(
            seq: timeline.count + 1, at: at.map(Timestamp.wholeSeconds) ?? context.now,
            recordedAt: context.now, author: context.author, kind: kind,
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
            for key in ["ref", "entry"] {
                if let old = entry.data[key], let new = renamed[old] { entry.data[key] = new }
            }
            let old = entry.hash
            entry.hash = entry.expectedHash(incident: uid)
            renamed[old] = entry.hash
            entries.append(entry)
        }
        let id = self.id
        if let projected = try? Incident(uid: uid, projecting: entries) { self = projected }
        self.id = id
        writer = replica
    }

    // MARK: Applying one entry

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
        // Format-1 entries are history: the state they led to comes in with the `migrated` entry.
        guard !entry.isLegacy else { return }
        switch entry.kind {
        case .migrated: applyMigrated(entry)
        case .phase: applyPhase(entry, index)
        case .severity:
            if let to = entry.data["to"] { writeSeverity(to, rank: entry.data["rank"], index) }
        case .role:
            if let role = entry.data["role"].flatMap(Role.init(rawValue:)) {
                roles[role] =
                    write("role \(role.rawValue)", .init(index: index, value: entry.data["to"]))
                    .value
            }
        case .edit: applyEdit(entry, index)
        case .actionItem: applyActionItem(entry, index)
        case .runbook: applyRunbook(entry, index)
        default: break
        }
        applyDisposition(entry, index)
    }

    /// Records that the entry at `write.index` sets `field`, and returns the write that holds it:
    /// the writes it had seen drop out; of what remains (writes made at the same time on other
    /// clones) `rule` picks one.
    @discardableResult
    mutating func write(
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

    private mutating func writeSeverity(_ name: String, rank rankText: String?, _ index: Int) {
        let rank = rankText.flatMap(Int.init) ?? Int.max / 2
        let kept = write("severity", .init(index: index, value: name, rank: rank), .severity)
        severity = kept.value ?? severity
    }

    private mutating func applyPhase(_ entry: TimelineEntry, _ index: Int) {
        if entry.data["claim"] != nil {
            applyCreation(entry, index)
            return
        }
        guard let target = entry.data["to"].flatMap(Phase.init(rawValue:)) else { return }
        let from = entry.data["from"].flatMap(Phase.init(rawValue:)) ?? phase
        let kept = write(
            "phase", .init(index: index, value: target.rawValue, regresses: target < from), .phase)
        phase = kept.value.flatMap(Phase.init(rawValue:)) ?? phase
        if target == .declare, let severity = entry.data["severity"] {
            writeSeverity(severity, rank: entry.data["rank"], index)
        }
    }

    private mutating func applyCreation(_ entry: TimelineEntry, _ index: Int) {
        // A second creation entry (only a hand-edited file has one) changes nothing.
        guard !projection.created else { return }
        projection.created = true
        let data = entry.data
        if let claim = data["claim"].flatMap(IncidentID.init) { id = claim }
        projection.claimedAt = entry.recordedAt
        projection.claimHash = entry.hash
        title = data["title"] ?? ""
        if let name = data["severity"] { writeSeverity(name, rank: data["rank"], index) }
        phase = .detect
        write("phase", .init(index: index, value: Phase.detect.rawValue), .phase)
        services = Self.list(data["services"])
        tags = Self.list(data["tags"])
        for name in services {
            projection.additions["services\u{1F}" + name, default: []].append(index)
        }
        for name in tags { projection.additions["tags\u{1F}" + name, default: []].append(index) }
        for role in Role.allCases { roles[role] = data[role.rawValue] }
        startedAt = data["started"].flatMap(Timestamp.parse)
        detectedAt = entry.at
        createdAt = entry.recordedAt
        if let summary = data["summary"] { narrative.summary = summary }
    }

    private mutating func applyMigrated(_ entry: TimelineEntry) {
        guard let text = entry.data["state"],
            let old = try? JSONCoding.decoder().decode(Incident.self, from: Data(text.utf8))
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
        let index = timeline.count - 1
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

    private mutating func applyEdit(_ entry: TimelineEntry, _ index: Int) {
        let data = entry.data
        guard let field = data["field"] else { return }
        switch field {
        case "services", "tags":
            var values = field == "services" ? services : tags
            for name in Self.list(data["removed"]) {
                removeElement(field, name, from: &values, index)
            }
            for name in Self.list(data["added"]) {
                if !values.contains(name) { values.append(name) }
                projection.additions[field + "\u{1F}" + name, default: []].append(index)
            }
            if field == "services" { services = values } else { tags = values }
        case "links":
            if let url = data["added"] {
                projection.additions["links\u{1F}" + url, default: []].append(index)
                if !links.contains(where: { $0.url == url }) {
                    links.append(Link(label: data["label"] ?? url, url: url))
                }
            } else if let url = data["removed"] {
                var urls = links.map(\.url)
                removeElement("links", url, from: &urls, index)
                links.removeAll { !urls.contains($0.url) }
            }
        case "title":
            if let to = data["to"] {
                title = write("the title", .init(index: index, value: to)).value ?? title
            }
        case "started":
            startedAt = write("the start", .init(index: index, value: data["to"])).value.flatMap(
                Timestamp.parse)
        case "detected":
            if let to = data["to"], Timestamp.parse(to) != nil {
                detectedAt =
                    write("the detection time", .init(index: index, value: to)).value.flatMap(
                        Timestamp.parse) ?? detectedAt
            }
        case "id":
            if let to = data["to"].flatMap(IncidentID.init), to != id {
                if !aliases.contains(id) { aliases.append(id) }
                aliases.removeAll { $0 == to }
                id = to
                projection.claimedAt = entry.recordedAt
                projection.claimHash = entry.hash
            }
        default:
            if let narrativeField = NarrativeField.allCases.first(where: { $0.argument == field }) {
                let value = data["change"] == "cleared" ? nil : data["value"]
                guard data["change"] == "cleared" || value != nil else { return }
                narrative[narrativeField] =
                    write(
                        "the " + narrativeField.title.lowercased(),
                        .init(index: index, value: value)
                    ).value
            }
        }
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

    private mutating func applyActionItem(_ entry: TimelineEntry, _ index: Int) {
        let data = entry.data
        if data["change"] == "added" {
            var item = ActionItem(id: "", text: data["text"] ?? entry.text, createdAt: entry.at)
            item.key = entry.hash
            item.owner = data["owner"]
            item.due = data["due"].flatMap(Timestamp.parse)
            item.type = data["type"].flatMap(ActionItem.ItemType.init(rawValue:))
            item.priority = data["priority"]
            actionItems.append(item)
            let claim = Self.itemNumber(data["item"]) ?? 0
            projection.itemClaims[item.key] = .init(number: claim, index: index)
            projection.entryItems[entry.hash] = item.key
            numberActionItems()
            return
        }
        guard let key = itemKey(ref: data["ref"], item: data["item"]),
            let i = actionItems.firstIndex(where: { $0.key == key })
        else { return }
        projection.entryItems[entry.hash] = key
        switch data["change"] {
        case "renumbered":
            // The later renumbering in the order decides (one that saw another comes after it).
            guard let to = Self.itemNumber(data["to"]) else { return }
            var aliases = projection.itemAliases[key, default: []]
            if let old = projection.itemClaims[key]?.number { aliases.insert(old) }
            if let from = Self.itemNumber(data["from"]) { aliases.insert(from) }
            projection.itemAliases[key] = aliases
            projection.itemClaims[key] = .init(number: to, index: index)
            numberActionItems()
        case "done", "reopened":
            let value = data["change"] == "done" ? "done" : "open"
            let kept = write(Self.itemField(key), .init(index: index, value: value))
            actionItems[i].status = kept.value == "done" ? .done : .open
            actionItems[i].doneAt = kept.value == "done" ? timeline[kept.index].at : nil
            if let note = data["note"] { actionItems[i].note = note }
        case "edited":
            if let text = data["text"] { actionItems[i].text = text }
            if let owner = data["owner"] { actionItems[i].owner = owner.isEmpty ? nil : owner }
            if let due = data["due"] {
                actionItems[i].due = due.isEmpty ? nil : Timestamp.parse(due)
            }
            if let type = data["type"].flatMap(ActionItem.ItemType.init(rawValue:)) {
                actionItems[i].type = type
            }
            if let priority = data["priority"] { actionItems[i].priority = priority }
        default: break
        }
    }

    /// The item an entry is about: its `ref` (the item's key), else the number it named, as the
    /// items were numbered when it was applied (entries written before items had keys).
    func itemKey(ref: String?, item: String?) -> String? {
        if let ref, projection.itemClaims[ref] != nil { return ref }
        return item.flatMap { id in actionItems.first { $0.id == id }?.key }
    }

    /// `A12` → 12; nil for anything else.
    static func itemNumber(_ text: String?) -> Int? {
        guard let text, text.first == "A", let number = Int(text.dropFirst()), number > 0 else {
            return nil
        }
        return number
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

    private mutating func applyRunbook(_ entry: TimelineEntry, _ index: Int) {
        let data = entry.data
        if let checklist = data["checklist"] {
            guard
                let steps = try? JSONCoding.decoder().decode(
                    [Checklist.Step].self, from: Data(checklist.utf8)),
                let name = data["runbook"]
            else { return }
            write("the runbook", .init(index: index, value: name))
            runbook = Checklist(
                name: name, title: data["title"] ?? name, source: data["source"] ?? "",
                attachedAt: entry.at, steps: steps)
            return
        }
        guard let number = data["step"].flatMap(Int.init),
            let status = data["status"].flatMap(Checklist.Step.Status.init(rawValue:)),
            var checklist = runbook, checklist.name == data["runbook"],
            let i = checklist.steps.firstIndex(where: { $0.number == number })
        else { return }
        let field = "step \(number)"
        let kept = write(field, .init(index: index, value: status.rawValue), .doneIsFinal)
        guard kept.index == index else { return }
        checklist.steps[i].status = status
        checklist.steps[i].at = entry.at
        checklist.steps[i].by = entry.author
        checklist.steps[i].note = data["note"]
        runbook = checklist
    }

    // MARK: Lists in entry data

    /// A list as entries store it: a JSON array of strings (or, in older entries, comma-separated).
    static func list(_ text: String?) -> [String] {
        guard let text, !text.isEmpty else { return [] }
        if text.hasPrefix("["), case .array(let items)? = try? JSONParser.parse(Array(text.utf8)) {
            return items.compactMap { if case .string(let s) = $0 { s } else { nil } }
        }
        return text.split(separator: ",").map(String.init)
    }

    static func listText(_ values: [String]) -> String {
        JSONWriter.compact(.array(values.map(JSONValue.string)))
    }

    /// The position and key by which concurrent claims of one number are settled.
    public var claimOrder: (at: Date, hash: String) { (projection.claimedAt, projection.claimHash) }
}
