import Foundation
import Glibc

/// The git work tree a store lives in, as sync sees it: where the store sits in it, the branch,
/// the remote and its branch, and the few git operations sync is made of.
struct Repository {
    /// Runs in the top directory of the work tree.
    var git: Git
    var top: String
    /// The repository's git directory (absolute).
    var gitDirectory = ""
    /// The store's directory relative to `top` ("." when the store is the whole work tree).
    var storePath: String
    var branch: String
    /// The remote to sync with: the branch's upstream remote, else `origin`, else the only one.
    var remote: String?
    /// The branch on the remote: the upstream's, else the same name as ours.
    var remoteBranch: String
    /// True when the branch has an upstream configured (else the first push sets it).
    var hasUpstream: Bool
    /// True when the branch has no commit yet (a repository just made with `git init`).
    var isUnborn = false

    var trackingRef: String { "refs/remotes/\(remote ?? "origin")/\(remoteBranch)" }
    var incidentsPath: String { storePath == "." ? "incidents" : storePath + "/incidents" }

    /// Finds the work tree holding `store` and checks that sync can run in it.
    /// `forHook`: run from a git hook, in the middle of what git is doing (a rebase, a push from
    /// a detached HEAD), so nothing in progress is refused.
    static func locate(
        store: Store, environment: [String: String], forHook: Bool = false
    ) throws -> Repository {
        var git = Git(directory: store.root, environment: environment)
        // One git process for the facts of the work tree: a no-op sync should cost little.
        let facts = try git.attempt([
            "rev-parse", "--is-inside-work-tree", "--show-toplevel", "--show-prefix",
            "--absolute-git-dir",
        ])
        let lines = facts.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(
            String.init)
        guard facts.succeeded, lines.count >= 4, lines[0] == "true" else {
            throw SyncError.notInWorkTree(store: store.root)
        }
        let top = lines[1]
        let prefix = lines[2]
        let gitDirectory = lines[3]
        let storePath =
            prefix.isEmpty
            ? "." : String(prefix.hasSuffix("/") ? prefix.dropLast() : Substring(prefix))
        git.directory = top

        for (file, operation) in forHook
            ? []
            : [
                ("MERGE_HEAD", "merge"), ("CHERRY_PICK_HEAD", "cherry-pick"),
                ("REVERT_HEAD", "revert"),
                ("rebase-merge", "rebase"), ("rebase-apply", "rebase"),
            ]
        where FileSystem.exists(gitDirectory + "/" + file) {
            throw SyncError.operationInProgress(operation, repository: top)
        }
        let symbolic = try git.attempt(["symbolic-ref", "-q", "--short", "HEAD"])
        guard forHook || (symbolic.succeeded && !symbolic.output.isEmpty) else {
            throw SyncError.detachedHead(repository: top)
        }
        let branch = symbolic.succeeded ? symbolic.output : "HEAD"

        // The branch's commit and upstream, if any: "<commit>\0<remote>\0<refs/heads/…>"; no line
        // at all when the branch has no commit yet.
        let format = "--format=%(objectname)%00%(upstream:remotename)%00%(upstream:remoteref)"
        let fields = try git.run(["for-each-ref", format, "refs/heads/" + branch])
            .output.split(separator: "\0", omittingEmptySubsequences: false).map(String.init)
        let upstream = Array(fields.dropFirst())
        let remotes = try git.run(["remote"]).lines
        var remote: String?
        var remoteBranch = branch
        var hasUpstream = false
        if upstream.count == 2, remotes.contains(upstream[0]), upstream[1].hasPrefix("refs/heads/")
        {
            remote = upstream[0]
            remoteBranch = String(upstream[1].dropFirst("refs/heads/".count))
            hasUpstream = true
        } else if remotes.contains("origin") {
            remote = "origin"
        } else if remotes.count == 1 {
            remote = remotes[0]
        }
        return Repository(
            git: git, top: top, gitDirectory: gitDirectory, storePath: storePath,
            branch: branch, remote: remote, remoteBranch: remoteBranch,
            hasUpstream: hasUpstream, isUnborn: fields.count < 3)
    }

    /// Throws unless git has a name and an email to commit with. git would otherwise guess them
    /// from the host (a commit the team cannot attribute) or fail midway, after staging.
    func checkIdentity() throws {
        for role in ["GIT_AUTHOR_IDENT", "GIT_COMMITTER_IDENT"] {
            let known = try git.attempt(["-c", "user.useConfigOnly=true", "var", role])
            if known.succeeded { continue }
            // Which of the two to set: those neither configured nor given in the environment.
            var missing: [String] = []
            for (key, variable) in [("user.name", "NAME"), ("user.email", "EMAIL")] {
                let prefix = role == "GIT_AUTHOR_IDENT" ? "GIT_AUTHOR_" : "GIT_COMMITTER_"
                let configured = try git.attempt(["config", "--get", key])
                if !(configured.succeeded && !configured.output.isEmpty),
                    git.environment[prefix + variable]?.isEmpty ?? true
                {
                    missing.append(key)
                }
            }
            if missing.isEmpty { missing = ["user.name", "user.email"] }
            throw SyncError.noIdentity(missing: missing, repository: top)
        }
    }

    /// Before the first push (no upstream yet), which branch of the remote to sync with: one of
    /// the branch's own name if the remote has it; else, for a branch with no commit yet or a
    /// remote with no branch at all, the remote's default branch (what `git clone` checks out),
    /// so that a repository made with `git init` on `master` publishes where teammates' clones
    /// look, say `main`. Asks the remote; when it cannot be reached, keeps the branch's name.
    mutating func chooseRemoteBranch() throws {
        guard !hasUpstream, let remote else { return }
        let listed = try git.attempt(Self.networkOptions + ["ls-remote", "--symref", remote])
        guard listed.succeeded else { return }
        var heads: Set<String> = []
        var defaultBranch: String?
        for line in listed.lines {
            let parts = line.split(separator: "\t", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            if parts[0].hasPrefix("ref: refs/heads/"), parts[1] == "HEAD" {
                defaultBranch = String(parts[0].dropFirst("ref: refs/heads/".count))
            } else if parts[1].hasPrefix("refs/heads/") {
                heads.insert(String(parts[1].dropFirst("refs/heads/".count)))
            }
        }
        if heads.contains(branch) { return }
        if heads.isEmpty { defaultBranch = try unbornDefaultBranch(of: remote) }
        if let defaultBranch, isUnborn || heads.isEmpty { remoteBranch = defaultBranch }
    }

    /// The branch an empty remote's HEAD names. `ls-remote` does not show an unborn HEAD; a clone
    /// of the empty remote (nothing to transfer) learns it the way `git clone` does.
    func unbornDefaultBranch(of remote: String) throws -> String? {
        let url = try git.attempt(["remote", "get-url", remote])
        guard url.succeeded, !url.output.isEmpty else { return nil }
        let pattern = FileManager.default.temporaryDirectory.path + "/irctl-remote-XXXXXX"
        var template = Array(pattern.utf8CString)
        guard let made = mkdtemp(&template) else { return nil }
        let directory = String(cString: made)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let probe = directory + "/probe"
        let clone = ["clone", "--quiet", "--bare", "--no-tags", url.output, probe]
        let cloned = try git.attempt(Self.networkOptions + clone)
        guard cloned.succeeded else { return nil }
        let head = try Git(directory: probe, environment: git.environment)
            .attempt(["symbolic-ref", "-q", "HEAD"])
        guard head.succeeded, head.output.hasPrefix("refs/heads/") else { return nil }
        return String(head.output.dropFirst("refs/heads/".count))
    }

    /// Options for the network commands: give up on a stalled HTTP transfer rather than hang.
    static let networkOptions = ["-c", "http.lowSpeedLimit=1000", "-c", "http.lowSpeedTime=30"]

    // MARK: Committing the store, and only the store

    /// Stages every change under the store and commits those paths alone (other staged or modified
    /// files of the repository stay as they are), with a subject naming what changed. Returns the
    /// subject, or nil when the store had nothing to commit.
    /// Incidents in `quiet` are left out of the subject (the notes already say what happened to
    /// them).
    func commitStore(store: Store, notes: [String] = [], quiet: Set<String> = []) throws -> String?
    {
        // Staging and committing change git's index and no file: a cache trusted before is
        // trusted after (`renewQuietHoldingLock`).
        let trusted = store.quietStampHoldingLock()
        var current: String?
        if let written = store.filesWrittenSinceGitLooked() {
            try stageStore(written: written)
            current = store.renewQuietHoldingLock(since: trusted)
        } else {
            try stageStore(written: nil)
            current = store.noteFullyStagedHoldingLock(since: trusted)
        }
        defer { store.renewQuietHoldingLock(since: current) }
        let staged = try git.attempt(["diff", "--cached", "--quiet", "--", storePath])
        if staged.status == 0 { return nil }
        guard staged.status == 1 else {
            throw GitError.failed(
                arguments: ["diff", "--cached"], status: staged.status,
                message: Git.message(of: staged))
        }
        let head = try resolve("HEAD")
        let changes: [ChangedIncident]
        if let counts = try changedEntryCounts(diff: ["--cached"], old: head, store: store) {
            changes = namedChanges(counts, store: store, leaving: quiet)
        } else {
            let changed = incidentUIDs(
                in: try paths(["diff", "--cached", "--name-only", "-z", "--", incidentsPath]))
            let before = try CommittedStore(git: git, storePath: storePath).withStore(
                at: head, uids: changed
            ) { $0.entryDigest() }
            changes = store.entryDigest().counts(since: before, among: changed.subtracting(quiet))
        }
        // Changes to production are files of their own, added and never modified.
        let recorded = try paths([
            "diff", "--cached", "--name-only", "-z", "--diff-filter=A", "--",
            storeSubpath("changes"),
        ]).count
        let notes =
            recorded == 0 ? notes : notes + ["record \(recorded) change\(recorded == 1 ? "" : "s")"]
        let subject = CommitSubject.make(changes: changes, notes: notes)
        let body = CommitSubject.body(changes: changes, notes: notes).map { "\n\n" + $0 } ?? ""
        // The message on stdin: its body lists every incident, which on the command line would
        // pass the kernel's limit on one argument (128 KiB) in a first sync of a big store.
        // `commit -- path` builds a second index from HEAD and looks at every file of the store
        // again (half a second at 10,000 incidents); when nothing but the store is staged, a
        // plain commit takes the same changes.
        let others = try git.attempt(
            ["diff", "--cached", "--quiet", "--", ".", ":(exclude)" + storePath])
        let only = others.status == 0 ? [] : ["--", storePath]
        try git.run(
            ["commit", "--quiet", "--no-edit", "--file=-"] + only,
            input: Array((subject + body + "\n").utf8))
        return subject
    }

    /// The path of `name` inside the store, relative to `top`.
    func storeSubpath(_ name: String) -> String { storePath == "." ? name : storePath + "/" + name }

    /// Stages the store's changes. Incident files are staged by name (`-f`): a `.gitignore` rule
    /// a teammate pushed (`incidents/*/*.json`) must not keep this clone's entries from being
    /// shared while sync says there is nothing to exchange. What git may not have: the lock, and
    /// an older irctl's `local/` and `cache/`, whatever a `.gitignore` says.
    /// `written`: the incident files irctl wrote since git last wrote its index, when that is
    /// all that can have changed in `incidents/`; those alone are staged then, in batches.
    func stageStore(written: [String]?) throws {
        // One `git add` (a look at `incidents/` stats all 20,000 files of a big store): the
        // store's shared files by name, as the store's directory lists them, and `incidents/`,
        // where temporary files (`.name.tmp`) and editors' backups are not the store's.
        let shared = FileSystem.list(top + "/" + storePath).map(\.name).filter { name in
            !["incidents", "lock", "local", "cache"].contains(name) && !name.hasSuffix("~")
                && (!name.hasPrefix(".") || name == ".gitignore" || name == ".gitattributes")
        }.sorted().map(storeSubpath)
        // A change being written (`.name.tmp`) is not one yet.
        let changes = storeSubpath("changes")
        let notChanges =
            shared.contains(changes)
            ? [":(exclude,glob)\(changes)/**/.*", ":(exclude,glob)\(changes)/**/*~"] : []
        guard let written else {
            try git.run(
                ["add", "-A", "-f", "--", incidentsPath] + shared
                    + [
                        ":(exclude,glob)\(incidentsPath)/**/.*",
                        ":(exclude,glob)\(incidentsPath)/**/*~",
                    ] + notChanges)
            return
        }
        let files = written.map { incidentsPath + "/" + $0 }
            .filter { FileSystem.exists(top + "/" + $0) }
        for start in stride(from: 0, to: max(files.count, 1), by: 500) {
            let batch = Array(files[start..<min(start + 500, files.count)])
            guard !(batch + shared).isEmpty else { break }
            try git.run(
                ["add", "-A", "-f", "--"] + (start == 0 ? shared + notChanges : []) + batch)
        }
    }

    /// Notices for an older irctl's `local/` or `cache/` in the store that git tracks: someone
    /// committed it. Costs a git process only when such a directory is there.
    func trackedPrivateState(store: Store) throws -> [String] {
        guard store.privateDirectory != nil, store.hasStoreStateDirectory else { return [] }
        let tracked = try paths([
            "ls-files", "-z", "--", storeSubpath("local"),
            storeSubpath("cache"),
        ])
        var notices: [String] = []
        for name in ["local", "cache"]
        where tracked.contains(where: { $0.hasPrefix(storeSubpath(name) + "/") }) {
            let own = name == "local" ? store.localDirectory : store.cacheDirectory
            notices.append(Store.trackedNotice(storeSubpath(name), privateDirectory: own))
        }
        return notices
    }

    /// The store's shared configuration files among `changed` (absolute paths git changed from
    /// `old` to `new`), with the top-level keys of `config.json` that differ.
    func sharedConfigurationChanges(
        from old: String, to new: String, changed: [String]
    ) throws
        -> [SharedConfigurationChange]
    {
        var result: [SharedConfigurationChange] = []
        for name in ["config.json", ".gitignore", ".gitattributes"] {
            let path = storeSubpath(name)
            guard changed.contains(top + "/" + path) else { continue }
            var keys: [String] = []
            if name == "config.json" {
                let before = try settings(at: old, path: path)
                let after = try settings(at: new, path: path)
                keys = Set(before.keys).union(after.keys).filter { before[$0] != after[$0] }
                    .sorted()
            }
            result.append(SharedConfigurationChange(file: name, keys: keys))
        }
        return result
    }

    /// The top-level settings of a `config.json` as committed (none when absent or not an object).
    private func settings(at commit: String, path: String) throws -> [String: JSONValue] {
        let blob = try git.attempt(["cat-file", "blob", commit + ":" + path])
        guard blob.succeeded, case .object(let object)? = try? JSONParser.parse(blob.stdoutBytes)
        else { return [:] }
        return object
    }

    // MARK: Merging

    /// Merges `commit` (the fetched upstream, shown as `name`) into the branch with a merge commit.
    /// Returns the format-1 files whose modify/delete conflict it resolved by keeping the edit.
    /// On any other conflict, or any failure midway, the merge is undone before the error is
    /// thrown. `--ff` overrides a `merge.ff = only` setting, which would refuse any real merge.
    func merge(_ commit: String, named name: String) throws -> [String] {
        // The store is committed by now, so anything staged is someone else's work in progress.
        let staged = try paths(["diff", "--cached", "--name-only", "-z"])
        if !staged.isEmpty { throw SyncError.stagedOutsideStore(files: staged, upstream: name) }
        let result = try git.attempt([
            "merge", "--no-edit", "--no-stat", "--quiet", "--ff", "-m",
            "Merge remote-tracking branch '\(name)'", commit,
        ])
        if result.succeeded { return [] }
        guard try mergeInProgress() else {
            throw SyncError.mergeRefused(upstream: name, reason: Git.message(of: result))
        }
        do {
            let stages = try unmergedStages()
            let conflicted = stages.keys.sorted()
            let outside = conflicted.filter { !isInStore($0) }
            if !outside.isEmpty {
                throw SyncError.conflictOutsideStore(
                    files: outside, upstream: name, repository: top)
            }
            var keep: [(path: String, side: String)] = []
            for path in conflicted {
                let present = stages[path] ?? []
                // modify/delete: the common ancestor and exactly one side. Keep that side's edit.
                guard isFormat1File(path), present.contains(1),
                    present.contains(2) != present.contains(3)
                else {
                    throw SyncError.conflictInStore(files: conflicted, upstream: name)
                }
                keep.append((path, present.contains(2) ? "--ours" : "--theirs"))
            }
            for (path, side) in keep {
                try git.run(["checkout", side, "--", path])
                try git.run(["add", "--", path])
            }
            try git.run(["commit", "--quiet", "--no-edit"])
            return keep.map(\.path)
        } catch {
            abortMerge()
            throw error
        }
    }

    func mergeInProgress() throws -> Bool {
        try git.attempt(["rev-parse", "-q", "--verify", "MERGE_HEAD"]).succeeded
    }

    /// Undoes a merge under way; falls back to `reset --merge` if `merge --abort` fails.
    func abortMerge() {
        guard (try? mergeInProgress()) ?? true else { return }
        if (try? git.attempt(["merge", "--abort"]))?.succeeded != true {
            _ = try? git.attempt(["reset", "--merge"])
        }
    }

    /// Unmerged paths and the stages (1 base, 2 ours, 3 theirs) present for each.
    func unmergedStages() throws -> [String: Set<Int>] {
        var stages: [String: Set<Int>] = [:]
        for record in try paths(["ls-files", "-u", "-z"]) {
            // "<mode> <object> <stage>\t<path>"
            guard let tab = record.firstIndex(of: "\t") else { continue }
            let fields = record[..<tab].split(separator: " ")
            guard fields.count == 3, let stage = Int(fields[2]) else { continue }
            stages[String(record[record.index(after: tab)...]), default: []].insert(stage)
        }
        return stages
    }

    func isInStore(_ path: String) -> Bool {
        storePath == "." || path == storePath || path.hasPrefix(storePath + "/")
    }

    /// `<store>/incidents/INC-<n>.json`, the one-file-per-incident layout of format 1.
    func isFormat1File(_ path: String) -> Bool {
        path.hasPrefix(incidentsPath + "/")
            && Self.isFormat1Name(path.dropFirst(incidentsPath.count + 1))
    }

    static func isFormat1Name(_ name: Substring) -> Bool {
        guard name.hasPrefix("INC-"), name.hasSuffix(".json") else { return false }
        let digits = name.dropFirst(4).dropLast(5)
        return !digits.isEmpty && !digits.hasPrefix("0")
            && digits.allSatisfy { $0.isASCII && $0.isNumber }
    }

    // MARK: What the remote has

    /// The uids of the incidents in the store at `commit` (the fetched upstream): the published
    /// ones.
    func publishedIncidents(at commit: String?) throws -> Set<String> {
        guard let commit else { return [] }
        let listed = try git.attempt([
            "ls-tree", "-d", "--name-only", "-z", commit + ":" + incidentsPath,
        ])
        guard listed.succeeded else { return [] }  // no store there yet
        return Set(
            listed.stdoutBytes.split(separator: 0).map {
                String(decoding: $0, as: UTF8.self)
            })
    }

    /// The incident directories among `names` that `commit` holds, asked of git for those alone
    /// (in batches: no argument list grows with what changed).
    func publishedIncidents(at commit: String, among names: [String]) throws -> Set<String> {
        var found = Set<String>()
        let prefix = incidentsPath + "/"
        for start in stride(from: 0, to: names.count, by: 500) {
            let batch = names[start..<min(start + 500, names.count)].map { prefix + $0 }
            let listed = try git.attempt(
                ["ls-tree", "-d", "--name-only", "-z", commit, "--"] + batch)
            guard listed.succeeded else { return [] }  // no store there yet
            for path in listed.stdoutBytes.split(separator: 0) {
                let name = String(decoding: path, as: UTF8.self)
                if name.hasPrefix(prefix) { found.insert(String(name.dropFirst(prefix.count))) }
            }
        }
        return found
    }

    /// When each of `uids` was first seen on the remote, as an order: the position, oldest first,
    /// of the first state of the remote this clone fetched (the remote-tracking ref's reflog, then
    /// `tracking`) that held the incident. The remote only moves forward, so an incident seen
    /// there while another was not was published first, and every clone that saw both states
    /// agrees. Incidents the remote never held are left out: they are unpublished.
    func publicationOrder(of uids: Set<String>, tracking: String?) throws -> [String: Int] {
        guard let tracking, !uids.isEmpty else { return [:] }
        let logged = try git.attempt(["reflog", "show", "--format=%H", trackingRef, "--"])
        var states: [String] = []
        var seen = Set<String>()
        for state in (logged.succeeded ? logged.lines.reversed() : []) + [tracking]
        where seen.insert(state).inserted {
            states.append(state)
        }
        let ordered = uids.sorted()
        // One batch question: does state s hold the incident's directory?
        let request = states.flatMap { state in
            ordered.map { state + ":" + incidentsPath + "/" + Store.directoryName($0) + "\n" }
        }.joined()
        let answers = try git.run(["cat-file", "--batch-check"], input: Array(request.utf8)).lines
        var order: [String: Int] = [:]
        for (k, answer) in answers.enumerated()
        where k < states.count * ordered.count && !answer.hasSuffix(" missing") {
            let uid = ordered[k % ordered.count]
            if order[uid] == nil { order[uid] = k / ordered.count }
        }
        return order
    }

    /// The incidents `commit` holds that are not on disk here (a sparse checkout hides them), as
    /// the commit has them: they hold their numbers all the same.
    func hiddenIncidents(at commit: String?, store: Store) throws -> [Incident] {
        // Only a sparse checkout leaves committed incidents off the disk.
        guard let commit, FileSystem.exists(gitDirectory + "/info/sparse-checkout") else {
            return []
        }
        let committed = try publishedIncidents(at: commit)
        let hidden = committed.filter { !FileSystem.exists(store.incidentsDirectory + "/" + $0) }
        guard !hidden.isEmpty else { return [] }
        return try CommittedStore(git: git, storePath: storePath).withStore(
            at: commit, uids: hidden
        ) { copy in
            hidden.compactMap { try? copy.read(directoryName: $0).incident }
        }
    }

    /// What `head` adds over `tracking` (nil: the remote has no branch yet), per incident.
    func outgoing(from tracking: String?, to head: String, store: Store) throws -> [ChangedIncident]
    {
        guard let tracking else {
            // A first push sends everything: the store itself tells what (HEAD is what it just
            // committed), without copying every incident out of git.
            let everything = try publishedIncidents(at: head)
            return store.entryDigest().counts(since: StoreDigest(), among: everything)
        }
        if let counts = try changedEntryCounts(diff: [tracking, head], old: tracking, store: store)
        {
            return namedChanges(counts, store: store)
        }
        let changed = incidentUIDs(
            in: try paths(["diff", "--name-only", "-z", tracking, head, "--", incidentsPath]))
        guard !changed.isEmpty else { return [] }
        let committed = CommittedStore(git: git, storePath: storePath)
        let before = try committed.withStore(at: tracking, uids: changed) { $0.entryDigest() }
        return try committed.withStore(at: head, uids: changed) {
            $0.entryDigest().counts(since: before)
        }
    }

    // MARK: Small queries

    /// The commit `ref` names, or nil when there is none (an unborn branch, a remote branch not
    /// fetched).
    func resolve(_ ref: String) throws -> String? {
        let result = try git.attempt(["rev-parse", "-q", "--verify", ref + "^{commit}"])
        return result.succeeded ? result.output : nil
    }

    func isAncestor(_ ancestor: String, of commit: String) throws -> Bool {
        guard try resolve(commit) != nil else { return false }
        let result = try git.attempt(["merge-base", "--is-ancestor", ancestor, commit])
        switch result.status {
        case 0: return true
        case 1: return false
        default:
            throw GitError.failed(
                arguments: ["merge-base", "--is-ancestor"], status: result.status,
                message: Git.message(of: result))
        }
    }

    /// A git command's NUL-separated output.
    func paths(_ arguments: [String]) throws -> [String] {
        try git.run(arguments).stdout.split(separator: "\0").map(String.init)
    }

    /// The incident directories (uids) that `paths` fall in.
    func incidentUIDs(in paths: [String]) -> Set<String> {
        Set(
            paths.compactMap { path in
                guard path.hasPrefix(incidentsPath + "/") else { return nil }
                let components = path.dropFirst(incidentsPath.count + 1).split(separator: "/")
                return components.count >= 2 ? String(components[0]) : nil
            })
    }

    /// git could not find the remote branch: the remote is empty or has another default branch.
    static func isMissingRemoteBranch(_ result: Git.Result) -> Bool {
        result.stderr.contains("couldn't find remote ref")
    }

    /// The push lost a race with someone else's: fetch, merge and push again.
    static func isRejection(_ result: Git.Result) -> Bool {
        let text = result.stderr + result.stdout
        if text.contains("[rejected]") || text.contains("Updates were rejected") { return true }
        return text.contains("[remote rejected]")
            && (text.contains("cannot lock ref") || text.contains("incorrect old value")
                || text.contains("failed to update ref"))
    }
}
