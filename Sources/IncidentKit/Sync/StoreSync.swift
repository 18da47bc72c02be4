import Foundation
import Glibc

/// `irctl sync`: exchanges the store's entries with the team through the git repository the store
/// lives in, and says what came in and what went out.
///
/// 1. Fetch the upstream branch (outside the store lock: the network may be slow).
/// 2. Under the lock, commit the store's own paths (never another file of the repository) with a
///    subject that says what changed.
/// 3. Under the lock, merge the upstream (a merge commit, never a rebase). Store files cannot
///    conflict in format 2; the one expected exception, an older teammate's edit of a format-1 file
///    this clone converted, is resolved by keeping the edit and converting it again. Any other
///    conflict undoes the merge and names the files: the repository is never left in the middle of
/// a merge.
/// 4. Under the lock, settle id claims against what the upstream has published, and commit that.
/// 5. Push; when the push is rejected because someone pushed meanwhile, go back to 1, a few times.
///
/// Fetch and push failures (offline, authentication) are warnings in the report: the local work
/// is committed, and the next sync picks up from there.
public struct StoreSync: Sendable {
    public var store: Store
    /// The environment git runs in (its `PATH`, `HOME`, SSH agent …).
    public var environment: [String: String]
    /// Who settles claims (a renumbering is an entry) and when.
    public var context: EditContext
    /// False for `--no-push`: commit and merge, but publish nothing.
    public var push: Bool
    /// Push attempts before giving up when others keep pushing.
    public var maxAttempts = 5

    public init(
        store: Store, environment: [String: String], context: EditContext, push: Bool = true
    ) {
        self.store = store
        self.environment = environment
        self.context = context
        self.push = push
    }

    public func run() throws -> SyncReport {
        guard FileSystem.exists(store.root) else { throw SyncError.noStore(path: store.root) }
        // The hooks irctl installs stand aside while sync merges, settles and pushes itself (they
        // would wait for the lock sync holds).
        var environment = environment
        environment[GitHooks.syncRunning] = "1"
        var repository = try Repository.locate(store: store, environment: environment)
        // Everything sync needs is checked before anything is staged: a sync that stops midway
        // would leave the store staged or half committed.
        try repository.checkIdentity()
        try repository.chooseRemoteBranch()
        let git = repository.git
        var report = SyncReport(
            branch: repository.branch, remote: repository.remote,
            upstream: repository.remote.map { $0 + "/" + repository.remoteBranch })

        guard let remote = repository.remote else {
            try store.withLock {
                report.note(try store.prepareForGit())
                let before = try repository.resolve("HEAD")
                if let subject = try repository.commitStore(store: store) {
                    report.commits.append(subject)
                    if let head = try repository.resolve("HEAD") {
                        report.outgoing = try repository.outgoing(
                            from: before, to: head,
                            store: store)
                    }
                }
            }
            report.warnings.append(
                "the repository has no remote to sync with; add one with "
                    + "'git remote add origin URL' and run 'irctl sync' again "
                    + "to share the store")
            return report
        }
        let upstream = remote + "/" + repository.remoteBranch

        // What came in is measured from before the first merge (a retried push merges again).
        // Only the incidents a merge changes are looked at (`sampled`; nil: all of them).
        var beforeMerging: (digest: StoreDigest, sampled: Set<String>?)?
        // Removed entries are looked for in what came in and what goes out since these.
        let headBefore = try repository.resolve("HEAD")
        let trackingBefore = try repository.resolve(repository.trackingRef)
        // git's index identity under which the cache was last known current.
        var cacheCurrent: String?
        for attempt in 1...maxAttempts {
            // The network part, outside the lock.
            var offline = false
            let fetched = try git.attempt(
                Repository.networkOptions + [
                    "fetch", "--quiet", "--no-tags", remote,
                    "+refs/heads/\(repository.remoteBranch):\(repository.trackingRef)",
                ])
            if !fetched.succeeded && !Repository.isMissingRemoteBranch(fetched) {
                offline = true
                report.warnings.append(
                    "could not fetch from \(remote) (\(Git.message(of: fetched))); your work is "
                        + "committed "
                        + "locally. Fix the connection or the credentials and run 'irctl sync' "
                        + "again"
                )
            }
            let tracking = try repository.resolve(repository.trackingRef)
            if attempt == 1, repository.isUnborn, tracking != nil {
                throw SyncError.unbornBranch(
                    branch: repository.branch, upstream: upstream,
                    repository: repository.top)
            }

            // Merge, settle and commit under the lock, so that irctl writers in other terminals
            // wait rather than race.
            try store.withLock {
                // .gitignore, format-1 files converted, permissions tightened; then the local work
                // is committed (even when offline), so the merge starts from a clean store.
                if attempt == 1 {
                    cacheCurrent = store.quietStampHoldingLock()
                    report.note(
                        try store.prepareForGit(checkedOutAt: try repository.resolve("HEAD")))
                    report.note(try repository.trackedPrivateState(store: store))
                }
                if let subject = try repository.commitStore(store: store) {
                    report.commits.append(subject)
                }
                // Staging and committing changed git's index, not the files (commitStore carried
                // the cache's trust across).
                cacheCurrent = store.quietStampHoldingLock()
                var notes: [String] = []
                var merged = false
                var converting = false
                if let tracking, try !repository.isAncestor(tracking, of: "HEAD") {
                    merged = true
                    let preMerge = try repository.resolve("HEAD")
                    var before = beforeMerging ?? (StoreDigest(), [])
                    if let preMerge, let sampled = before.sampled {
                        let arriving = repository.incidentUIDs(
                            in: try repository.paths(
                                [
                                    "diff", "--name-only", "-z", preMerge, tracking, "--",
                                    repository.incidentsPath,
                                ])
                        ).subtracting(sampled)
                        if arriving.allSatisfy({ Store.directoryName($0) == $0 }) {
                            let digest = store.entryDigest(of: arriving)
                            before.digest.incidents.merge(digest.incidents) { old, _ in old }
                            before.sampled = sampled.union(arriving)
                        } else {
                            before = (store.entryDigest(), nil)
                        }
                    } else if before.sampled != nil {
                        before = (store.entryDigest(), nil)
                    }
                    beforeMerging = before
                    let resolved = try repository.merge(tracking, named: upstream)
                    // git checked the merged files out with the umask's modes, and an older
                    // teammate's format-1 edit may have come back: tighten what git wrote, and
                    // convert it again.
                    let merge = try repository.resolve("HEAD")
                    // An older teammate's format-1 file converted below is a change to commit.
                    converting = !FileSystem.format1Names(store.incidentsDirectory).isEmpty
                    let changed =
                        preMerge == nil || merge == nil
                        ? []
                        : try repository.paths(
                            [
                                "diff", "--name-only", "-z", preMerge!, merge!, "--",
                                repository.storePath,
                            ]
                        ).map { repository.top + "/" + $0 }
                    report.note(
                        try store.prepareForGit(
                            checkedOutAt: merge, movedFrom: preMerge, changed: changed))
                    if let preMerge, let merge {
                        report.note(
                            try repository.sharedConfigurationChanges(
                                from: preMerge, to: merge, changed: changed))
                    }
                    cacheCurrent = store.refreshCacheHoldingLock(
                        changed: changed, since: cacheCurrent)
                    // What came in, before this clone writes anything of its own.
                    let after =
                        before.sampled.map { store.entryDigest(of: $0) }
                        ?? store.entryDigest()
                    report.incoming = store.changes(from: before.digest, to: after)
                    report.converted += resolved
                    if !resolved.isEmpty {
                        notes.append(
                            "convert \(resolved.count) format-1 "
                                + "file\(resolved.count == 1 ? "" : "s") again"
                        )
                    }
                }
                // Nothing came in, HEAD is what the remote published, and the cache knows no number
                // claimed twice (a teammate without hooks can publish two claims of one): there is
                // no claim to settle, and no need to look at every incident.
                let headNow = try repository.resolve("HEAD")
                let published =
                    !merged && tracking != nil && headNow == tracking
                    && store.claimsKnownUnique()
                if !published, !merged { cacheCurrent = store.refreshCacheHoldingLock() }
                var moved: [Renumbering] = []
                if !published {
                    let hidden = try repository.hiddenIncidents(
                        at: try repository.resolve("HEAD"), store: store)
                    moved = try store.settleClaims(
                        context: context, hidden: hidden, cacheIsCurrent: true
                    ) { try repository.publicationOrder(of: $0, tracking: tracking) }
                }
                report.renumbered += moved
                if !moved.isEmpty {
                    // Until claims are settled a colliding incident shows a provisional number:
                    // name what came in by the number it has now.
                    let settled = store.entryDigest()
                    report.incoming = report.incoming.map { change in
                        var change = change
                        change.id = settled.incidents[change.uid]?.id ?? change.id
                        return change
                    }
                }
                // Action item numbers settle the same way, in the incidents that hold work the
                // remote lacks.
                let movedItems = try store.settleActionItems(
                    in: try repository.incidentsChanged(since: tracking),
                    published: { try repository.publishedActionItems(at: tracking, uids: $0) },
                    context: context)
                report.renumberedItems += movedItems
                notes =
                    moved.map { "renumber \($0.from) as \($0.to)" }
                    + movedItems.map { "renumber \($0.incident) \($0.from) as \($0.to)" } + notes
                // The renumbering entries are what the notes say: not listed again as "+1 entry".
                // After a plain merge nothing is left to commit (git committed what it merged).
                let quiet = Set(moved.map(\.uid) + movedItems.map(\.uid))
                if converting || !report.converted.isEmpty || !moved.isEmpty || !movedItems.isEmpty,
                    let subject = try repository.commitStore(
                        store: store, notes: notes, quiet: quiet)
                {
                    report.commits.append(subject)
                }
                cacheCurrent = store.quietStampHoldingLock()
                if attempt == 1 || merged {
                    let head = try repository.resolve("HEAD")
                    var removed = try repository.removals(from: headBefore, to: head, store: store)
                    for removal in try repository.removals(
                        from: trackingBefore, to: head, store: store)
                    where !removed.contains(where: {
                        $0.file == removal.file && $0.commit == removal.commit
                    }) {
                        removed.append(removal)
                    }
                    report.removed = removed
                }
                // Every file was made private above, and committing changes no mode: the next sync
                // at this commit need not look at every file again.
                if report.warnings.isEmpty, let head = try repository.resolve("HEAD") {
                    store.notePrivate(at: head)
                }
                // Only git's index changed since (commits): the next command need not look at
                // every incident again.
                store.renewQuietHoldingLock(since: cacheCurrent)
            }

            let head = try repository.resolve("HEAD")
            guard let head, head != tracking else {
                report.outgoing = []
                report.upToDate = head != nil && !offline
                return report
            }
            // Counted from the files as committed, which the lock keeps as they are.
            report.outgoing = try store.withLock {
                try repository.outgoing(from: tracking, to: head, store: store)
            }
            guard push, !offline else { return report }

            report.attempts = attempt
            var arguments = Repository.networkOptions + ["push", "--quiet"]
            if !repository.hasUpstream { arguments.append("--set-upstream") }
            arguments += [
                remote, "refs/heads/\(repository.branch):refs/heads/\(repository.remoteBranch)",
            ]
            let pushed = try git.attempt(arguments)
            if pushed.succeeded {
                report.pushed = true
                report.upToDate = true
                return report
            }
            guard Repository.isRejection(pushed) else {
                report.warnings.append(
                    "could not push to \(remote) (\(Git.message(of: pushed))); your work is "
                        + "committed "
                        + "locally. Fix the connection or the credentials and run 'irctl sync' "
                        + "again"
                )
                return report
            }
            if attempt < maxAttempts { Self.pause(attempt: attempt) }
        }
        throw SyncError.pushKeptBeingRejected(attempts: maxAttempts, remote: remote)
    }

    /// The top of the git work tree that holds `directory`, or nil when there is none (or no git
    /// to ask): `irctl init` prepares a store there for sync.
    public static func workTree(
        containing directory: String, environment: [String: String]
    ) -> String? {
        let git = Git(directory: directory, environment: environment)
        guard let inside = try? git.attempt(["rev-parse", "--is-inside-work-tree"]),
            inside.succeeded, inside.output == "true",
            let top = try? git.attempt(["rev-parse", "--show-toplevel"]), top.succeeded
        else { return nil }
        return top.output
    }

    /// Whether git has the store committed, as `irctl init` reports it.
    public enum Committed: String, Sendable {
        /// Not in any commit yet: the next sync (or `git add`) shares it.
        case no
        /// Committed, with changes since (or files git does not track yet).
        case withChanges
        /// Committed as it is on disk (a teammate's clone of a pushed store).
        case yes
    }

    /// Whether the store at `root` (inside a git work tree) is committed, and with changes since.
    public static func committed(store root: String, environment: [String: String]) -> Committed {
        let git = Git(directory: root, environment: environment)
        // HEAD:./ is the tree of the store's directory in the commit checked out.
        let tree = try? git.attempt(["rev-parse", "-q", "--verify", "HEAD:./"])
        guard let tree, tree.succeeded else { return .no }
        let status = try? git.attempt(["status", "--porcelain", "--untracked-files=all", "--", "."])
        guard let status, status.succeeded else { return .withChanges }
        return status.stdout.isEmpty ? .yes : .withChanges
    }

    /// A short jittered pause before retrying a rejected push, so two clones racing do not collide
    /// again in lockstep.
    static func pause(attempt: Int) {
        let seconds = Double.random(in: 0.05...0.25) * Double(attempt)
        var request = timespec(
            tv_sec: Int(seconds), tv_nsec: Int((seconds - Double(Int(seconds))) * 1e9))
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
    }
}
