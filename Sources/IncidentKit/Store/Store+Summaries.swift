import Foundation

// Listing: every incident's summary, from the cache when it can be trusted.
extension Store {
    /// Every incident's summary, from the cache where it is current and from the files where not.
    /// Files that can't be read are reported, and everything else still lists. With
    /// `includeClosed: false`, incidents the cache knows to be closed are skipped without decoding.
    /// When records were stale (a `git pull` brought files) and the lock is free, the cache is
    /// brought up to date, so the cost is paid once. `progress` is told, now and then while
    /// incident files are read (a fresh clone, a large pull), how many of the incidents were looked
    /// at and how many there are; it is never called when the cache is current.
    public func summaries(
        includeClosed: Bool = true,
        progress: ((_ done: Int, _ total: Int) -> Void)? = nil
    ) -> (summaries: [IncidentSummary], problems: [StoreProblem]) {
        if let cached = cachedSummaries(includeClosed: includeClosed) { return (cached, []) }
        // Taken before the look, as `trustedRecords` takes them.
        let before = look()
        let view = scan(progress: progress)
        let numbers = view.numbers()
        var result: [IncidentSummary] = []
        result.reserveCapacity(view.items.count)
        for item in view.items.values {
            if !includeClosed && item.closed { continue }
            guard var summary = item.summary ?? item.head.flatMap({ view.snapshot?.summary($0) })
            else { continue }
            if let number = numbers.byUID[item.uid].flatMap(IncidentID.init(number:)) {
                summary.id = number
            }
            result.append(summary)
        }
        if view.staleCount > 0 { writeBack(view, look: before) }
        return (result, view.problems)
    }

    /// The summaries straight from the cache, when it provably tells it all: every directory in
    /// `incidents/` has a record made from exactly its current identity (and an open incident's
    /// record from its files' current identities), every record still has its directory, no
    /// format-1 file is around and no number is claimed twice. Nil otherwise, and `scan` decides.
    /// Same checks as `scan`, one `stat` per directory, but no strings made for the records
    /// `list` skips: most of what `list` cost at 10,000 incidents.
    func cachedSummaries(includeClosed: Bool) -> [IncidentSummary]? {
        // Taken before anything is looked at: a change after this shows in the next command.
        guard let records = trustedRecords(includeClosed: includeClosed),
            let index = records.index ?? SummaryIndex.compact(records.bytes)
        else { return nil }
        var result: [IncidentSummary] = []
        result.reserveCapacity(includeClosed ? index.heads.count : index.heads.count / 8)
        for head in index.heads where includeClosed || !head.closed {
            guard let summary = index.summary(head) else { return nil }
            result.append(summary)
        }
        return result
    }

    /// The cache's records when they provably tell it all, checked as `cachedSummaries` says;
    /// with `includeClosed: false` possibly only the open incidents' own journal, which needs no
    /// check and is not parsed here (`index` is nil then). Nil: `scan` decides.
    func trustedRecords(includeClosed: Bool) -> (bytes: [UInt8], index: SummaryIndex.Compact?)? {
        // Taken before anything is looked at: a change after this shows in the next command.
        let writing = FileSystem.exists(writingMarker)
        let stamp = OpenSegments.stamp(root: root)
        let state = readState()
        let listed = FileSystem.identity(incidentsDirectory)?.changedNanoseconds
        let quiet = !writing && state.quiet == stamp && state.indexed == listed
        // In a git work tree, quiet means only irctl changed files since the last full look,
        // and irctl keeps the cache itself: the records are trusted as they are.
        let trusted = quiet && stamp != OpenSegments.outsideGit
        // The open records alone, from their own small journal when it is in line.
        if quiet, !includeClosed, !state.collisions, let at = state.openAt,
            FileSystem.identity(cacheDirectory + "/index")?.size == at,
            let bytes =
                (try? FileSystem.read(
                    cacheDirectory + "/open", limit: Int(Int32.max),
                    what: "the cache")).flatMap({ $0 })
        {
            if trusted { return (bytes, nil) }
            if let open = SummaryIndex.compact(bytes), openRecordsCurrent(open) {
                return (bytes, open)
            }
        }
        guard let bytes = readIndex(), let index = SummaryIndex.compact(bytes), index.claimsUnique
        else { return nil }
        if trusted { return (bytes, index) }
        if quiet, !includeClosed { return openRecordsCurrent(index) ? (bytes, index) : nil }
        guard indexCurrent(index) else { return nil }
        if state.quiet != stamp || state.indexed != listed || writing {
            noteQuiet(stamp, listed: listed)
        }
        return (bytes, index)
    }
}
