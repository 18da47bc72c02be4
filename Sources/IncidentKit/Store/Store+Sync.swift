import Foundation
import Glibc

/// What a store holds, in brief, to tell afterwards what a `git pull` or `irctl sync` brought in.
public struct StoreDigest: Hashable, Sendable {
    public struct Incident: Hashable, Sendable {
        public var id: IncidentID
        public var title: String
        public var entryCount: Int
    }
    /// By uid.
    public var incidents: [String: Incident] = [:]
    public init() {}
}

/// One incident that changed between two digests.
public struct ChangedIncident: Hashable, Sendable, CustomStringConvertible {
    public var uid: String
    public var id: IncidentID
    public var title: String
    /// New to this clone.
    public var isNew: Bool
    /// How many entries came in.
    public var entries: Int
    /// Who wrote them (for a new incident, who opened it first).
    public var authors: [String]

    public var description: String {
        let who = authors.isEmpty ? "" : " from " + authors.joined(separator: ", ")
        if isNew {
            return "\(id) opened" + (authors.first.map { " by \($0)" } ?? "") + ": \(title)"
        }
        return "\(id): \(entries) \(entries == 1 ? "entry" : "entries")\(who)"
    }
}

/// An incident given a new number because another incident held its claim.
public struct Renumbering: Hashable, Sendable, CustomStringConvertible {
    public var uid: String
    public var from: IncidentID
    public var to: IncidentID
    public var description: String { "\(from) renumbered \(to)" }
}

extension Store {
    /// Runs `body` holding the store's write lock: `irctl sync` merges, settles and commits under
    /// it so that irctl writers in other terminals wait rather than race. Store methods that take
    /// the lock themselves (`create`, `update`, `reindex`) must not be called inside.
    public func withLock<T>(_ body: () throws -> T) throws -> T {
        try FileSystem.makeDirectory(root)
        return try lock.withLock(body)
    }

    /// The incidents and their entry counts, from the cache where current.
    /// The digest of the incidents `uids` name alone (those on disk), each read by itself: what
    /// a merge changed costs what it brought.
    public func entryDigest(of uids: Set<String>) -> StoreDigest {
        var digest = StoreDigest()
        for uid in uids {
            guard let incident = try? load(uid: uid) else { continue }
            let summary = IncidentSummary(incident)
            digest.incidents[uid] = .init(
                id: summary.id, title: summary.title,
                entryCount: summary.entryCount)
        }
        return digest
    }

    public func entryDigest() -> StoreDigest {
        var digest = StoreDigest()
        for summary in summaries().summaries {
            digest.incidents[summary.uid] = .init(
                id: summary.id, title: summary.title, entryCount: summary.entryCount)
        }
        return digest
    }

    /// What came in between two digests: new incidents, and entries that arrived on known ones
    /// (their authors read from the incidents that changed, and only those).
    public func changes(from old: StoreDigest, to new: StoreDigest) -> [ChangedIncident] {
        let own =
            (try? FileSystem.read(localDirectory + "/replica", limit: 256, what: "a replica id"))
            .flatMap { $0 }
            .map {
                String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            }
        var changes: [ChangedIncident] = []
        for (uid, now) in new.incidents {
            let before = old.incidents[uid]
            let count = now.entryCount - (before?.entryCount ?? 0)
            guard count > 0 else { continue }
            var authors: [String] = []
            if let incident = try? load(uid: uid) {
                if before == nil {
                    authors = incident.timeline.first.map { [$0.author] } ?? []
                } else {
                    // The newest entries from other clones are the ones that came in.
                    let theirs = incident.timeline.filter { $0.replica != own }.sorted {
                        $0.recordedAt < $1.recordedAt
                    }.suffix(count)
                    for author in theirs.map(\.author) where !authors.contains(author) {
                        authors.append(author)
                    }
                }
            }
            changes.append(
                ChangedIncident(
                    uid: uid, id: now.id, title: now.title, isNew: before == nil, entries: count,
                    authors: authors))
        }
        return changes.sorted { $0.id < $1.id }
    }

    /// Settles numbers claimed by more than one incident. The claim published first keeps the
    /// number: `publicationOrder` tells, for the colliding incidents, when each was first seen on
    /// the shared remote (absent: never published); claims published alike, or both unpublished,
    /// are decided as every clone decides them (the earlier claim, then its hash). Each other
    /// claimant that is on disk here gets the next free number, recorded as an entry of this
    /// clone (the old number stays an alias). `hidden` are incidents the committed tree holds but
    /// the disk does not (a sparse checkout): they keep their numbers and are never renumbered
    /// here. Call it holding the lock (`withLock`).
    /// `cacheIsCurrent`: the caller brought the cache up to date under the lock it still holds
    /// (`refreshCacheHoldingLock`), so when the cache has no number claimed twice there is
    /// nothing to settle, without a look at every incident.
    public func settleClaims(
        context: EditContext, hidden: [Incident] = [], cacheIsCurrent: Bool = false,
        publicationOrder: (Set<String>) throws -> [String: Int]
    ) throws -> [Renumbering] {
        if cacheIsCurrent, hidden.isEmpty, let bytes = readIndex(),
            let index = SummaryIndex.compact(bytes),
            index.claimsUnique
        {
            return []
        }
        let view = scan()
        var items = Array(view.items.values)
        var unseen = Set<String>()
        for incident in hidden where view.items[incident.uid] == nil {
            let summary = IncidentSummary(incident)
            items.append(
                .init(
                    uid: incident.uid, claim: summary.claim.number,
                    claimedAt: Int64(summary.claimedAt.timeIntervalSince1970.rounded(.down)),
                    claimHash: summary.claimHash, aliases: summary.aliases.map(\.number),
                    closed: !summary.isOpen, summary: summary, head: nil, sources: "", files: "",
                    format1: []))
            unseen.insert(incident.uid)
        }
        var groups: [Int: [StoreView.Item]] = [:]
        for item in items { groups[item.claim, default: []].append(item) }
        let colliding = groups.values.filter { $0.count > 1 }
        guard !colliding.isEmpty else { return [] }
        let order = try publicationOrder(Set(colliding.joined().map(\.uid)))
        func earlier(_ a: StoreView.Item, _ b: StoreView.Item) -> Bool {
            let pa = order[a.uid] ?? Int.max
            let pb = order[b.uid] ?? Int.max
            if pa != pb { return pa < pb }
            if a.claimedAt != b.claimedAt { return a.claimedAt < b.claimedAt }
            if a.claimHash != b.claimHash {
                return a.claimHash.utf8.lexicographicallyPrecedes(b.claimHash.utf8)
            }
            return a.uid < b.uid
        }
        var losers: [StoreView.Item] = []
        var winnerPublished = Set<String>()
        for group in colliding {
            let sorted = group.sorted(by: earlier)
            let lost = sorted.dropFirst().filter { !unseen.contains($0.uid) }
            if order[sorted[0].uid] != nil { winnerPublished.formUnion(lost.map(\.uid)) }
            losers += lost
        }
        guard !losers.isEmpty else { return [] }
        losers.sort { $0.claim != $1.claim ? $0.claim < $1.claim : earlier($0, $1) }
        var next =
            max(items.map { max($0.claim, $0.aliases.max() ?? 0) }.max() ?? 0, highestHandedOut())
            + 1
        let replica = try replicaID()
        var moved: [Renumbering] = []
        for item in losers {
            guard let from = IncidentID(number: item.claim), let to = IncidentID(number: next)
            else { continue }
            let loaded = try read(uid: item.uid, format1: item.format1)
            var incident = loaded.incident
            incident = incident.writing(as: replica)
            _ = continueAfterOwnHead(&incident)
            let reason =
                winnerPublished.contains(item.uid)
                ? "\(from) was published first by another incident"
                : "\(from) was claimed first by another incident"
            incident.renumber(to: to, reason: reason, context: context)
            try writeOwnEntries(of: incident, files: loaded.files)
            try recordOwnHead(of: incident)
            try recordHighest(next)
            moved.append(Renumbering(uid: item.uid, from: from, to: to))
            next += 1
        }
        _ = try? reindexLocked()
        return moved
    }

    /// Makes the store ready to live in a git repository: its `.gitignore`, format-1 files
    /// converted, every directory and file private. Returns warnings for what could not be done.
    /// Call it holding the lock (`withLock`).
    public func prepareForGit() throws -> [String] {
        try prepareForGit(checkedOutAt: nil)
    }

    /// The same, given the commit git last checked the store out at: when every file was made
    /// private at that very commit already, only the store's own directories are looked at (git
    /// checks files out only when the commit moves; irctl makes what it writes private itself),
    /// so a sync with nothing to exchange does not stat every file of the store.
    ///
    /// `movedFrom` and `changed`: git moved the store from that commit (a merge), writing only the
    /// files `changed` (absolute paths); when every file was private at `movedFrom`, only those
    /// are made private, so a sync that brings k incidents looks at k, not at every file.
    public func prepareForGit(
        checkedOutAt commit: String?, movedFrom: String? = nil,
        changed: [String] = []
    ) throws -> [String] {
        try FileSystem.makeDirectory(root)
        let moved = movePrivateState()
        let warnings = try prepareFilesForGit(
            checkedOutAt: commit, movedFrom: movedFrom,
            changed: changed)
        return moved + warnings
    }

    private func prepareFilesForGit(
        checkedOutAt commit: String?, movedFrom: String?,
        changed: [String]
    ) throws -> [String] {
        try FileSystem.makeDirectory(incidentsDirectory)
        try writeGitignore()
        try convertFormat1Files()
        let marker = localDirectory + "/private-at"
        let recorded = (try? FileSystem.read(marker, limit: 256, what: "local state")).flatMap {
            $0
        }
        .map { String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) }
        if let commit, recorded == commit { return tightenPermissions() }
        if let commit, let movedFrom, recorded == movedFrom {
            var warnings = tightenPermissions()
            var directories = Set<String>()
            for path in changed {
                var st = stat()
                if lstat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, st.st_mode & 0o077 != 0,
                    chmod(path, 0o600) != 0
                {
                    warnings.append("could not make \(path) private")
                }
                directories.insert(FileSystem.parentDirectory(of: path))
            }
            for directory in directories where directory.hasPrefix(incidentsDirectory + "/") {
                var st = stat()
                if lstat(directory, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR,
                    st.st_mode & 0o077 != 0,
                    chmod(directory, 0o700) != 0
                {
                    warnings.append("could not make \(directory) private")
                }
            }
            if warnings.isEmpty { notePrivate(at: commit) }
            return warnings
        }
        let warnings = tightenAll()
        if let commit, warnings.isEmpty { notePrivate(at: commit) }
        return warnings
    }

    /// Records that every file of the store is private as of `commit` (irctl's own commits of the
    /// store change no file's mode).
    public func notePrivate(at commit: String) {
        try? FileSystem.makeDirectory(localDirectory)
        _ = try? FileSystem.replace(
            directory: localDirectory, name: "private-at", with: Array((commit + "\n").utf8),
            durable: false)
    }

    /// True when the store lies inside a git work tree (a `.git` in it or above it).
    public var isInGitWorkTree: Bool {
        var path = root
        while !path.isEmpty {
            if FileSystem.exists(path + "/.git") { return true }
            let parent = FileSystem.parentDirectory(of: path)
            if parent == path || parent.isEmpty { break }
            path = parent
        }
        return FileSystem.exists("/.git")
    }
}
