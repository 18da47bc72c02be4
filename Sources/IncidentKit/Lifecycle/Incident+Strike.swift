import Foundation

extension EntryKind {
    /// Marks an earlier entry as a mistake; the entry stays in the chain.
    public static let strike = EntryKind(rawValue: "strike")

    /// Kinds that record what happened, and so can be struck. Entries that changed the incident
    /// (phase, severity, roles, edits, action items, runbook steps) are corrected with the command
    /// that changes it back, since striking them would leave the change in place.
    public static let strikable: [EntryKind] = [
        .note, .action, .decision, .comms, .alert, .command,
    ]
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

/// A `strike` entry that breaks a rule the `strike` command keeps (a hand-made file, or another
/// tool's, brought by git): it strikes nothing.
public struct IgnoredStrike: Hashable, Sendable {
    /// The strike's number in the timeline.
    public var seq: Int
    /// What is wrong with it, e.g. "strikes entry #1, a phase change, which a strike can't undo".
    public var problem: String

    public var message: String { "entry #\(seq) \(problem); it is ignored" }
}

extension Incident {
    /// The struck entries: each struck entry's hash → the `strike` entry that struck it. Computed
    /// from the timeline, so a clone with the same entries agrees. Only strikes that keep the
    /// `strike` command's rules count (see ``strikeCheck``).
    public var strikes: [String: TimelineEntry] { strikeCheck.struck }

    /// The strikes in timeline order, each held to the rules the `strike` command keeps: it names
    /// an earlier entry of this incident, of a kind that can be struck, not struck already. The
    /// first strike of an entry counts; one that breaks a rule is ignored and listed.
    public var strikeCheck: (struck: [String: TimelineEntry], ignored: [IgnoredStrike]) {
        var struck: [String: TimelineEntry] = [:]
        var ignored: [IgnoredStrike] = []
        var earlier: [String: TimelineEntry] = [:]
        for entry in timeline {
            defer { earlier[entry.hash] = entry }
            guard entry.kind == .strike else { continue }
            let problem: String?
            if let hash = entry.data["entry"], let target = earlier[hash] {
                if target.kind == .strike {
                    problem = "strikes entry #\(target.seq), a strike, which can't be struck"
                } else if !EntryKind.strikable.contains(target.kind) {
                    problem =
                        "strikes entry #\(target.seq), a \(target.kind.rawValue) change, "
                        + "which a strike can't undo"
                } else if let first = struck[hash] {
                    problem =
                        "strikes entry #\(target.seq), which entry #\(first.seq) "
                        + "struck already"
                } else {
                    problem = nil
                    struck[hash] = entry
                }
            } else if let hash = entry.data["entry"],
                timeline.contains(where: { $0.hash == hash })
            {
                problem = "strikes an entry that comes after it"
            } else {
                problem = "strikes an entry that is not in this incident"
            }
            if let problem { ignored.append(IgnoredStrike(seq: entry.seq, problem: problem)) }
        }
        return (struck, ignored)
    }

    /// Whether `entry` has been struck.
    public func isStruck(_ entry: TimelineEntry) -> Bool {
        !entry.hash.isEmpty && strikes[entry.hash] != nil
    }

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
        return append(
            .strike, text, at: at,
            data: ["entry": target.hash, "seq": String(seq), "reason": reason], context: context)
    }
}
