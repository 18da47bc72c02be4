import Dispatch
import Foundation
import Glibc

// When the cache can be trusted without a look at every file, and what says so.
extension Store {
    /// Since the last full look at every incident, no incident was added or removed (the listing
    /// of `incidents/` is as it was) and git changed nothing (its index file is as it was: a pull,
    /// merge, checkout, reset or stash rewrites it), so only irctl changed files, and irctl keeps
    /// the cache itself. What is left to see is a hand edit: `list` looks at the incidents it
    /// shows, the open ones (their directories and files), and at no other.
    /// Outside git there is no such record of what changed, so a hand edit is looked for in the
    /// incidents `list` shows: their directories and files.
    func openRecordsCurrent(_ index: SummaryIndex.Compact) -> Bool {
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
    func noteQuiet(_ stamp: String, listed: Int64?) {
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
    func indexCurrent(_ index: SummaryIndex.Compact) -> Bool {
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
    func claimsKnownUnique() -> Bool {
        guard quietStampHoldingLock() != nil else { return false }
        let state = readState()
        return !state.collisions && state.idsAt != nil
            && state.idsAt == FileSystem.identity(cacheDirectory + "/index")?.size
    }

    /// git's index identity when the cache is trusted as `list` trusts it, else nil: for a
    /// caller holding the lock that is about to change git's index and no file.
    func quietStampHoldingLock() -> String? {
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
    func renewQuietHoldingLock(since stamp: String?) -> String? {
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
