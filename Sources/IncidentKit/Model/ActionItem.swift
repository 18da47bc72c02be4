import Foundation

/// A follow-up from an incident, tracked to done.
public struct ActionItem: Hashable, Sendable {
    public enum Status: String, Codable, Sendable { case open, done }
    public enum ItemType: String, Codable, CaseIterable, Sendable {
        case mitigate, prevent, process, detect
    }

    /// `A1`, `A2` … per incident: the number every clone with the same entries shows. It is the
    /// item's claim, or, while an item claimed earlier holds that number, the lowest free one
    /// (provisional until `irctl sync` settles it).
    public var id: String
    /// Numbers it showed before a renumbering; each still finds it where no other item has it.
    public var aliases: [String] = []
    public var text: String
    public var owner: String?
    public var due: Date?
    public var type: ItemType?
    /// `P1` … `P3`.
    public var priority: String?
    public var status: Status
    public var createdAt: Date
    public var doneAt: Date?
    public var note: String?
    /// Fields written by a newer irctl, kept through rewrites.
    var unknownFields: [String: JSONValue] = [:]
    /// What names the item whatever number it shows: the hash of the entry that added it (for an
    /// item converted from store format 1, its number there). Not part of the JSON.
    var key = ""

    public init(
        id: String, text: String, owner: String? = nil, due: Date? = nil, type: ItemType? = nil,
        priority: String? = nil, status: Status = .open, createdAt: Date, doneAt: Date? = nil,
        note: String? = nil
    ) {
        self.id = id
        self.text = text
        self.owner = owner
        self.due = due
        self.type = type
        self.priority = priority
        self.status = status
        self.createdAt = createdAt
        self.doneAt = doneAt
        self.note = note
    }

    /// `P1` … `P3`, most urgent first.
    public static let priorities = ["P1", "P2", "P3"]

    /// Accepts `P2`, `p2` or `2`.
    public static func parsePriority(_ text: String) throws(ValueError) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces).uppercased()
        let name = trimmed.hasPrefix("P") ? trimmed : "P" + trimmed
        guard priorities.contains(name) else {
            throw .invalidValue(
                option: "--priority", value: text, expected: "P1, P2 or P3 (P1 most urgent)")
        }
        return name
    }

    public static func parseType(_ text: String) throws(ValueError) -> ItemType {
        guard let type = ItemType(rawValue: text.trimmingCharacters(in: .whitespaces).lowercased())
        else {
            throw .invalidValue(
                option: "--type", value: text,
                expected: ItemType.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return type
    }

    /// The number in the id (`A12` → 12), for ordering and the next id.
    public var number: Int { Int(id.dropFirst()) ?? 0 }

    public func isOverdue(at now: Date) -> Bool {
        guard status == .open, let due else { return false }
        return due < now
    }
}
