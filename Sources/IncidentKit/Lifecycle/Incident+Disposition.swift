import Foundation

/// Incidents `stats` leaves out unless asked to count them: none was a real incident of its own.
public enum SetAside: String, CaseIterable, Hashable, Sendable {
    case falseAlarms = "false-alarms"
    case duplicates
    case drills

    /// `false-alarms,duplicates`, `drill`, `all`: a comma-separated list, singular or plural.
    public static func parse(_ text: String) throws(ValueError) -> Set<SetAside> {
        var result = Set<SetAside>()
        for word in text.lowercased().split(separator: ",") {
            let name = word.trimmingCharacters(in: .whitespaces)
            if name == "all" {
                result.formUnion(allCases)
            } else if let kind = allCases.first(where: {
                $0.rawValue == name || $0.rawValue == name + "s"
            }) {
                result.insert(kind)
            } else {
                throw .invalidValue(
                    option: "--include", value: name,
                    expected: "false-alarms, duplicates, drills or all (comma-separated)")
            }
        }
        return result
    }

    /// The kind of set-aside incident a summary is, if any; a drill closed as a false alarm is a
    /// drill.
    public static func kind(of summary: IncidentSummary) -> SetAside? {
        if summary.isDrill { return .drills }
        switch summary.closedAs {
        case .falseAlarm: return .falseAlarms
        case .duplicate: return .duplicates
        case nil: return nil
        }
    }
}

extension Incident {
    /// Closes the incident from any phase as a false alarm.
    public mutating func closeAsFalseAlarm(
        at: Date? = nil, message: String? = nil, context: EditContext
    ) throws(LifecycleError) {
        try closeSetAside(
            "Closed as a false alarm", .falseAlarm, originalID: nil, at: at, message: message,
            context: context)
    }

    /// Closes the incident from any phase as a duplicate of `original`, which stays as it is.
    public mutating func closeAsDuplicate(
        of original: Incident, at: Date? = nil, message: String? = nil, context: EditContext
    ) throws(LifecycleError) {
        guard original.uid != uid else { throw .duplicateOfItself(id) }
        try closeSetAside(
            "Closed as a duplicate of \(original.id)", .duplicate(of: original.uid),
            originalID: original.id, at: at, message: message, context: context)
    }

    private mutating func closeSetAside(
        _ text: String, _ closedAs: ClosedAs, originalID: IncidentID?, at: Date?,
        message: String?, context: EditContext
    ) throws(LifecycleError) {
        guard phase != .closed else { throw .closed(id) }
        try checkPhaseTime(at)
        var text = text + " (from \(phase))"
        if let message = message?.trimmingCharacters(in: .whitespacesAndNewlines), !message.isEmpty
        {
            text += ": \(message)"
        }
        let move = IncidentChange.PhaseMove(
            from: phase, to: .closed, forced: phase != .review, closedAs: closedAs,
            duplicateOfID: originalID)
        record(.phase(move), text, at: at, context: context)
    }

    /// Marks an incident opened as a real one as a drill (`declare INC-7 --drill`).
    public mutating func markDrill(at: Date? = nil, context: EditContext) throws(LifecycleError) {
        guard phase != .closed else { throw .closed(id) }
        guard !isDrill else { throw .alreadyDrill(id) }
        record(.drill(true), "Marked as a drill", at: at, context: context)
    }

    /// The number the original had when this incident was closed as its duplicate, for pages
    /// that can't look it up.
    public var duplicateOfID: IncidentID? {
        guard let uid = closedAs?.original else { return nil }
        for entry in timeline.reversed() {
            if case .phase(let move) = entry.change, move.closedAs?.original == uid {
                return move.duplicateOfID
            }
        }
        return nil
    }
}
