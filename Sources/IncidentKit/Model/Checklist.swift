import Foundation

/// A runbook attached to an incident: its steps, each pending, done or skipped.
public struct Checklist: Hashable, Sendable {
    public struct Step: Hashable, Sendable {
        public enum Status: String, Codable, Sendable { case pending, done, skipped }
        public var number: Int
        public var text: String
        public var command: String?
        public var status: Status
        public var at: Date?
        public var by: String?
        public var note: String?
        /// Fields written by a newer irctl, kept through rewrites.
        var unknownFields: [String: JSONValue] = [:]

        public init(
            number: Int, text: String, command: String? = nil, status: Status = .pending,
            at: Date? = nil, by: String? = nil, note: String? = nil
        ) {
            self.number = number
            self.text = text
            self.command = command
            self.status = status
            self.at = at
            self.by = by
            self.note = note
        }
    }

    /// The runbook's name (its file name without `.md`).
    public var name: String
    public var title: String
    /// Where the runbook came from: a path, or `built-in`.
    public var source: String
    public var attachedAt: Date
    public var steps: [Step]
    /// Fields written by a newer irctl, kept through rewrites.
    var unknownFields: [String: JSONValue] = [:]

    public init(name: String, title: String, source: String, attachedAt: Date, steps: [Step]) {
        self.name = name
        self.title = title
        self.source = source
        self.attachedAt = attachedAt
        self.steps = steps
    }

    public var finished: Int { steps.filter { $0.status != .pending }.count }

    /// The first step still pending, in order.
    public var nextStep: Step? { steps.first { $0.status == .pending } }
}
