/// The result of checking an incident's hash chains: one per replica file, and the parent links
/// between them.
public struct ChainVerification: Hashable, Sendable {
    public var entryCount: Int
    /// The digest of the whole timeline, in its order (``timelineHeads(_:)``): record it to check
    /// later that every entry it covered is still there, unchanged, and that nothing was put
    /// before it. Empty for an empty timeline.
    public var head: String
    /// The first entry that doesn't match, if any.
    public var firstMismatch: Mismatch?
    /// Strikes that break the `strike` command's rules: intact entries, but irctl never writes
    /// them, and they strike nothing.
    public var ignoredStrikes: [IgnoredStrike] = []

    public struct Mismatch: Hashable, Sendable {
        /// The entry's number in the timeline (as `show` numbers it), or its position in its chain
        /// when it can't be placed.
        public var seq: Int
        public var index: Int
        public var reason: String
    }

    public var isValid: Bool { firstMismatch == nil && ignoredStrikes.isEmpty }

    /// Checks chains that lie in segments: each replica's segments in seq order, each with the
    /// hash of the entry before its first. A gap between segments names the entries missing, and
    /// so does `ownHead`, this clone's record of its own last entry, when the chain stops short
    /// of it (a revert or reset took this clone's latest entries away).
    static func check(
        segmented chains: [(
            replica: String, segments: [(previous: String, entries: [TimelineEntry])]
        )],
        uid: String, timeline: [TimelineEntry], ownHead: OwnHead? = nil
    ) -> ChainVerification {
        var flat: [(replica: String, entries: [TimelineEntry])] = []
        var gaps: [ChainVerification] = []
        let head = Self.timelineHeads(timeline).last ?? ""
        for chain in chains {
            var entries: [TimelineEntry] = []
            var seen = Set<String>()
            for segment in chain.segments {
                let expected = (entries.last?.replicaSeq ?? 0) &+ 1
                if let first = segment.entries.first, first.replicaSeq > expected {
                    let missing =
                        expected == first.replicaSeq - 1
                        ? "entry \(expected)" : "entries \(expected)–\(first.replicaSeq - 1)"
                    gaps.append(
                        ChainVerification(
                            entryCount: timeline.count, head: head,
                            firstMismatch: .init(
                                seq: first.replicaSeq, index: first.replicaSeq - 1,
                                reason:
                                    "\(missing) of \(chain.replica)'s chain "
                                    + "\(expected == first.replicaSeq - 1 ? "is" : "are") "
                                    + "missing (a git revert, reset or hand edit removed "
                                    + "\(expected == first.replicaSeq - 1 ? "it" : "them"); "
                                    + "'irctl restore' brings entries back from git history")))
                }
                for entry in segment.entries where seen.insert(entry.hash).inserted {
                    entries.append(entry)
                }
            }
            if let ownHead, ownHead.replica == chain.replica,
                ownHead.seq > (entries.last?.replicaSeq ?? 0)
            {
                let from = (entries.last?.replicaSeq ?? 0) &+ 1
                gaps.append(
                    ChainVerification(
                        entryCount: timeline.count, head: head,
                        firstMismatch: .init(
                            seq: from, index: from - 1,
                            reason:
                                "this clone's entries \(from)–\(ownHead.seq) of its chain "
                                + "\(chain.replica) are missing "
                                + "(a git revert, reset or stash took them out); 'irctl restore' "
                                + "brings entries back "
                                + "from git history, 'git stash pop' from a stash")))
            }
            flat.append((chain.replica, entries))
        }
        let result = check(
            chains: flat, uid: uid, timeline: timeline,
            segmentStarts: Dictionary(
                chains.flatMap { chain in
                    chain.segments.compactMap { segment in
                        segment.entries.first.map { ($0.hash, segment.previous) }
                    }
                },
                uniquingKeysWith: { a, _ in a }), head: head)
        // The first failure in timeline order is the one to name.
        return (gaps + (result.isValid ? [] : [result]))
            .min { $0.firstMismatch!.seq < $1.firstMismatch!.seq } ?? result
    }

    /// Checks every chain and every parent link. `chains` are the entries of each file in file
    /// order; `timeline` the projected order, for numbering entries as `show` does.
    static func check(
        chains: [(replica: String, entries: [TimelineEntry])], uid: String,
        timeline: [TimelineEntry], segmentStarts: [String: String] = [:],
        head: String? = nil
    ) -> ChainVerification {
        let number = Dictionary(timeline.map { ($0.hash, $0.seq) }, uniquingKeysWith: { a, _ in a })
        let known = Set(chains.flatMap { $0.entries.map(\.hash) })
        let head = head ?? Self.timelineHeads(timeline).last ?? ""
        let total = timeline.count
        func fail(_ entry: TimelineEntry, _ position: Int, _ reason: String) -> ChainVerification {
            ChainVerification(
                entryCount: total, head: head,
                firstMismatch: .init(
                    seq: number[entry.hash] ?? entry.replicaSeq, index: position, reason: reason))
        }
        var failures: [ChainVerification] = []
        for chain in chains {
            var previous = ""
            var expectedSeq = 1
            for (position, entry) in chain.entries.enumerated() {
                let place = chain.replica.isEmpty ? "" : " of \(chain.replica)'s chain"
                // After a gap between segments (named apart), a segment links by its own header.
                if entry.replicaSeq > expectedSeq, let link = segmentStarts[entry.hash] {
                    expectedSeq = entry.replicaSeq
                    previous = link
                }
                if entry.replicaSeq != expectedSeq {
                    failures.append(
                        fail(
                            entry, position,
                            "sequence number \(entry.replicaSeq) where \(expectedSeq) was "
                                + "expected\(place) (an entry was removed or reordered)"
                        ))
                    break
                }
                expectedSeq &+= 1
                var checked = entry
                checked.previous = previous
                if checked.expectedHash(incident: uid) != entry.hash {
                    failures.append(
                        fail(
                            entry, position,
                            "hash does not match its content (edited, or an earlier entry\(place) "
                                + "changed)"
                        ))
                    break
                }
                if let missing = entry.parents.first(where: { !known.contains($0) }) {
                    failures.append(
                        fail(
                            entry, position,
                            "it follows entry \(missing.prefix(12)), which is not in the store (an "
                                + "entry or a file was removed)"
                        ))
                    break
                }
                previous = entry.hash
            }
        }
        // The first failure in timeline order is the one to name.
        if let first = failures.min(by: { $0.firstMismatch!.seq < $1.firstMismatch!.seq }) {
            return first
        }
        return ChainVerification(entryCount: total, head: head, firstMismatch: nil)
    }
}

extension ChainVerification {
    /// The head after each entry of `timeline` (in its order): the SHA-256, in lowercase hex, of
    /// `irctl-head-v1\n`, the head before (empty before the first entry), `\n`, the entry's hash
    /// and `\n`. The head after entry k thus commits to entries 1…k, each with its whole chain,
    /// and to their order; an entry added before k, removed or changed gives another head.
    public static func timelineHeads(_ timeline: [TimelineEntry]) -> [String] {
        var heads: [String] = []
        heads.reserveCapacity(timeline.count)
        var previous = ""
        for entry in timeline {
            previous = SHA256.hex("irctl-head-v1\n" + previous + "\n" + entry.hash + "\n")
            heads.append(previous)
        }
        return heads
    }
}

extension Incident {
    /// Recomputes every entry's hash, chain by chain, and checks every parent link.
    public func verifyChain() -> ChainVerification {
        var chains: [String: [TimelineEntry]] = [:]
        for entry in timeline { chains[entry.replica, default: []].append(entry) }
        let ordered = chains.keys.sorted().map {
            (replica: $0, entries: chains[$0]!.sorted { $0.replicaSeq < $1.replicaSeq })
        }
        var result = ChainVerification.check(chains: ordered, uid: uid, timeline: timeline)
        result.ignoredStrikes = strikeCheck.ignored
        return result
    }
}
