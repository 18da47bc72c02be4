import Foundation

/// What applying entries keeps besides the incident's fields: who last set what, so a change made
/// concurrently with it (on another clone, neither seeing the other) is decided by the rules
/// below rather than by which happens to be applied last.
struct ProjectionState: Hashable, Sendable {
    var ancestry = Ancestry()
    var position: [String: Int] = [:]
    var heads: Set<String> = []
    /// Per replica, the last entry of its chain: where the next one written there follows.
    var chainEnds: [String: ChainEnd] = [:]
    /// Per field, the writes no later write has seen: more than one means clones set it at once.
    var frontiers: [String: [Write]] = [:]
    var rules: [String: Rule] = [:]
    /// Removals that lost to concurrent additions.
    var setConflicts: [ConcurrentChange] = []
    /// Per service, tag or link, the positions of the entries that added it.
    var additions: [String: [Int]] = [:]
    /// Per action item (by key): the number it claims, and where in the order it claimed it.
    var itemClaims: [String: ItemClaim] = [:]
    /// Per action item (by key): the numbers it showed before a renumbering.
    var itemAliases: [String: Set<Int>] = [:]
    /// Per action-item entry (by hash): the key of the item it is about.
    var entryItems: [String: String] = [:]
    /// When and by which entry the incident's number was claimed, for settling duplicate claims.
    var claimedAt = Date.distantPast
    var claimHash = ""
    var created = false
    /// Per phase, when an entry first entered it, and when the latest (in the entry order) did.
    var firstEntered: [Phase: Date] = [:]
    var lastEntered: [Phase: Date] = [:]
    /// Per struck entry (by hash), the position of the strike that struck it.
    var struck: [String: Int] = [:]
    /// Strikes that strike nothing, in the entry order.
    var ignoredStrikes: [IgnoredStrikeCause] = []
    /// The positions of `comms` entries.
    var statusUpdates: [Int] = []

    /// Why a strike strikes nothing.
    struct IgnoredStrikeCause: Hashable, Sendable {
        var index: Int
        var problem: Problem

        enum Problem: Hashable, Sendable {
            /// The position of the entry it strikes, which is itself a strike.
            case strikesStrike(Int)
            case notStrikable(Int, EntryKind)
            /// Struck already, by the strike at the second position.
            case struckAlready(Int, by: Int)
            /// Names no earlier entry: a later one, or none at all.
            case noEarlierEntry(String?)
        }
    }

    struct ChainEnd: Hashable, Sendable {
        var seq: Int
        var hash: String
    }

    struct ItemClaim: Hashable, Sendable {
        var number: Int
        var index: Int
        /// An item with no valid claim (a hand-edited entry): first, with a free number.
        static let unclaimed = ItemClaim(number: 0, index: -1)
    }

    /// One entry's setting of a field.
    struct Write: Hashable, Sendable {
        var index: Int
        /// What it set, as `show` says it; nil clears.
        var value: String?
        /// For severity: 0 is the most severe.
        var rank = 0
        /// For the phase: a move back or a reopen.
        var regresses = false
    }

    /// How concurrent writes of a field are decided.
    enum Rule: Hashable, Sendable {
        /// The later in the entry order.
        case later
        /// The more severe, then the later.
        case severity
        /// A move back or a reopen, then the furthest phase, then the later.
        case phase
        /// Done, then the later (a step done stays done).
        case doneIsFinal
    }

    /// True when `b` wins over `a`.
    static func loses(_ a: Write, to b: Write, _ rule: Rule) -> Bool {
        switch rule {
        case .later:
            return a.index < b.index
        case .severity:
            if a.rank != b.rank { return a.rank > b.rank }
            return a.index < b.index
        case .phase:
            if a.regresses != b.regresses { return !a.regresses }
            let pa = a.value.flatMap(Phase.init(rawValue:))
            let pb = b.value.flatMap(Phase.init(rawValue:))
            if let pa, let pb, pa != pb { return pa < pb }
            return a.index < b.index
        case .doneIsFinal:
            if (a.value == "done") != (b.value == "done") { return a.value != "done" }
            return a.index < b.index
        }
    }

    static func winner(_ frontier: [Write], _ rule: Rule) -> Write {
        frontier.max { loses($0, to: $1, rule) }!
    }
}
