import Foundation

/// The store seen through its cache: every incident's claim, and for each either its cached
/// record (when nothing it was made from changed) or a summary made from its files just now.
struct StoreView {
    struct Item {
        var uid: String
        var claim: Int
        var claimedAt: Int64
        var claimHash: String
        var aliases: [Int]
        var closed: Bool
        /// Set when the record was made just now (its cached one was missing or stale).
        var summary: IncidentSummary?
        var head: SummaryIndex.Head?
        var sources: String
        var files: String
        var format1: [String]
    }
    var items: [String: Item] = [:]
    var snapshot: SummaryIndex.Snapshot?
    var problems: [StoreProblem] = []
    /// Incidents whose files can't be read now, by what the cache knew of them.
    var unreadable: [String: Item] = [:]
    var staleCount = 0
    /// Whether `incidents/` held any format-1 file name.
    var format1Seen = false

    /// The number each incident lists under. A number claimed by several incidents is held by
    /// the earliest claim (by the time its entry was written, then its hash); the others get
    /// provisional numbers after every number in use, in the order of their claims, the same on
    /// every clone, until `irctl sync` renumbers them for good.
    func numbers() -> (byUID: [String: Int], byNumber: [Int: String], aliases: [Int: String]) {
        var groups: [Int: [Item]] = [:]
        var highest = 0
        for item in Array(items.values) + Array(unreadable.values) {
            groups[item.claim, default: []].append(item)
            highest = max(highest, item.claim, item.aliases.max() ?? 0)
        }
        func earlier(_ a: Item, _ b: Item) -> Bool {
            if a.claimedAt != b.claimedAt { return a.claimedAt < b.claimedAt }
            if a.claimHash != b.claimHash {
                return a.claimHash.utf8.lexicographicallyPrecedes(b.claimHash.utf8)
            }
            return a.uid < b.uid
        }
        var byUID: [String: Int] = [:]
        var byNumber: [Int: String] = [:]
        var losers: [Item] = []
        for (number, group) in groups {
            let sorted = group.sorted(by: earlier)
            byUID[sorted[0].uid] = number
            byNumber[number] = sorted[0].uid
            losers += sorted.dropFirst()
        }
        losers.sort { $0.claim != $1.claim ? $0.claim < $1.claim : earlier($0, $1) }
        for (offset, item) in losers.enumerated() where highest + offset + 1 <= IncidentID.maxNumber
        {
            byUID[item.uid] = highest + offset + 1
            byNumber[highest + offset + 1] = item.uid
        }
        var aliases: [Int: String] = [:]
        for item in items.values {
            for alias in item.aliases where byNumber[alias] == nil && aliases[alias] == nil {
                aliases[alias] = item.uid
            }
        }
        return (byUID, byNumber, aliases)
    }

    /// The highest number in use, provisional numbers included.
    var highestNumber: Int { numbers().byNumber.keys.max() ?? 0 }
}
