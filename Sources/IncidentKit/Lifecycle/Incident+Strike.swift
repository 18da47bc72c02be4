import Foundation

extension EntryKind {
    /// Marks an earlier entry as a mistake; the entry stays in the chain.
    public static let strike = EntryKind(rawValue: "strike")

    /// Kinds that record what happened, and so can be struck. Entries that changed the incident
    /// (phase, severity, roles, edits, action items, runbook steps) are corrected with the command
    /// that changes it back, since striking them would leave the change in place.
    public static let strikable: [EntryKind] = [.note, .action, .decision, .comms, .alert, .command]
}

/// A strike that can't be made.
public enum StrikeError: DescribedError, Hashable, Sendable {
    case noSuchEntry(IncidentID, Int, count: Int)
    case notStrikable(IncidentID, Int, kind: String)
    case alreadyStruck(IncidentID, Int)
    case noReason

    public var isUsageError: Bool { self == .noReason }

    public var message: String {
        switch self {
        case .noSuchEntry(let id, let number, let count):
            "\(id) has no entry #\(number); its entries are #1 to #\(count) ('irctl show \(id)' numbers them)"
        case .notStrikable(let id, let number, let kind):
            "entry #\(number) of \(id) is a \(kind) change, which striking would not undo; make the change back with its own command (phase, severity, assign, set, action …)"
        case .alreadyStruck(let id, let number):
            "entry #\(number) of \(id) is already struck"
        case .noReason:
            "striking an entry needs --reason TEXT (what was wrong with it)"
        }
    }
}

extension Incident {
    /// The struck entries: each struck entry's hash → the `strike` entry that struck it. Computed
    /// from the timeline, so a clone with the same entries agrees.
    public var strikes: [String: TimelineEntry] {
        var result: [String: TimelineEntry] = [:]
        for entry in timeline where entry.kind == .strike {
            if let hash = entry.data["entry"], result[hash] == nil { result[hash] = entry }
        }
        return result
    }

    /// Whether `entry` has been struck.
    public func isStruck(_ entry: TimelineEntry) -> Bool {
        !entry.hash.isEmpty && timeline.contains { $0.kind == .strike && $0.data["entry"] == entry.hash }
    }

    /// Marks entry number `seq` (as `show` numbers it) struck: shown struck in `show`, left out of
    /// the postmortem, kept in the hash chain. Allowed on closed incidents: records get corrected.
    @discardableResult
    public mutating func strike(seq: Int, reason: String, at: Date? = nil, context: EditContext) throws -> TimelineEntry {
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw StrikeError.noReason }
        guard let target = timeline.first(where: { $0.seq == seq }) else {
            throw StrikeError.noSuchEntry(id, seq, count: timeline.count)
        }
        guard EntryKind.strikable.contains(target.kind) else {
            throw StrikeError.notStrikable(id, seq, kind: target.kind.rawValue)
        }
        guard strikes[target.hash] == nil else { throw StrikeError.alreadyStruck(id, seq) }
        let text = "Struck #\(seq) (\(target.kind.rawValue) by \(target.author), \(Timestamp.format(target.at))): \(reason)"
        return append(.strike, text, at: at, data: ["entry": target.hash, "seq": String(seq), "reason": reason], context: context)
    }
}
