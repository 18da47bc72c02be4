import Foundation

extension Incident {
    /// Records a status update as it was sent: a `comms` entry whose data holds the state, the
    /// audience, the format, the promised next update and the text.
    @discardableResult
    public mutating func recordUpdate(
        _ update: StatusUpdate, text: String, at: Date? = nil, context: EditContext
    ) throws -> TimelineEntry {
        guard phase != .closed else { throw LifecycleError.closed(id) }
        var data = [
            "state": update.state.rawValue, "audience": update.audience.rawValue,
            "format": update.format.rawValue,
            "update": text,
        ]
        var line = "Status update (\(update.state.rawValue), \(update.audience.rawValue))"
        if let message = update.message?.trimmingCharacters(in: .whitespacesAndNewlines),
            !message.isEmpty
        {
            line += ": " + message
        }
        if let next = update.next.map(Timestamp.wholeSeconds) {
            data["next"] = Timestamp.format(next)
            line += " · next update by \(Timestamp.format(next))"
        }
        return append(.comms, line, at: at, data: data, context: context)
    }

    /// The latest status update that stands (a `comms` entry not struck), by when it happened.
    public var latestStatusUpdate: TimelineEntry? {
        let struck = strikes
        var latest: TimelineEntry?
        for entry in timeline where entry.kind == .comms && struck[entry.hash] == nil {
            if latest.map({ entry.at >= $0.at }) ?? true { latest = entry }
        }
        return latest
    }

    /// When the next status update was promised, by the latest update; nil when none was.
    public var nextUpdateDue: Date? {
        latestStatusUpdate?.data["next"].flatMap(Timestamp.parse)
    }

    /// True while the incident is open and the promised next update is late.
    public func isUpdateOverdue(at now: Date) -> Bool {
        guard isOpen, let due = nextUpdateDue else { return false }
        return now > due
    }
}
