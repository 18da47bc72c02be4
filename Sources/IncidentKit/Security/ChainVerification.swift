/// The result of checking an incident's hash chains: one per replica file, and the parent links
/// between them.
public struct ChainVerification: Hashable, Sendable {
    public var entryCount: Int
    /// The last entry's hash in the timeline order: record it to detect a dropped entry later.
    public var head: String
    /// The first entry that doesn't match, if any.
    public var firstMismatch: Mismatch?

    public struct Mismatch: Hashable, Sendable {
        /// The entry's number in the timeline (as `show` numbers it), or its position in its chain
        /// when it can't be placed.
        public var seq: Int
        public var index: Int
        public var reason: String
    }

    public var isValid: Bool { firstMismatch == nil }

    /// Checks every chain and every parent link. `chains` are the entries of each file in file order;
    /// `timeline` the projected order, for numbering entries as `show` does.
    static func check(chains: [(replica: String, entries: [TimelineEntry])], uid: String,
                      timeline: [TimelineEntry]) -> ChainVerification {
        let number = Dictionary(timeline.map { ($0.hash, $0.seq) }, uniquingKeysWith: { a, _ in a })
        let known = Set(chains.flatMap { $0.entries.map(\.hash) })
        let head = timeline.last?.hash ?? ""
        let total = timeline.count
        func fail(_ entry: TimelineEntry, _ position: Int, _ reason: String) -> ChainVerification {
            ChainVerification(entryCount: total, head: head,
                              firstMismatch: .init(seq: number[entry.hash] ?? entry.replicaSeq, index: position, reason: reason))
        }
        var failures: [ChainVerification] = []
        for chain in chains {
            var previous = ""
            for (position, entry) in chain.entries.enumerated() {
                let place = chain.replica.isEmpty ? "" : " of \(chain.replica)'s chain"
                if entry.replicaSeq != position + 1 {
                    failures.append(fail(entry, position, "sequence number \(entry.replicaSeq) where \(position + 1) was expected\(place) (an entry was removed or reordered)"))
                    break
                }
                var checked = entry
                checked.previous = previous
                if checked.expectedHash(incident: uid) != entry.hash {
                    failures.append(fail(entry, position, "hash does not match its content (edited, or an earlier entry\(place) changed)"))
                    break
                }
                if let missing = entry.parents.first(where: { !known.contains($0) }) {
                    failures.append(fail(entry, position, "it follows entry \(missing.prefix(12)), which is not in the store (an entry or a file was removed)"))
                    break
                }
                previous = entry.hash
            }
        }
        // The first failure in timeline order is the one to name.
        if let first = failures.min(by: { $0.firstMismatch!.seq < $1.firstMismatch!.seq }) { return first }
        return ChainVerification(entryCount: total, head: head, firstMismatch: nil)
    }
}

extension Incident {
    /// Recomputes every entry's hash, chain by chain, and checks every parent link.
    public func verifyChain() -> ChainVerification {
        var chains: [String: [TimelineEntry]] = [:]
        for entry in timeline { chains[entry.replica, default: []].append(entry) }
        let ordered = chains.keys.sorted().map { (replica: $0, entries: chains[$0]!.sorted { $0.replicaSeq < $1.replicaSeq }) }
        return ChainVerification.check(chains: ordered, uid: uid, timeline: timeline)
    }
}
