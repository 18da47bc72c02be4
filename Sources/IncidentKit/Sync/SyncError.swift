/// Why `irctl sync` stopped (exit 1). Every case says what state the repository was left in and
/// what to do next; none leaves the repository in the middle of a merge.
public enum SyncError: DescribedError, Hashable, Sendable {
    /// The store directory does not exist yet.
    case noStore(path: String)
    /// The store is not inside a git work tree.
    case notInWorkTree(store: String)
    /// HEAD is not on a branch.
    case detachedHead(repository: String)
    /// git has no user.name or user.email to commit with (`missing` names which), and would
    /// otherwise guess or refuse midway; nothing was staged.
    case noIdentity(missing: [String], repository: String)
    /// The branch has no commit yet while the remote's branch has history: a first commit here
    /// would start a second, unrelated history. Nothing was staged.
    case unbornBranch(branch: String, upstream: String, repository: String)
    /// A merge, rebase, cherry-pick … was already under way when sync started.
    case operationInProgress(String, repository: String)
    /// Merging the upstream conflicts in files outside the store; the merge was undone.
    case conflictOutsideStore(files: [String], upstream: String, repository: String)
    /// Merging the upstream conflicts in store files in a way sync cannot resolve; the merge was
    /// undone.
    case conflictInStore(files: [String], upstream: String)
    /// Files outside the store are staged: git merges only from a clean index.
    case stagedOutsideStore(files: [String], upstream: String)
    /// git would not start the merge (local changes in the way, unrelated histories …).
    case mergeRefused(upstream: String, reason: String)
    /// Others kept pushing: every attempt was rejected.
    case pushKeptBeingRejected(attempts: Int, remote: String)
    /// Installing a git hook would lose one: both the hook and its chained copy exist.
    case hookInTheWay(path: String, chained: String)
    /// A push would publish numbers the remote already gave to other incidents.
    case pushTakesPublishedNumbers([PublishedNumberCollision])

    public var message: String {
        switch self {
        case .noStore(let path):
            "no store at \(path); run 'irctl init' in your team's repository to create one"
        case .notInWorkTree(let store):
            "the store at \(store) is not in a git work tree, so there is nothing to sync with; "
                + "keep the store in your team's repository ('irctl init' there), or make this one "
                + "a repository "
                + "('git init' in the directory that holds it, then 'git remote add origin URL')"
        case .detachedHead(let repository):
            "HEAD is detached in \(repository); check out the branch to sync "
                + "('git switch BRANCH') and run 'irctl sync' again"
        case .noIdentity(let missing, let repository):
            "git does not know who you are (no \(missing.joined(separator: " or "))), "
                + "and sync commits in your name; nothing was staged or committed in "
                + "\(repository). Set "
                + missing.map(Self.identityCommand).joined(separator: " and ")
                + " (without --global for this repository only), then run 'irctl sync' again"
        case .unbornBranch(let branch, let upstream, let repository):
            "\(branch) has no commit yet in \(repository), and \(upstream) already has "
                + "history: a first commit here would start a second, unrelated history; "
                + "nothing was staged or committed. Work in a clone of the team's repository "
                + "('git clone URL', then 'irctl init' there), or start \(branch) from "
                + "\(upstream) here ('git reset \(upstream)', then 'git restore .': your "
                + "incidents stay, the team's files are checked out) and run 'irctl sync' again"
        case .operationInProgress(let operation, let repository):
            "a \(operation) is in progress in \(repository); finish it or abort it ('git "
                + "\(operation) --abort') and run 'irctl sync' again"
        case .conflictOutsideStore(let files, let upstream, let repository):
            "merging \(upstream) conflicts in files outside the store: \(Self.list(files)); "
                + "nothing was merged and "
                + "\(repository) is as before (your incident changes are committed locally). Merge "
                + "by hand "
                + "('git merge \(upstream)', resolve, commit), then run 'irctl sync' again"
        case .conflictInStore(let files, let upstream):
            "merging \(upstream) conflicts in store files irctl did not write this way: "
                + "\(Self.list(files)); nothing was merged "
                + "(your incident changes are committed locally). Someone edited them by hand or "
                + "with another tool: "
                + "merge by hand ('git merge \(upstream)'), keeping both sides' entries, then run "
                + "'irctl verify' and 'irctl sync'"
        case .stagedOutsideStore(let files, let upstream):
            "files outside the store are staged (\(Self.list(files))), and git merges \(upstream) "
                + "only into a clean index; "
                + "nothing was merged (your incident changes are committed locally). Commit or "
                + "unstage them "
                + "('git restore --staged FILE'), then run 'irctl sync' again"
        case .mergeRefused(let upstream, let reason):
            "git would not merge \(upstream): \(reason); nothing was merged (your incident changes "
                + "are committed locally). "
                + "Commit or stash the files git names, then run 'irctl sync' again"
        case .pushKeptBeingRejected(let attempts, let remote):
            "\(remote) rejected the push \(attempts) times because others kept pushing; your work "
                + "is committed locally. "
                + "Run 'irctl sync' again"
        case .hookInTheWay(let path, let chained):
            "\(path) is not irctl's and \(chained) exists already, so installing irctl's hook "
                + "would lose one "
                + "of them; merge them by hand (or remove the one you no longer need) and run "
                + "'irctl init' again"
        case .pushTakesPublishedNumbers(let collisions):
            "refusing to push: "
                + collisions.map {
                    "\($0.id) (\($0.title)) would take \($0.id), which the remote already gave to "
                        + "\($0.holderTitle)"
                }.joined(separator: "; ")
                + ". Run 'irctl sync': it gives yours the next free number (the old one stays an "
                + "alias) and pushes"
        }
    }

    /// The command that sets `key` (user.name, user.email) for every repository.
    static func identityCommand(_ key: String) -> String {
        "'git config --global \(key) \"\(key == "user.email" ? "you@example.com" : "Your Name")\"'"
    }

    static func list(_ files: [String]) -> String {
        files.count <= 10
            ? files.joined(separator: ", ")
            : files.prefix(10).joined(separator: ", ") + " and \(files.count - 10) more"
    }
}
