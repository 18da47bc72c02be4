import Foundation

/// An action item given another number: items added at once on two clones claimed the same one,
/// and the other item's number reached the shared remote first (or was claimed first).
public struct ActionItemRenumbering: Hashable, Sendable, CustomStringConvertible {
    public var uid: String
    public var incident: IncidentID
    public var from: String
    public var to: String
    public var description: String { "\(incident) \(from) renumbered \(to)" }
}

extension Store {
    /// Settles action item numbers that clones gave at once, in the incidents `uids` (nil: every
    /// incident with more than one item): an item whose number reached the shared remote keeps
    /// it; every other colliding item gets a free number, recorded as an entry of this clone (the
    /// number it showed keeps finding it where no other item has it). `published` is asked only
    /// for incidents with something to settle: per uid, the numbers the remote shows by item key.
    /// Call it holding the lock (`withLock`).
    public func settleActionItems(
        in uids: Set<String>?,
        published lookUp: (Set<String>) throws -> [String: [String: Int]],
        context: EditContext
    ) throws -> [ActionItemRenumbering] {
        let candidates =
            uids
            ?? Set(summaries().summaries.filter { $0.actionItemCount > 1 }.map(\.uid))
        var unsettled: [LoadedIncident] = []
        for uid in candidates.sorted() {
            // An incident removed by the merge, or unreadable, has nothing to settle here.
            guard let loaded = try? read(uid: uid), loaded.incident.hasProvisionalActionItems else {
                continue
            }
            unsettled.append(loaded)
        }
        guard !unsettled.isEmpty else { return [] }
        let published = try lookUp(Set(unsettled.map(\.incident.uid)))
        let replica = try replicaID()
        var moved: [ActionItemRenumbering] = []
        for loaded in unsettled {
            var incident = loaded.incident
            let moves = incident.actionItemSettlement(published: published[incident.uid] ?? [:])
            guard !moves.isEmpty else { continue }
            incident = incident.writing(as: replica)
            _ = continueAfterOwnHead(&incident)
            for move in moves {
                incident.renumberActionItem(move, context: context)
                moved.append(
                    ActionItemRenumbering(
                        uid: incident.uid, incident: incident.id,
                        from: move.from, to: move.to))
            }
            try writeOwnEntries(of: incident, files: loaded.files)
            try? recordOwnHead(of: incident)
            try? recordInIndex(incident)
        }
        return moved
    }
}
