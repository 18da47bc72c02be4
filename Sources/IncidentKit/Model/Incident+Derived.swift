import Foundation

/// A `strike` entry that breaks a rule the `strike` command keeps (a hand-made file, or another
/// tool's, brought by git): it strikes nothing.
public struct IgnoredStrike: Hashable, Sendable {
    /// The strike's number in the timeline.
    public var seq: Int
    /// What is wrong with it, e.g. "strikes entry #1, a phase change, which a strike can't undo".
    public var problem: String

    public var message: String { "entry #\(seq) \(problem); it is ignored" }
}

// Values derived from the timeline. The fold keeps what they need as it applies each entry; these
// views only shape it, so every reader (show, the postmortem, the site, metrics) gets one answer.
extension Incident {
    /// When the incident entered each phase.
    public var phaseTimes: PhaseTimes {
        var first = projection.firstEntered
        // Detection counts as entering `detect`, even when corrected to before the first entry.
        first[.detect] = min(first[.detect] ?? detectedAt, detectedAt)
        func earliest(_ phases: [Phase]) -> Date? { phases.compactMap { first[$0] }.min() }
        return PhaseTimes(
            firstEntered: first,
            declaredAt: earliest([.declare, .contain, .eradicate, .recover, .review]),
            containedAt: earliest([.eradicate, .recover, .review]),
            recoveredAt: first[.review],
            closedAt: phase == .closed ? projection.lastEntered[.closed] : nil
        )
    }

    /// When the current phase was entered: the latest phase entry's time, never before detection.
    public var currentPhaseEnteredAt: Date {
        max(projection.lastEntered[phase] ?? detectedAt, detectedAt)
    }

    /// Response times, from the phase times.
    public var metrics: IncidentMetrics { IncidentMetrics(self) }

    /// The struck entries: each struck entry's hash → the `strike` entry that struck it. Only
    /// strikes that keep the `strike` command's rules count (see ``strikeCheck``).
    public var strikes: [String: TimelineEntry] { projection.struck.mapValues { timeline[$0] } }

    /// Whether `entry` has been struck.
    public func isStruck(_ entry: TimelineEntry) -> Bool {
        !entry.hash.isEmpty && projection.struck[entry.hash] != nil
    }

    /// The strikes held to the rules the `strike` command keeps: it names an earlier entry of this
    /// incident, of a kind that can be struck, not struck already. The first strike of an entry
    /// counts; one that breaks a rule is ignored and listed, in timeline order.
    public var strikeCheck: (struck: [String: TimelineEntry], ignored: [IgnoredStrike]) {
        let ignored = projection.ignoredStrikes.map { cause in
            let problem: String
            switch cause.problem {
            case .strikesStrike(let target):
                problem = "strikes entry #\(target + 1), a strike, which can't be struck"
            case .notStrikable(let target, let kind):
                problem =
                    "strikes entry #\(target + 1), a \(kind.rawValue) change, "
                    + "which a strike can't undo"
            case .struckAlready(let target, let first):
                problem =
                    "strikes entry #\(target + 1), which entry #\(first + 1) struck already"
            case .noEarlierEntry(let hash):
                problem =
                    hash.flatMap { projection.position[$0] } != nil
                    ? "strikes an entry that comes after it"
                    : "strikes an entry that is not in this incident"
            }
            return IgnoredStrike(seq: cause.index + 1, problem: problem)
        }
        return (strikes, ignored)
    }

    /// The latest status update that stands (a `comms` entry not struck), by when it happened.
    public var latestStatusUpdate: TimelineEntry? {
        var latest: TimelineEntry?
        for index in projection.statusUpdates where !isStruck(timeline[index]) {
            let entry = timeline[index]
            if latest.map({ entry.at >= $0.at }) ?? true { latest = entry }
        }
        return latest
    }

    /// When the next status update was promised, by the latest update; nil when none was.
    public var nextUpdateDue: Date? {
        guard case .comms(let update?) = latestStatusUpdate?.change else { return nil }
        return update.next
    }

    /// The text `show`, `show --json` and the postmortem give an entry: for an action-item entry,
    /// naming its item by the number the item shows now (an older entry's stored number, which
    /// may have been settled since, is replaced). Other entries show their stored text.
    public func shownText(of entry: TimelineEntry) -> String {
        let prefix = "Action item"
        guard entry.kind == .actionItem, !entry.isLegacy, entry.text.hasPrefix(prefix),
            let key = projection.entryItems[entry.hash],
            let item = actionItems.first(where: { $0.key == key })
        else { return entry.text }
        var rest = entry.text.dropFirst(prefix.count)
        if rest.hasPrefix(" A") {
            let digits = rest.dropFirst(2).prefix { $0.isASCII && $0.isNumber }
            if !digits.isEmpty { rest = rest.dropFirst(2 + digits.count) }
        }
        guard rest.isEmpty || rest.first == ":" || rest.first == " " else { return entry.text }
        let renumbered = " renumbered"
        if case .actionItemRenumbered(_, let from?, _) = entry.change, rest.hasPrefix(renumbered) {
            return "\(prefix) \(from) renumbered \(item.id)" + rest.dropFirst(renumbered.count)
        }
        return "\(prefix) \(item.id)" + rest
    }
}
