import Foundation

/// What `action add` and `action edit` set. A nil field is left as it is (for edit) or unset (for add).
public struct ActionItemChange: Sendable {
    public var text: String?
    /// `""` clears the owner on edit.
    public var owner: String?
    public var due: Date??
    public var type: ActionItem.ItemType?
    public var priority: String?

    public init(text: String? = nil, owner: String? = nil, due: Date?? = nil, type: ActionItem.ItemType? = nil, priority: String? = nil) {
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

    public var isUsageError: Bool {
        if case .invalidID = self { return true }
        return false
    }

    public var message: String {
        switch self {
        case .invalidID(let text):
            "invalid action item id '\(text)'; use A<number>, e.g. A2 (see 'irctl show INCIDENT')"
        case .notFound(let id, let item, let known):
            "\(id) has no action item \(item)" + (known.isEmpty ? "; it has none yet: add one with 'irctl action add \(id) TEXT'"
                                                  : "; it has \(known.joined(separator: ", "))")
        case .alreadyDone(let id, let item):
            "\(item) of \(id) is already done; reopen it with 'irctl action reopen \(id) \(item)'"
        case .notDone(let id, let item):
            "\(item) of \(id) is still open; nothing to reopen"
        case .nothingToChange(let id, let item):
            "nothing to change on \(item) of \(id); give --text, --owner, --due, --type or --priority with a new value"
        }
    }
}

extension ActionItem {
    /// `A2`, `a2` or `2` → `A2`.
    public static func parseID(_ text: String) throws(ActionItemError) -> String {
        var digits = Substring(text.trimmingCharacters(in: .whitespaces))
        if digits.first == "A" || digits.first == "a" { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.count <= 9, digits.first != "0", digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw .invalidID(text)
        }
        return "A" + digits
    }
}

extension Incident {
    /// Adds a follow-up. Allowed on closed incidents: follow-ups outlive the incident.
    @discardableResult
    public mutating func addActionItem(_ change: ActionItemChange, at: Date? = nil, context: EditContext) throws -> ActionItem {
        guard let text = try Self.cleanedText(change.text, what: "action item", context: context) else {
            throw ValueError.empty(what: "the action item")
        }
        let number = (actionItems.map(\.number).max() ?? 0) + 1
        let itemID = "A\(number)"
        var data = ["item": itemID, "change": "added", "text": text]
        var details: [String] = []
        if let owner = change.owner.map({ context.clean($0.trimmingCharacters(in: .whitespacesAndNewlines)) }), !owner.isEmpty {
            data["owner"] = owner
            details.append("owner \(owner)")
        }
        if let due = (change.due ?? nil).map(Timestamp.wholeSeconds) {
            data["due"] = Timestamp.format(due)
            details.append("due \(Timestamp.format(due))")
        }
        if let type = change.type { data["type"] = type.rawValue; details.append(type.rawValue) }
        if let priority = change.priority { data["priority"] = priority; details.append(priority) }
        record(.actionItem, "Action item \(itemID): \(text)" + (details.isEmpty ? "" : " (" + details.joined(separator: ", ") + ")"),
               at: at, data: data, context: context)
        return actionItems.last!
    }

    /// Marks an open action item done.
    public mutating func completeActionItem(_ itemID: String, note: String? = nil, at: Date? = nil, context: EditContext) throws {
        let index = try actionItemIndex(itemID)
        guard actionItems[index].status == .open else { throw ActionItemError.alreadyDone(id, itemID) }
        let note = try note.flatMap { try Self.cleanedText($0, what: "note", context: context) }
        var data = ["item": itemID, "change": "done"]
        if let note { data["note"] = note }
        record(.actionItem, "Action item \(itemID) done" + (note.map { ": \($0)" } ?? ""), at: at, data: data,
               references: itemReference(itemID), context: context)
    }

    /// Reopens a done action item (the fix did not hold).
    public mutating func reopenActionItem(_ itemID: String, note: String? = nil, at: Date? = nil, context: EditContext) throws {
        let index = try actionItemIndex(itemID)
        guard actionItems[index].status == .done else { throw ActionItemError.notDone(id, itemID) }
        let note = try note.flatMap { try Self.cleanedText($0, what: "note", context: context) }
        var data = ["item": itemID, "change": "reopened"]
        if let note { data["note"] = note }
        record(.actionItem, "Action item \(itemID) reopened" + (note.map { ": \($0)" } ?? ""), at: at, data: data,
               references: itemReference(itemID), context: context)
    }

    /// Changes an action item's text, owner, due date, type or priority; one entry listing what changed.
    public mutating func editActionItem(_ itemID: String, _ change: ActionItemChange, at: Date? = nil, context: EditContext) throws {
        let index = try actionItemIndex(itemID)
        let item = actionItems[index]
        var data = ["item": itemID, "change": "edited"]
        var details: [String] = []
        if let text = try Self.cleanedText(change.text, what: "action item", context: context), text != item.text {
            data["text"] = text
            details.append("text: \(text)")
        }
        if let owner = change.owner.map({ context.clean($0.trimmingCharacters(in: .whitespacesAndNewlines)) }) {
            let new: String? = owner.isEmpty ? nil : owner
            if new != item.owner {
                data["owner"] = owner
                details.append("owner " + (new ?? "none"))
            }
        }
        if let due = change.due {
            let new = due.map(Timestamp.wholeSeconds)
            if new != item.due {
                data["due"] = new.map(Timestamp.format) ?? ""
                details.append("due " + (new.map(Timestamp.format) ?? "none"))
            }
        }
        if let type = change.type, type != item.type {
            data["type"] = type.rawValue
            details.append("type \(type.rawValue)")
        }
        if let priority = change.priority, priority != item.priority {
            data["priority"] = priority
            details.append("priority \(priority)")
        }
        guard !details.isEmpty else { throw ActionItemError.nothingToChange(id, itemID) }
        record(.actionItem, "Action item \(itemID): " + details.joined(separator: ", "), at: at, data: data,
               references: itemReference(itemID), context: context)
    }

    /// The entry that added the item, which names it on every clone whatever number it shows.
    private func itemReference(_ itemID: String) -> [String: String] {
        guard let ref = projection.itemsByRef.first(where: { $0.value == itemID })?.key else { return [:] }
        return ["ref": ref]
    }

    private func actionItemIndex(_ itemID: String) throws(ActionItemError) -> Int {
        guard let index = actionItems.firstIndex(where: { $0.id == itemID }) else {
            throw .notFound(id, itemID, known: actionItems.map(\.id))
        }
        return index
    }
}
