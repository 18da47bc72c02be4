import Foundation

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
            "\(id) has no entry #\(number); its entries are #1 to #\(count) ('irctl show \(id)' "
                + "numbers them)"
        case .notStrikable(let id, let number, let kind):
            "entry #\(number) of \(id) is a \(kind) change, which striking would not undo; make "
                + "the change back with its own command (phase, severity, assign, set, action …)"
        case .alreadyStruck(let id, let number):
            "entry #\(number) of \(id) is already struck"
        case .noReason:
            "striking an entry needs --reason TEXT (what was wrong with it)"
        }
    }
}

extension Incident {
    /// Marks entry number `seq` (as `show` numbers it) struck: shown struck in `show`, left out of
    /// the postmortem, kept in the hash chain. Allowed on closed incidents: records get corrected.
    @discardableResult
    public mutating func strike(
        seq: Int, reason: String, at: Date? = nil, context: EditContext
    ) throws -> TimelineEntry {
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw StrikeError.noReason }
        guard let target = timeline.first(where: { $0.seq == seq }) else {
            throw StrikeError.noSuchEntry(id, seq, count: timeline.count)
        }
        guard EntryKind.strikable.contains(target.kind) else {
            throw StrikeError.notStrikable(id, seq, kind: target.kind.rawValue)
        }
        guard strikes[target.hash] == nil else { throw StrikeError.alreadyStruck(id, seq) }
        let text =
            "Struck #\(seq) (\(target.kind.rawValue) by \(target.author), "
            + "\(Timestamp.format(target.at))): \(reason)"
        return record(
            .strike(target: target.hash, seq: seq, reason: reason), text, at: at,
            context: context)
    }
}
