import Foundation

/// Why an incident was closed when it was not an incident of its own.
public enum ClosedAs: Hashable, Sendable {
    /// Nothing was wrong after all.
    case falseAlarm
    /// The same problem as another incident, named by its uid (numbers may change in a sync).
    case duplicate(of: String)

    /// `false-alarm` or `duplicate`: the value `--json` shows.
    public var name: String {
        switch self {
        case .falseAlarm: "false-alarm"
        case .duplicate: "duplicate"
        }
    }

    /// The original's uid, for a duplicate.
    public var original: String? {
        if case .duplicate(let uid) = self { uid } else { nil }
    }

    /// One string for the summary index: `false-alarm`, `duplicate:UID`.
    public var stored: String {
        switch self {
        case .falseAlarm: name
        case .duplicate(let uid): "duplicate:" + uid
        }
    }

    public init?(stored: String) {
        if stored == "false-alarm" {
            self = .falseAlarm
        } else if stored.hasPrefix("duplicate:"), stored.count > 10 {
            self = .duplicate(of: String(stored.dropFirst(10)))
        } else {
            return nil
        }
    }

    /// What a listing puts before the title: `[drill] `, `[false alarm] `, `[duplicate] `.
    public static func marker(drill: Bool, closedAs: ClosedAs?) -> String {
        var marks: [String] = []
        if drill { marks.append("drill") }
        switch closedAs {
        case .falseAlarm: marks.append("false alarm")
        case .duplicate: marks.append("duplicate")
        case nil: break
        }
        return marks.isEmpty ? "" : "[" + marks.joined(separator: ", ") + "] "
    }
}

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
            "Closed as a false alarm", data: ["closedAs": ClosedAs.falseAlarm.name], at: at,
            message: message, context: context)
    }

    /// Closes the incident from any phase as a duplicate of `original`, which stays as it is.
    public mutating func closeAsDuplicate(
        of original: Incident, at: Date? = nil, message: String? = nil, context: EditContext
    ) throws(LifecycleError) {
        guard original.uid != uid else { throw .duplicateOfItself(id) }
        try closeSetAside(
            "Closed as a duplicate of \(original.id)",
            data: ["closedAs": "duplicate", "duplicateOfID": original.id.description],
            references: ["duplicateOf": original.uid], at: at, message: message, context: context)
    }

    private mutating func closeSetAside(
        _ text: String, data: [String: String], references: [String: String] = [:], at: Date?,
        message: String?, context: EditContext
    ) throws(LifecycleError) {
        guard phase != .closed else { throw .closed(id) }
        try checkPhaseTime(at)
        var text = text + " (from \(phase))"
        if let message = message?.trimmingCharacters(in: .whitespacesAndNewlines), !message.isEmpty
        {
            text += ": \(message)"
        }
        var data = data
        data["from"] = phase.rawValue
        data["to"] = Phase.closed.rawValue
        if phase != .review { data["forced"] = "true" }
        record(.phase, text, at: at, data: data, references: references, context: context)
    }

    /// Marks an incident opened as a real one as a drill (`declare INC-7 --drill`).
    public mutating func markDrill(at: Date? = nil, context: EditContext) throws(LifecycleError) {
        guard phase != .closed else { throw .closed(id) }
        guard !isDrill else { throw .alreadyDrill(id) }
        record(
            .edit, "Marked as a drill", at: at, data: ["field": "drill", "to": "true"],
            context: context)
    }

    /// The number the original had when this incident was closed as its duplicate, for pages
    /// that can't look it up.
    public var duplicateOfID: IncidentID? {
        guard let uid = closedAs?.original else { return nil }
        return timeline.last { $0.kind == .phase && $0.data["duplicateOf"] == uid }?
            .data["duplicateOfID"].flatMap(IncidentID.init)
    }

    /// The part of applying an entry that decides whether this is a drill and why it was closed:
    /// the creation or an edit marks a drill; a close sets how it was closed, a reopen clears it.
    mutating func applyDisposition(_ entry: TimelineEntry, _ index: Int) {
        guard !entry.isLegacy else { return }
        let data = entry.data
        switch entry.kind {
        case .phase where data["claim"] != nil:
            if data["drill"] == "true" { isDrill = true }
        case .phase
        where data["to"] == Phase.closed.rawValue || data["from"] == Phase.closed.rawValue:
            var value: String?
            if data["to"] == Phase.closed.rawValue {
                value =
                    data["closedAs"] == "duplicate"
                    ? data["duplicateOf"].map { "duplicate:" + $0 } : data["closedAs"]
            }
            closedAs = write("closed as", .init(index: index, value: value)).value.flatMap(
                ClosedAs.init(stored:))
        case .edit where data["field"] == "drill":
            isDrill = data["to"] == "true"
        default:
            break
        }
    }
}
