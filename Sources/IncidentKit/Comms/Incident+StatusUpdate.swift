import Foundation

extension Incident {
    /// Records a status update as it was sent: a `comms` entry whose data holds the state, the
    /// audience, the format, the promised next update and the text.
    @discardableResult
    public mutating func recordUpdate(
        _ update: StatusUpdate, text: String, at: Date? = nil, context: EditContext
    ) throws -> TimelineEntry {
        guard phase != .closed else { throw LifecycleError.closed(id) }
        var line = "Status update (\(update.state.rawValue), \(update.audience.rawValue))"
        if let message = update.message?.trimmingCharacters(in: .whitespacesAndNewlines),
            !message.isEmpty
        {
            line += ": " + message
        }
        let next = update.next.map(Timestamp.wholeSeconds)
        if let next { line += " · next update by \(Timestamp.format(next))" }
        let sent = IncidentChange.SentUpdate(
            state: update.state.rawValue, audience: update.audience.rawValue,
            format: update.format.rawValue, text: text, next: next)
        return append(.comms(sent), line, at: at, context: context)
    }

    /// True while the incident is open and the promised next update is late.
    public func isUpdateOverdue(at now: Date) -> Bool {
        guard isOpen, let due = nextUpdateDue else { return false }
        return now > due
    }
}
