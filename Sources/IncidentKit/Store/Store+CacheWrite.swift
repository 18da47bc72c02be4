import Foundation
import Glibc

// Bringing the cache up to date: after a scan, after a write, or anew (`reindex`).
extension Store {
    /// Brings the cache up to date after a scan found stale records, if the lock is free at once.
    /// When no writer came in between (the journal is as it was before the look) the look counts
    /// as the full one `list` makes before it trusts the cache, and the next `list` does.
    func writeBack(_ view: StoreView, look: Look) {
        _ = lock.tryWithLock {
            // A writer that did not finish: its change may have come after the scan, so the
            // cache is made anew under the lock instead.
            if FileSystem.exists(writingMarker) {
                _ = try reindexLocked()
                return
            }
            let untouched = FileSystem.identity(cacheDirectory + "/index")?.size == look.journal
            try writeBackHoldingLock(view)
            guard untouched, view.problems.isEmpty, look.stamp != OpenSegments.outsideGit else {
                return
            }
            var state = readState()
            state.quiet = look.stamp
            state.indexed = look.listed
            try writeState(state)
        }
    }

    func writeBackHoldingLock(_ view: StoreView) throws {
        var state = readState()
        let before = FileSystem.identity(incidentsDirectory)?.changedNanoseconds
        try rebuildIndex(from: view, state: &state)
        state.indexed = before
        try writeState(state)
    }

    /// Brings the cache up to date from the files, for a caller that holds the lock (`sync`, the
    /// git hooks): reads only what changed, and writes the cache back, which a reader can't
    /// while the lock is held. Without it every later scan in that command, and every command
    /// after it, would read the changed files again. Nothing is looked at while the cache is
    /// trusted as `list` trusts it. Returns git's index identity under which the cache is now
    /// known current (see `renewQuietHoldingLock`), nil when it is not.
    @discardableResult
    func refreshCacheHoldingLock() -> String? {
        if let trusted = quietStampHoldingLock() { return trusted }
        let stamp = OpenSegments.stamp(root: root)
        let listed = FileSystem.identity(incidentsDirectory)?.changedNanoseconds
        let view = scan()
        let current = view.staleCount == 0 || (try? writeBackHoldingLock(view)) != nil
        guard current, view.problems.isEmpty else { return nil }
        // Looked at under the lock: what a writer that did not finish left is in the cache now,
        // and the look is the one `list` makes before it trusts the cache.
        unlink(writingMarker)
        var state = readState()
        state.quiet = stamp
        state.indexed = listed
        guard (try? writeState(state)) != nil else { return nil }
        return stamp
    }

    /// After git changed the files at `paths` (absolute; a merge, a pull) and nothing else since
    /// the cache was known current under `stamp`: only the incidents among them are read again,
    /// so a pull costs what it brought. Falls back to `refreshCacheHoldingLock()` when that
    /// can't be told (an incident removed, a directory not named by its uid, no current cache).
    @discardableResult
    func refreshCacheHoldingLock(changed paths: [String], since stamp: String?) -> String? {
        let prefix = incidentsDirectory + "/"
        var names = Set<String>()
        for path in paths where path.hasPrefix(prefix) {
            if let name = path.dropFirst(prefix.count).split(separator: "/").first {
                names.insert(String(name))
            }
        }
        let state = readState()
        guard let stamp, state.quiet == stamp, !FileSystem.exists(writingMarker),
            names.allSatisfy({ Self.directoryName($0) == $0 && FileSystem.exists(prefix + $0) })
        else { return refreshCacheHoldingLock() }
        for name in names.sorted() {
            guard let incident = try? load(uid: name), (try? recordInIndex(incident)) != nil else {
                return refreshCacheHoldingLock()
            }
        }
        // Every directory git added is recorded now: the listing is as the journal knows it.
        var after = readState()
        after.quiet = OpenSegments.stamp(root: root)
        after.indexed = FileSystem.identity(incidentsDirectory)?.changedNanoseconds
        // git wrote what it merged into its index too: if that held every file, it still does.
        if state.staged == stamp { after.staged = after.quiet }
        guard (try? writeState(after)) != nil else { return nil }
        return after.quiet
    }

    /// Writes a fresh journal: unchanged records copied as they are, stale ones anew.
    private func rebuildIndex(from view: StoreView, state: inout State) throws {
        var bytes = Array(SummaryIndex.header.utf8)
        // An incident that can't be read now keeps its last record, so it keeps its number.
        let all = view.items.merging(view.unreadable) { item, _ in item }
        for key in all.keys.sorted() {
            let item = all[key]!
            if let summary = item.summary {
                bytes += Array(
                    SummaryIndex.line(summary, sources: item.sources, files: item.files).utf8)
            } else if let head = item.head, let snapshot = view.snapshot {
                bytes += snapshot.bytes[head.line]
                bytes.append(0x0A)
            }
        }
        try FileSystem.makeDirectory(cacheDirectory)
        removeStrayTemporaryFiles(cacheDirectory)
        try FileSystem.replace(
            directory: cacheDirectory, name: "index", with: bytes, durable: false)
        state.compactedSize = Int64(bytes.count)
        state.noFormat1 = !view.format1Seen
        // The number → uid map, in line with this journal.
        var claimants: [Int: [StoreView.Item]] = [:]
        for item in all.values { claimants[item.claim, default: []].append(item) }
        var slots: [Int: String] = [:]
        for (number, items) in claimants {
            slots[number] =
                items.count == 1 && items[0].format1.isEmpty
                ? items[0].uid : IdentifierMap.undecided
        }
        // The open incidents' records, for list.
        var open = Array(SummaryIndex.header.utf8)
        if let compact = SummaryIndex.compact(bytes) {
            for head in compact.heads where !head.closed {
                open += bytes[head.line]
                open.append(0x0A)
            }
        }
        state.openAt = nil
        if (try? FileSystem.replace(
            directory: cacheDirectory, name: "open", with: open, durable: false)) != nil
        {
            state.openAt = Int64(bytes.count)
        }
        state.idsAt = nil
        state.collisions = claimants.values.contains { $0.count > 1 }
        state.highest = Int64(claimants.keys.max() ?? 0)
        if (try? IdentifierMap.write(cacheDirectory, slots: slots)) != nil {
            state.idsAt = Int64(bytes.count)
        }
    }

    /// Rebuilds the cache from the incident files (`irctl reindex`); returns how many incidents it
    /// holds.
    public func reindex() throws -> Int {
        try lock.withLock { try reindexLocked() }
    }

    func reindexLocked() throws -> Int {
        removeStrayTemporaryFiles(incidentsDirectory)
        for (name, _) in FileSystem.list(incidentsDirectory) where Self.isPlainUID(name) {
            removeStrayTemporaryFiles(incidentsDirectory + "/" + name)
        }
        try? FileSystem.remove(cacheDirectory + "/index")
        var state = readState()
        // Whoever rebuilds the cache may have written incident files that are not segments
        // this clone records as open (`restore` puts back deleted files): the next sync stages
        // everything again.
        state.staged = nil
        let before = FileSystem.identity(incidentsDirectory)?.changedNanoseconds
        let view = scan()
        // A store with something to report (a symbolic link, a file that can't be read) is
        // never trusted without a look: every listing says it again.
        if !view.problems.isEmpty { state.quiet = nil }
        try rebuildIndex(from: view, state: &state)
        state.indexed = before
        try writeState(state)
        unlink(writingMarker)
        return view.items.count
    }

    /// After a write: the incident's new record appended to the journal.
    func recordInIndex(_ incident: Incident, directoryBefore: Int64? = nil) throws {
        try FileSystem.makeDirectory(cacheDirectory)
        var state = readState()
        let indexPath = cacheDirectory + "/index"
        let name = Self.directoryName(incident.uid)
        guard let identity = FileSystem.identity(incidentsDirectory + "/" + name) else { return }
        let summary = IncidentSummary(incident)
        let line = SummaryIndex.line(
            summary, sources: "d:\(identity.inode):\(identity.changedNanoseconds)",
            files: summary.isOpen ? filesSignature(name) : "")
        let size = FileSystem.identity(indexPath)?.size
        if size == nil || state.indexFormat != Int64(SummaryIndex.format)
            || size! > 2 * state.compactedSize + 256 * 1024
            || state.idsAt != size || state.openAt != size
        {
            // No journal, another format's, one grown large, or one the number map is not in line
            // with (made before the map, or appended by another irctl): rebuild both from a full
            // look.
            let before = FileSystem.identity(incidentsDirectory)?.changedNanoseconds
            let view = scan()
            try rebuildIndex(from: view, state: &state)
            state.indexed = before
        } else {
            let inLine = state.idsAt != nil && state.idsAt == size
            let openInLine = state.openAt != nil && state.openAt == size
            try FileSystem.append(indexPath, Array(line.utf8))
            state.idsAt = nil
            state.openAt = nil
            // The record goes to the open journal too: when the incident was just closed, its
            // closed record there is what hides it.
            if openInLine,
                (try? FileSystem.append(cacheDirectory + "/open", Array(line.utf8))) != nil
            {
                state.openAt = FileSystem.identity(indexPath)?.size
            }
            if inLine {
                if !IdentifierMap.set(
                    cacheDirectory + "/ids", number: summary.claim.number, uid: incident.uid)
                {
                    state.collisions = true
                }
                state.highest = max(state.highest ?? 0, Int64(summary.claim.number))
                state.idsAt = FileSystem.identity(indexPath)?.size
            }
            // A new incident's directory changes `incidents/`; the journal still tells it all only
            // if nothing else had changed it since the journal was last in line with it.
            if let directoryBefore, state.indexed == directoryBefore {
                state.indexed = FileSystem.identity(incidentsDirectory)?.changedNanoseconds
            }
        }
        try writeState(state)
        unlink(writingMarker)
    }
}
