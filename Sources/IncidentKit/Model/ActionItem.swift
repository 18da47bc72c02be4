import Foundation

/// A follow-up from an incident, tracked to done.
public struct ActionItem: Codable, Hashable, Sendable {
    public enum Status: String, Codable, Sendable { case open, done }
    public enum ItemType: String, Codable, CaseIterable, Sendable { case mitigate, prevent, process, detect }

    /// `A1`, `A2` … per incident.
    public var id: String
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

    public init(id: String, text: String, owner: String? = nil, due: Date? = nil, type: ItemType? = nil,
                priority: String? = nil, status: Status = .open, createdAt: Date, doneAt: Date? = nil, note: String? = nil) {
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

    public func isOverdue(at now: Date) -> Bool {
        guard status == .open, let due else { return false }
        return due < now
    }
}
