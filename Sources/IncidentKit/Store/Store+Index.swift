import Dispatch
import Foundation
import Glibc

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

extension Store {
    // MARK: Listing

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

    /// Since the last full look at every incident, no incident was added or removed (the listing
    /// of `incidents/` is as it was) and git changed nothing (its index file is as it was: a pull,
    /// merge, checkout, reset or stash rewrites it), so only irctl changed files, and irctl keeps
    /// the cache itself. What is left to see is a hand edit: `list` looks at the incidents it
    /// shows, the open ones (their directories and files), and at no other.
    /// Outside git there is no such record of what changed, so a hand edit is looked for in the
    /// incidents `list` shows: their directories and files.
    private func openRecordsCurrent(_ index: SummaryIndex.Compact) -> Bool {
        for head in index.heads where !head.closed {
            guard let expected = head.directory else { return false }
            let name = index.string(head.uid)
            guard let identity = FileSystem.identity(incidentsDirectory + "/" + name),
                identity.inode == expected.inode, identity.changedNanoseconds == expected.changed,
                index.string(head.files) == filesSignature(name)
            else { return false }
        }
        return true
    }

    /// Present from just before an incident file is written until its record is in the journal,
    /// so that a writer killed in between (or a cache that could not be written) leaves a sign:
    /// while it is there, nothing remembered is trusted without a full look.
    var writingMarker: String { cacheDirectory + "/writing" }

    /// Puts up the marker before an incident file is written. When it can't be made, the cache
    /// state goes instead, which makes the next command look at everything just the same.
    func markWriting() {
        guard FileSystem.exists(cacheDirectory) else { return }
        let fd = open(writingMarker, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        if fd >= 0 { close(fd) } else { unlink(cacheDirectory + "/state") }
    }

    /// Records that a full look found the cache current while git's index was `stamp`. A marker
    /// left by a writer that did not finish means the look may have come before its write: the
    /// cache is rebuilt from the files first, holding the lock, so no writer is half-way.
    /// `listed` is the identity `incidents/` had before the look, which found a record for every
    /// directory in it and a directory for every record.
    private func noteQuiet(_ stamp: String, listed: Int64?) {
        _ = lock.tryWithLock {
            if FileSystem.exists(writingMarker) { _ = try reindexLocked() }
            var state = readState()
            state.quiet = stamp
            // The look would have failed on a format-1 file.
            state.indexed = listed
            state.noFormat1 = true
            try writeState(state)
        }
    }

    /// The full check of `cachedSummaries`: every directory's identity, every open incident's
    /// files.
    private func indexCurrent(_ index: SummaryIndex.Compact) -> Bool {
        guard let directory = FileSystem.openDirectory(incidentsDirectory) else { return false }
        defer { closedir(directory) }
        let fd = dirfd(directory)
        var seen = [Bool](repeating: false, count: index.heads.count)
        // The incident directories' names (NUL-terminated, end to end) and their records.
        var names: [UInt8] = []
        names.reserveCapacity(index.heads.count * 40)
        var starts: [Int] = []
        var records: [Int] = []
        starts.reserveCapacity(index.heads.count)
        records.reserveCapacity(index.heads.count)
        while let entry = readdir(directory) {
            let current: Bool = withUnsafePointer(to: &entry.pointee.d_name) { pointer in
                let cName = UnsafeRawPointer(pointer).assumingMemoryBound(to: CChar.self)
                let name = UnsafeBufferPointer(
                    start: UnsafeRawPointer(pointer).assumingMemoryBound(to: UInt8.self),
                    count: strlen(cName))
                // ".", "..", hidden and temporary files: skipped by `scan` too.
                if name.isEmpty || name[0] == UInt8(ascii: ".") { return true }
                guard Self.isPlainUID(name) else {
                    // Format-1 files and derived directory names are for `scan`; other names it
                    // ignores too.
                    return FileSystem.incidentNumber(name) == nil && name[0] != UInt8(ascii: "x")
                }
                guard let i = index.index(ofUID: name), !seen[i], index.heads[i].directory != nil
                else { return false }
                seen[i] = true
                starts.append(names.count)
                records.append(i)
                names.append(contentsOf: name)
                names.append(0)
                return true
            }
            guard current else { return false }
        }
        guard records.count == index.heads.count else { return false }
        // One `stat` per directory, most of what `list` costs at 10,000 incidents: on two threads
        // when there are many (the kernel does them in parallel).
        let expected = records.map { index.heads[$0].directory! }
        var current = [Bool](repeating: false, count: records.count)
        names.withUnsafeBufferPointer { names in
            starts.withUnsafeBufferPointer { starts in
                expected.withUnsafeBufferPointer { expected in
                    current.withUnsafeMutableBufferPointer { current in
                        let pass = StatPass(
                            names: names.baseAddress!, starts: starts.baseAddress!,
                            expected: expected.baseAddress!,
                            current: current.baseAddress!)
                        let count = expected.count
                        let parts = count >= 2_000 ? 2 : 1
                        DispatchQueue.concurrentPerform(iterations: parts) { part in
                            pass.run(fd, (count * part / parts)..<(count * (part + 1) / parts))
                        }
                    }
                }
            }
        }
        guard !current.contains(false) else { return false }
        // An open incident's files are checked too: an edit in place changes no directory.
        for (k, i) in records.enumerated() where !index.heads[i].closed {
            let name = String(
                decoding: names[starts[k]..<(starts[k] + index.heads[i].uid.count)], as: UTF8.self)
            guard index.string(index.heads[i].files) == filesSignature(name) else { return false }
        }
        return true
    }

    /// Looks at every incident's directory (one `stat` each; an open incident's files too) and
    /// reads those whose cached record is missing or stale.
    func scan(progress: ((_ done: Int, _ total: Int) -> Void)? = nil) -> StoreView {
        var view = StoreView()
        let snapshot = readIndex().map(SummaryIndex.snapshot)
        view.snapshot = snapshot
        // Format-1 files seen before, by their identity, so an unchanged one is not read again.
        var knownFormat1: [String: String] = [:]
        for head in snapshot?.heads.values ?? [:].values {
            for source in head.sources.split(separator: "\u{1F}") where source.hasPrefix("f:") {
                knownFormat1[String(source)] = head.uid
            }
        }
        var sources: [String: [String]] = [:]
        var format1: [String: [String]] = [:]
        for entry in FileSystem.entries(incidentsDirectory) {
            let path = incidentsDirectory + "/" + entry.name
            if entry.name.hasPrefix(".") {
                continue
            } else if FileSystem.incidentNumber(entry.name) != nil {
                view.format1Seen = true
                guard entry.mode & S_IFMT == S_IFREG else {
                    view.problems.append(
                        StoreProblem(
                            path: path,
                            error: entry.mode & S_IFMT == S_IFLNK
                                ? .symlinkRefused(path: path)
                                : .notRegularFile(path: path, kind: FileSystem.kind(entry.mode))))
                    continue
                }
                let signature = "f:\(entry.name):\(entry.inode):\(entry.changed):\(entry.size)"
                var uid = knownFormat1[signature]
                if uid == nil {
                    do throws(StoreError) {
                        uid = try convertedFormat1(path).file.incident
                    } catch {
                        view.problems.append(StoreProblem(path: path, error: error))
                        continue
                    }
                }
                sources[Self.directoryName(uid!), default: []].append(signature)
                format1[Self.directoryName(uid!), default: []].append(path)
            } else if Self.isPlainUID(entry.name) || entry.name.hasPrefix("x") {
                guard entry.mode & S_IFMT == S_IFDIR else {
                    if entry.mode & S_IFMT == S_IFLNK {
                        view.problems.append(
                            StoreProblem(path: path, error: .symlinkRefused(path: path)))
                    }
                    continue
                }
                sources[entry.name, default: []].append("d:\(entry.inode):\(entry.changed)")
            }
        }
        var headsByDirectory: [String: SummaryIndex.Head] = [:]
        for head in snapshot?.heads.values ?? [:].values {
            headsByDirectory[Self.directoryName(head.uid)] = head
        }
        var looked = 0
        for (key, signatures) in sources {
            looked += 1
            let signature = signatures.sorted().joined(separator: "\u{1F}")
            let paths = format1[key] ?? []
            if let head = headsByDirectory[key], head.sources == signature,
                head.closed || head.files == filesSignature(key)
            {
                view.items[head.uid] = .init(
                    uid: head.uid, claim: head.claim, claimedAt: head.claimedAt,
                    claimHash: head.claimHash,
                    aliases: head.aliases, closed: head.closed, summary: nil, head: head,
                    sources: signature, files: head.files, format1: paths)
                continue
            }
            view.staleCount += 1
            if let progress, view.staleCount % 128 == 0 { progress(looked, sources.count) }
            do throws(StoreError) {
                let incident = try read(directoryName: key, format1: paths).incident
                let summary = IncidentSummary(incident)
                view.items[incident.uid] = .init(
                    uid: incident.uid, claim: summary.claim.number,
                    claimedAt: Int64(summary.claimedAt.timeIntervalSince1970.rounded(.down)),
                    claimHash: summary.claimHash, aliases: summary.aliases.map(\.number),
                    closed: !summary.isOpen, summary: summary, head: nil, sources: signature,
                    files: summary.isOpen ? filesSignature(key) : "", format1: paths)
            } catch {
                // Nothing to write back for it: its cached record stays as it was.
                view.staleCount -= 1
                // A directory with no incident file in it (all removed) is no incident.
                if case .noIncidentWithUID = error { continue }
                view.problems.append(
                    StoreProblem(
                        path: Self.problemPath(error) ?? paths.first ?? incidentsDirectory + "/"
                            + key, error: error))
                // It keeps its number (from the cache) so that it is reported under it, not listed.
                if let head = headsByDirectory[key] {
                    view.unreadable[head.uid] = .init(
                        uid: head.uid, claim: head.claim, claimedAt: head.claimedAt,
                        claimHash: head.claimHash,
                        aliases: head.aliases, closed: head.closed, summary: nil, head: head,
                        sources: signature, files: "", format1: paths)
                }
            }
        }
        // The last word, so that a progress line can be finished.
        if let progress, view.staleCount >= 128 { progress(sources.count, sources.count) }
        return view
    }

    /// `isPlainUID` of a name's bytes, without making a string.
    static func isPlainUID(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
        (8...64).contains(name.count) && name[0] != 0x2D
            && name.allSatisfy {
                ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x2D
            }
    }

    /// The file a read error names, when it names one.
    static func problemPath(_ error: StoreError) -> String? {
        switch error {
        case .corruptIncident(let path, _), .symlinkRefused(let path), .tooLarge(let path, _, _),
            .notRegularFile(let path, _),
            .newerSchema(let path, _, _), .io(let path, _, _):
            path
        default: nil
        }
    }

    /// The identities of an incident directory's files, which an edit in place changes.
    func filesSignature(_ name: String) -> String {
        FileSystem.list(incidentsDirectory + "/" + name).compactMap { file, identity in
            identity.map { "\(file):\($0.inode):\($0.changedNanoseconds):\($0.size)" }
        }.sorted().joined(separator: "\u{1F}")
    }

    /// What was seen just before a full look: git's index, `incidents/`, the journal's size.
    struct Look {
        var stamp: String
        var listed: Int64?
        var journal: Int64?
    }

    /// The `Look` of now, taken before a scan.
    func look() -> Look {
        Look(
            stamp: OpenSegments.stamp(root: root),
            listed: FileSystem.identity(incidentsDirectory)?.changedNanoseconds,
            journal: FileSystem.identity(cacheDirectory + "/index")?.size)
    }

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

    private func writeBackHoldingLock(_ view: StoreView) throws {
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
    public func refreshCacheHoldingLock() -> String? {
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
    public func refreshCacheHoldingLock(changed paths: [String], since stamp: String?) -> String? {
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

    /// The incident files (`<directory>/<file>` under `incidents/`) irctl wrote since git last
    /// wrote its index, when nothing else can have changed there: the cache is trusted as `list`
    /// trusts it, so the only writer since was irctl, and each of its writes went into a segment
    /// it records as open. Nil otherwise: then only a look at every file tells.
    /// Every incident directory is also looked at (one `stat` each, an open incident's files
    /// too): a file put in or taken out by hand changes its directory, and sends this to nil.
    /// A cache whose records no longer match the directories (made private since, touched by
    /// hand) is brought up to date here, under the lock, so that the next sync can tell again.
    func filesWrittenSinceGitLooked() -> [String]? {
        guard let stamp = quietStampHoldingLock(), readState().staged == stamp else { return nil }
        guard let bytes = readIndex(), let index = SummaryIndex.compact(bytes), indexCurrent(index)
        else {
            let view = scan()
            if view.staleCount > 0 { try? writeBackHoldingLock(view) }
            return nil
        }
        return OpenSegments.read(local: localDirectory, stamp: stamp).paths.sorted()
    }

    /// After `git add` of every file of the store, with the cache trusted under `stamp` before
    /// it: git's index now holds every file, and what irctl writes from here is all that can
    /// differ (`filesWrittenSinceGitLooked`).
    @discardableResult
    func noteFullyStagedHoldingLock(since stamp: String?) -> String? {
        guard let now = renewQuietHoldingLock(since: stamp) else { return nil }
        var state = readState()
        state.staged = now
        return (try? writeState(state)) != nil ? now : nil
    }

    /// Whether the cache, trusted as `list` trusts it, knows every number claimed once.
    public func claimsKnownUnique() -> Bool {
        guard quietStampHoldingLock() != nil else { return false }
        let state = readState()
        return !state.collisions && state.idsAt != nil
            && state.idsAt == FileSystem.identity(cacheDirectory + "/index")?.size
    }

    /// git's index identity when the cache is trusted as `list` trusts it, else nil: for a
    /// caller holding the lock that is about to change git's index and no file.
    public func quietStampHoldingLock() -> String? {
        let stamp = OpenSegments.stamp(root: root)
        let state = readState()
        guard stamp != OpenSegments.outsideGit, !FileSystem.exists(writingMarker),
            state.quiet == stamp,
            state.indexed == FileSystem.identity(incidentsDirectory)?.changedNanoseconds
        else { return nil }
        return stamp
    }

    /// After git changed its index and no file (`git add`, a commit) since the cache was known
    /// current under `stamp`: it still is, under git's new index, which this returns.
    @discardableResult
    public func renewQuietHoldingLock(since stamp: String?) -> String? {
        guard let stamp, !FileSystem.exists(writingMarker) else { return nil }
        var state = readState()
        guard state.quiet == stamp,
            state.indexed == FileSystem.identity(incidentsDirectory)?.changedNanoseconds
        else { return nil }
        let now = OpenSegments.stamp(root: root)
        // Every file was in git's index under the old one, and only git changed it since.
        if state.staged == stamp { state.staged = now }
        state.quiet = now
        return (try? writeState(state)) != nil ? now : nil
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

    /// The map's answer for `number`, when the map is in line with the journal.
    func mappedUID(_ number: Int, state: State) -> String? {
        guard let at = state.idsAt, FileSystem.identity(cacheDirectory + "/index")?.size == at
        else { return nil }
        return IdentifierMap.lookup(cacheDirectory + "/ids", number: number)
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

    // MARK: Numbers

    /// Where the incident a number names is: from the cache while `incidents/` is as the cache
    /// last saw it, else from a full look. `thorough` forces the full look.
    func locate(
        _ id: IncidentID, thorough: Bool = false
    ) throws(StoreError) -> (uid: String, number: Int, format1: [String], renumberedFrom: Int?) {
        let view: StoreView
        let state = readState()
        let current =
            !thorough && state.indexFormat == Int64(SummaryIndex.format)
            && state.indexed != nil
            && state.indexed == FileSystem.identity(incidentsDirectory)?.changedNanoseconds
        // The common case, without reading the journal: the map names the one incident that
        // claims the number (so it holds it: provisional numbers all lie above every claim).
        if current, let uid = mappedUID(id.number, state: state) {
            return (uid, id.number, [], nil)
        }
        let bytes = current ? readIndex() : nil
        // Without the map, still without parsing every record: one incident claims the number,
        // and its sources are its directory alone.
        if let bytes, let uid = SummaryIndex.soleClaimant(of: id.number, in: bytes) {
            return (uid, id.number, [], nil)
        }
        if current, let snapshot = bytes.map(SummaryIndex.snapshot), !snapshot.heads.isEmpty {
            var cached = StoreView()
            cached.snapshot = snapshot
            for head in snapshot.heads.values {
                let format1 = head.sources.split(separator: "\u{1F}").filter { $0.hasPrefix("f:") }
                    .compactMap {
                        $0.split(separator: ":").dropFirst().first.map {
                            incidentsDirectory + "/" + $0
                        }
                    }
                cached.items[head.uid] = .init(
                    uid: head.uid, claim: head.claim, claimedAt: head.claimedAt,
                    claimHash: head.claimHash,
                    aliases: head.aliases, closed: head.closed, summary: nil, head: head,
                    sources: head.sources, files: head.files, format1: format1)
            }
            view = cached
        } else {
            let before = look()
            view = scan()
            if view.staleCount > 0 { writeBack(view, look: before) }
        }
        let numbers = view.numbers()
        if let uid = numbers.byNumber[id.number] {
            return (uid, id.number, view.items[uid]?.format1 ?? [], nil)
        }
        if let uid = numbers.aliases[id.number], let number = numbers.byUID[uid] {
            return (uid, number, view.items[uid]?.format1 ?? [], id.number)
        }
        if !thorough { return try locate(id, thorough: true) }
        throw .incidentNotFound(id, store: root)
    }

    /// The uid of the incident a number names (found even when its files can't be read now).
    public func resolve(_ id: IncidentID) throws(StoreError) -> String { try locate(id).uid }

    /// The incident read for the number asked, numbered as it lists. When the cache pointed at an
    /// incident that no longer has that number (a pull renumbered it), a full look decides.
    func settled(
        _ incident: Incident, asked id: IncidentID,
        place located: (uid: String, number: Int, format1: [String], renumberedFrom: Int?)
    ) throws(StoreError) -> StoredIncident {
        var place = located
        var result = incident
        if place.uid != incident.uid
            || (incident.id != id && !incident.aliases.contains(id) && place.renumberedFrom == nil
                && incident.id.number != place.number)
        {
            place = try locate(id, thorough: true)
            result = try read(uid: place.uid, format1: place.format1).incident
        }
        if let number = IncidentID(number: place.number) { result = result.numbered(number) }
        var notices: [String] = []
        if let old = place.renumberedFrom.flatMap(IncidentID.init(number:)) {
            notices.append("\(old) was renumbered \(result.id); showing \(result.id)")
        } else if incident.id.number != place.number, let claim = Optional(incident.id) {
            notices.append(
                "\(result.id) claimed \(claim), which another incident holds; 'irctl sync' gives "
                    + "it a number for good"
            )
        }
        return StoredIncident(incident: result, notices: notices)
    }

    /// The next number to hand out: after every number in use here, and after every number this
    /// clone ever handed out, so a number is never reused even when its incident's files are gone.
    func nextNumber() throws -> Int {
        let state = readState()
        let view: StoreView
        let current =
            state.indexFormat == Int64(SummaryIndex.format) && state.indexed != nil
            && state.indexed == FileSystem.identity(incidentsDirectory)?.changedNanoseconds
        // No number claimed twice, by the map's account: the next is after the highest claim.
        if current, !state.collisions, let highest = state.highest, let at = state.idsAt,
            FileSystem.identity(cacheDirectory + "/index")?.size == at
        {
            return max(Int(highest), highestHandedOut()) + 1
        }
        let bytes = current ? readIndex() : nil
        // No number claimed twice: the numbers in use are the claims, without a string per record.
        if let bytes, let index = SummaryIndex.compact(bytes), index.claimsUnique {
            return max(index.heads.lazy.map(\.claim).max() ?? 0, highestHandedOut()) + 1
        }
        if current, let snapshot = bytes.map(SummaryIndex.snapshot) {
            var cached = StoreView()
            for head in snapshot.heads.values {
                cached.items[head.uid] = .init(
                    uid: head.uid, claim: head.claim, claimedAt: head.claimedAt,
                    claimHash: head.claimHash,
                    aliases: head.aliases, closed: head.closed, summary: nil, head: head,
                    sources: head.sources, files: head.files, format1: [])
            }
            view = cached
        } else {
            view = scan()
        }
        return max(view.highestNumber, highestHandedOut()) + 1
    }

    /// A number as the user typed it, or an incident's uid (or the start of it, at least 4 hex
    /// digits).
    public func incidentID(matching text: String) throws -> IncidentID {
        if let id = IncidentID(text) {
            // A uid prefix can be all digits (1 in 40 have 8): a number that names no incident
            // but starts exactly one uid is that uid.
            guard text.utf8.count >= 8, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                (try? locate(id)) == nil
            else { return id }
            let matches = scan().items.keys.filter { $0.hasPrefix(text) }
            return matches.count == 1 ? try incidentID(matching: matches[0]) : id
        }
        let prefix = text.lowercased()
        guard prefix.utf8.count >= 4, prefix.utf8.count <= 64,
            prefix.utf8.allSatisfy({
                ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) || $0 == 0x2D
            })
        else {
            throw ValueError.invalidIncidentID(text)
        }
        let view = scan()
        let matches = view.items.keys.filter { $0.hasPrefix(prefix) }.sorted()
        guard matches.count == 1 else {
            if matches.isEmpty { throw StoreError.noIncidentWithUID(text, store: root) }
            throw StoreError.ambiguousUID(text, matches: matches)
        }
        guard let number = view.numbers().byUID[matches[0]].flatMap(IncidentID.init(number:)) else {
            throw StoreError.noIncidentWithUID(text, store: root)
        }
        return number
    }

    // MARK: Cache state

    struct State {
        /// The ctime of `incidents/` when the journal was last in line with its listing.
        var indexed: Int64?
        var compactedSize: Int64 = 0
        var indexFormat: Int64?
        /// No format-1 file was in `incidents/` when the journal was last in line with its listing
        /// (`indexed`): while the listing is unchanged, a write has nothing to convert.
        var noFormat1 = false
        /// git's index identity (`OpenSegments.stamp`) when a full look last found the cache
        /// current; while it and `incidents/` are unchanged, `list` looks at open incidents only.
        var quiet: String?
        /// The journal's size when `cache/ids` was last in line with it; nil: not in line.
        var idsAt: Int64?
        /// The journal's size when `cache/open` (the open incidents' records) was last in line.
        var openAt: Int64?
        /// Whether two records claimed one number when the map was made (or since).
        var collisions = true
        /// The highest number a record claims.
        var highest: Int64?
        /// git's index identity when it last held every file of the store (a full `git add`),
        /// carried across git's own index changes while the cache stayed trusted.
        var staged: String?
    }

    func readState() -> State {
        var state = State()
        guard
            let bytes =
                (try? FileSystem.read(cacheDirectory + "/state", limit: 4096, what: "cache state"))
                .flatMap({ $0 })
        else {
            return state
        }
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1)
            if parts.count == 2, parts[0] == "quiet" {
                state.quiet = String(parts[1])
                continue
            }
            if parts.count == 2, parts[0] == "staged" {
                state.staged = String(parts[1])
                continue
            }
            guard parts.count == 2, let value = Int64(parts[1]) else { continue }
            switch parts[0] {
            case "indexed": state.indexed = value
            case "compactedSize": state.compactedSize = value
            case "indexFormat": state.indexFormat = value
            case "noFormat1": state.noFormat1 = value == 1
            case "idsAt": state.idsAt = value
            case "openAt": state.openAt = value
            case "collisions": state.collisions = value == 1
            case "highest": state.highest = value
            default: break
            }
        }
        return state
    }

    func writeState(_ state: State) throws {
        var text = ""
        if let indexed = state.indexed { text += "indexed=\(indexed)\n" }
        text += "compactedSize=\(state.compactedSize)\n"
        text += "indexFormat=\(SummaryIndex.format)\n"
        if state.noFormat1 { text += "noFormat1=1\n" }
        if let idsAt = state.idsAt { text += "idsAt=\(idsAt)\n" }
        if let openAt = state.openAt { text += "openAt=\(openAt)\n" }
        text += "collisions=\(state.collisions ? 1 : 0)\n"
        if let highest = state.highest { text += "highest=\(highest)\n" }
        if let quiet = state.quiet, !quiet.contains("\n") { text += "quiet=\(quiet)\n" }
        if let staged = state.staged, !staged.contains("\n") { text += "staged=\(staged)\n" }
        try FileSystem.makeDirectory(cacheDirectory)
        try FileSystem.replace(
            directory: cacheDirectory, name: "state", with: Array(text.utf8), durable: false)
    }

    /// The cache journal's bytes, or nil when there is none or it can't be read (it is only a
    /// cache).
    func readIndex() -> [UInt8]? {
        (try? FileSystem.read(cacheDirectory + "/index", limit: 1 << 30, what: "a cache")).flatMap {
            $0
        }
    }

    /// True when `incidents/` can hold no format-1 file to convert: none was there when the cache
    /// last matched its listing, and the listing hasn't changed since (a file arriving changes it).
    /// Spares every write a listing of 10,000 names.
    func format1FilesImpossible() -> Bool {
        let state = readState()
        return state.noFormat1 && state.indexFormat == Int64(SummaryIndex.format)
            && state.indexed != nil
            && state.indexed == FileSystem.identity(incidentsDirectory)?.changedNanoseconds
    }

    /// Removes the temporary files a writer killed mid-write left behind (`.<name>.tmp`).
    func removeStrayTemporaryFiles(_ directory: String) {
        for (name, _) in FileSystem.list(directory)
        where name.hasPrefix(".") && name.hasSuffix(".tmp") {
            unlink(directory + "/" + name)
        }
    }
}

/// One `stat` pass over incident directories, shared by the threads doing it, each writing only
/// its own range of `current`.
private struct StatPass: @unchecked Sendable {
    let names: UnsafePointer<UInt8>
    let starts: UnsafePointer<Int>
    let expected: UnsafePointer<(inode: UInt64, changed: Int64)>
    let current: UnsafeMutablePointer<Bool>

    func run(_ fd: Int32, _ range: Range<Int>) {
        var st = stat()
        for k in range {
            let name = UnsafeRawPointer(names + starts[k]).assumingMemoryBound(to: CChar.self)
            guard fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0, st.st_mode & S_IFMT == S_IFDIR
            else { continue }
            let identity = FileIdentity(st)
            current[k] =
                identity.inode == expected[k].inode
                && identity.changedNanoseconds == expected[k].changed
        }
    }
}

extension StoreLock {
    /// Runs `body` under the lock if it is free at once; returns nil without waiting when it is not
    /// (a reader refreshing the cache never waits for a writer).
    func tryWithLock<T>(_ body: () throws -> T) -> T? {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else { return nil }
        defer { flock(fd, LOCK_UN) }
        return try? body()
    }
}
