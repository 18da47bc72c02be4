/// The result of checking an incident's hash chain.
public struct ChainVerification: Hashable, Sendable {
    public var entryCount: Int
    /// The last entry's hash: record it to detect a dropped last entry later.
    public var head: String
    /// The first entry that doesn't match, if any.
    public var firstMismatch: Mismatch?

    public struct Mismatch: Hashable, Sendable {
        public var seq: Int
        public var index: Int
        public var reason: String
    }

    public var isValid: Bool { firstMismatch == nil }
}

extension Incident {
    /// Recomputes every entry's hash and names the first one that doesn't match.
    public func verifyChain() -> ChainVerification {
        var previous = ""
        for (index, entry) in timeline.enumerated() {
            if entry.seq != index + 1 {
                return ChainVerification(entryCount: timeline.count, head: timeline.last?.hash ?? "",
                                         firstMismatch: .init(seq: entry.seq, index: index,
                                                              reason: "sequence number \(entry.seq) where \(index + 1) was expected (an entry was removed or reordered)"))
            }
            let expected = EntryHash.hash(of: entry, previous: previous)
            if expected != entry.hash {
                return ChainVerification(entryCount: timeline.count, head: timeline.last?.hash ?? "",
                                         firstMismatch: .init(seq: entry.seq, index: index,
                                                              reason: "hash does not match its content (edited, or an earlier entry changed)"))
            }
            previous = entry.hash
        }
        return ChainVerification(entryCount: timeline.count, head: previous, firstMismatch: nil)
    }
}
