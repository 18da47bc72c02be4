import Foundation

/// What `action add` and `action edit` set. A nil field is left as it is (for edit) or unset (for
/// add).
public struct ActionItemChange: Sendable {
    public var text: String?
    /// `""` clears the owner on edit.
    public var owner: String?
    public var due: Date??
    public var type: ActionItem.ItemType?
    public var priority: String?

    public init(
        text: String? = nil, owner: String? = nil, due: Date?? = nil,
        type: ActionItem.ItemType? = nil, priority: String? = nil
    ) {
        self.text = text
        self.owner = owner
        self.due = due
        self.type = type
        self.priority = priority
    }
}

/// An action item change that can't be made.
public enum ActionItemError: DescribedError, Hashable, Sendable {
    case invalidID(String)
    case notFound(IncidentID, String, known: [String])
    case alreadyDone(IncidentID, String)
    case notDone(IncidentID, String)
    case nothingToChange(IncidentID, String)
    /// The number is no item's now, and more than one item showed it before a renumbering.
    case renumbered(IncidentID, String, now: [String])

    public var isUsageError: Bool {
        if case .invalidID = self { return true }
        return false
    }

    public var message: String {
        switch self {
        case .invalidID(let text):
            "invalid action item id '\(text)'; use A<number>, e.g. A2 (see 'irctl show INCIDENT')"
        case .notFound(let id, let item, let known):
            "\(id) has no action item \(item)"
                + (known.isEmpty
                    ? "; it has none yet: add one with 'irctl action add \(id) TEXT'"
                    : "; it has \(known.joined(separator: ", "))")
        case .alreadyDone(let id, let item):
            "\(item) of \(id) is already done; reopen it with 'irctl action reopen \(id) \(item)'"
        case .notDone(let id, let item):
            "\(item) of \(id) is still open; nothing to reopen"
        case .nothingToChange(let id, let item):
            "nothing to change on \(item) of \(id); give --text, --owner, --due, --type or "
                + "--priority with a new value"
        case .renumbered(let id, let item, let now):
            "\(item) of \(id) was renumbered and more than one item had it: they are now "
                + now.joined(separator: ", ") + "; give the current number (see 'irctl show \(id)')"
        }
    }
}

extension ActionItem {
    /// `A2`, `a2` or `2` → `A2`.
    public static func parseID(_ text: String) throws(ActionItemError) -> String {
        var digits = Substring(text.trimmingCharacters(in: .whitespaces))
        if digits.first == "A" || digits.first == "a" { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.count <= 9, digits.first != "0",
            digits.allSatisfy({ $0.isASCII && $0.isNumber })
        else {
            throw .invalidID(text)
        }
        return "A" + digits
    }
}

extension Incident {
    // Stored texts of action-item entries leave the item's number out: numbers two clones gave at
    // once are settled later, and a hash-chained text can't be corrected. `shownText(of:)` puts
    // in the number the item shows.

    /// Adds a follow-up. Allowed on closed incidents: follow-ups outlive the incident.
    @discardableResult
    public mutating func addActionItem(
        _ change: ActionItemChange, at: Date? = nil, context: EditContext
    ) throws -> ActionItem {
        guard let text = try Self.cleanedText(change.text, what: "action item", context: context)
        else {
            throw ValueError.empty(what: "the action item")
        }
        var added = IncidentChange.ActionItemAdded(claim: nextActionItemNumber, text: text)
        var details: [String] = []
        if let owner = change.owner.map({
            context.clean($0.trimmingCharacters(in: .whitespacesAndNewlines))
        }), !owner.isEmpty {
            added.owner = owner
            details.append("owner \(owner)")
        }
        if let due = (change.due ?? nil).map(Timestamp.wholeSeconds) {
            added.due = due
            details.append("due \(Timestamp.format(due))")
        }
        if let type = change.type {
            added.type = type
            details.append(type.rawValue)
        }
        if let priority = change.priority {
            added.priority = priority
            details.append(priority)
        }
        let listed = details.isEmpty ? "" : " (" + details.joined(separator: ", ") + ")"
        record(.actionItemAdded(added), "Action item: \(text)" + listed, at: at, context: context)
        return actionItems.last!
    }

    /// Marks an open action item done; returns it (its number now, if `itemID` was an old one).
    @discardableResult
    public mutating func completeActionItem(
        _ itemID: String, note: String? = nil, at: Date? = nil,
        context: EditContext
    ) throws -> ActionItem {
        let index = try actionItemIndex(itemID)
        let item = actionItems[index]
        guard item.status == .open else { throw ActionItemError.alreadyDone(id, item.id) }
        let note = try note.flatMap { try Self.cleanedText($0, what: "note", context: context) }
        record(
            .actionItemDone(item.reference, note: note),
            "Action item done" + (note.map { ": \($0)" } ?? ""), at: at, context: context)
        return actionItems[index]
    }

    /// Reopens a done action item (the fix did not hold); returns it.
    @discardableResult
    public mutating func reopenActionItem(
        _ itemID: String, note: String? = nil, at: Date? = nil,
        context: EditContext
    ) throws -> ActionItem {
        let index = try actionItemIndex(itemID)
        let item = actionItems[index]
        guard item.status == .done else { throw ActionItemError.notDone(id, item.id) }
        let note = try note.flatMap { try Self.cleanedText($0, what: "note", context: context) }
        record(
            .actionItemReopened(item.reference, note: note),
            "Action item reopened" + (note.map { ": \($0)" } ?? ""), at: at, context: context)
        return actionItems[index]
    }

    /// Changes an action item's text, owner, due date, type or priority; one entry listing what
    /// changed. Returns the item.
    @discardableResult
    public mutating func editActionItem(
        _ itemID: String, _ change: ActionItemChange,
        at: Date? = nil,
        context: EditContext
    ) throws -> ActionItem {
        let index = try actionItemIndex(itemID)
        let item = actionItems[index]
        var edit = IncidentChange.ActionItemEdit()
        var details: [String] = []
        if let text = try Self.cleanedText(change.text, what: "action item", context: context),
            text != item.text
        {
            edit.text = text
            details.append("text: \(text)")
        }
        if let owner = change.owner.map({
            context.clean($0.trimmingCharacters(in: .whitespacesAndNewlines))
        }) {
            let new: String? = owner.isEmpty ? nil : owner
            if new != item.owner {
                edit.owner = .some(new)
                details.append("owner " + (new ?? "none"))
            }
        }
        if let due = change.due {
            let new = due.map(Timestamp.wholeSeconds)
            if new != item.due {
                edit.due = .some(new)
                details.append("due " + (new.map(Timestamp.format) ?? "none"))
            }
        }
        if let type = change.type, type != item.type {
            edit.type = type
            details.append("type \(type.rawValue)")
        }
        if let priority = change.priority, priority != item.priority {
            edit.priority = priority
            details.append("priority \(priority)")
        }
        guard !details.isEmpty else { throw ActionItemError.nothingToChange(id, item.id) }
        record(
            .actionItemEdited(item.reference, edit),
            "Action item: " + details.joined(separator: ", "), at: at, context: context)
        return actionItems[index]
    }

    /// The item `itemID` names: the one showing that number, else the one item that showed it
    /// before a renumbering.
    private func actionItemIndex(_ itemID: String) throws(ActionItemError) -> Int {
        if let index = actionItems.firstIndex(where: { $0.id == itemID }) { return index }
        let former = actionItems.indices.filter { actionItems[$0].aliases.contains(itemID) }
        if former.count == 1 { return former[0] }
        if former.count > 1 {
            throw .renumbered(id, itemID, now: former.map { actionItems[$0].id })
        }
        throw .notFound(id, itemID, known: actionItems.map(\.id))
    }

    /// A number no item shows, claims or showed before.
    private var nextActionItemNumber: Int {
        let used =
            actionItems.map(\.number) + projection.itemClaims.values.map(\.number)
            + projection.itemAliases.values.flatMap { $0 }
        return (used.max() ?? 0) + 1
    }

    // MARK: Settling numbers

    /// One item to give another number.
    public struct ActionItemMove: Hashable, Sendable {
        /// The item's key (the hash of the entry that added it).
        public var key: String
        public var from: String
        public var to: String
    }

    /// What settles the numbers of items added at once on several clones: an item whose number
    /// reached the shared remote (`published`: item key → the number the remote shows) keeps it;
    /// in the order of their claims, every other item keeps its claim unless taken, and otherwise
    /// gets the lowest number no item has, claims or showed before. Empty when nothing collides.
    public func actionItemSettlement(published: [String: Int]) -> [ActionItemMove] {
        guard hasProvisionalActionItems else { return [] }
        let claims = actionItems.map { projection.itemClaims[$0.key] ?? .unclaimed }
        let order = actionItems.indices.sorted { (claims[$0].index, $0) < (claims[$1].index, $1) }
        var settled = [Int](repeating: 0, count: actionItems.count)
        var used = Set<Int>()
        for i in actionItems.indices {
            if let number = published[actionItems[i].key], used.insert(number).inserted {
                settled[i] = number
            }
        }
        for i in order where settled[i] == 0 && claims[i].number > 0 {
            if used.insert(claims[i].number).inserted { settled[i] = claims[i].number }
        }
        used.formUnion(claims.map(\.number))
        used.formUnion(published.values)
        used.formUnion(projection.itemAliases.values.joined())
        var next = 1
        for i in order where settled[i] == 0 {
            while used.contains(next) { next += 1 }
            settled[i] = next
            used.insert(next)
        }
        return order.compactMap { i in
            let item = actionItems[i]
            return settled[i] == claims[i].number
                ? nil
                : ActionItemMove(key: item.key, from: item.id, to: "A\(settled[i])")
        }
    }

    /// Records that an item takes another number; the number it showed still finds it where no
    /// other item has it.
    public mutating func renumberActionItem(_ move: ActionItemMove, context: EditContext) {
        guard let to = IncidentChange.itemNumber(move.to) else { return }
        record(
            .actionItemRenumbered(.init(key: move.key), from: move.from, to: to),
            "Action item renumbered: " + Self.itemRenumberingReason, context: context)
    }

    static let itemRenumberingReason = "another item added at the same time holds its number"
}

extension ActionItem {
    /// How an entry about this item names it: by its key, and by the number it shows now.
    var reference: IncidentChange.ActionItemRef { .init(key: key, number: id) }
}
