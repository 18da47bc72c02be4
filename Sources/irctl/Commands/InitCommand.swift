import IncidentKit

enum InitCommand {
    static let command = Command(
        name: "init", summary: "create a store (.irctl/) in the current directory",
        discussion: """
            Creates .irctl/ here (or the directory given by --dir) with config.json and incidents/,
            private to you (0700). Commit it to share incidents through git; its .gitignore keeps
            the local lock and cache out. irctl finds it from any directory below this one.
            Running it again on an existing store changes nothing.

            Inside a git work tree, init also prepares the store for 'irctl sync' (its .gitignore
            keeps local state out, files private) and says so. It never commits: run 'irctl sync'
            (which commits only the store) or commit .irctl/ yourself when you are ready to share
            it.

            In a git work tree init also installs git hooks (post-merge, post-rewrite, pre-push)
            that keep incident numbers the remote has shown from moving when you share with plain
            'git pull' and 'git push' (see 'irctl help git-hook'). git never copies hooks into a
            clone, so every teammate runs 'irctl init' once in their clone. A hook you already had
            is kept as <name>.irctl-chained and still runs; running init again updates irctl's part
            only.
            """,
        run: { invocation in
            try invocation.expectPositionals(atMost: 0)
            let given =
                try invocation.arguments.value("dir").map {
                    try StoreLocation.resolve(
                        option: $0, environment: [:],
                        workingDirectory: invocation.system.workingDirectory,
                        directoryExists: { _ in false }
                    ).path
                }
                ?? (invocation.system.workingDirectory == "/"
                    ? "" : invocation.system.workingDirectory) + "/.irctl"
            let path = try StoreLocation(path: given, source: .option).validated(
                environment: invocation.system.environment
            ).path
            let store = Store(root: path, lockTimeout: invocation.store.lockTimeout)
            let created = try store.initialize()
            // In a team repository: ready for `irctl sync`, but nothing is committed behind the
            // user's back.
            let workTree = StoreSync.workTree(
                containing: path, environment: invocation.system.environment)
            var hooks: [GitHooks.Installed] = []
            if workTree != nil {
                for warning in try store.withLock({ try store.prepareForGit() }) {
                    invocation.output.warning(warning)
                }
                // Plain git pull and push keep published numbers only with these hooks.
                hooks =
                    try GitHooks.install(
                        store: store, irctl: invocation.system.executablePath ?? "irctl",
                        environment: invocation.system.environment) ?? []
            }
            let committed = workTree.map { _ in
                StoreSync.committed(store: path, environment: invocation.system.environment)
            }
            if invocation.json {
                struct Result: Encodable {
                    var path: String
                    var created: Bool
                    var gitWorkTree: String?
                    var hooks: [String]
                    var committed: String?
                }
                try invocation.printJSON(
                    Result(
                        path: path, created: created, gitWorkTree: workTree,
                        hooks: hooks.map(\.path), committed: committed?.rawValue))
            } else {
                invocation.output.line(
                    created
                        ? "Initialized an incident store in \(path)"
                        : "An incident store already exists in \(path); nothing changed")
                if let workTree, let committed {
                    invocation.output.line(readyLine(workTree: workTree, committed: committed))
                }
                if !hooks.isEmpty {
                    invocation.output.line(
                        "Installed git hooks (\(GitHooks.names.joined(separator: ", "))) that keep "
                            + "published incident numbers from moving under plain git pull and push"
                    )
                    for hook in hooks {
                        if let chained = hook.chained {
                            invocation.output.line(
                                "Your \(hook.path) is kept as \(chained) and still runs after "
                                    + "irctl's part"
                            )
                        }
                    }
                }
            }
            // IRCTL_DIR wins over a discovered .irctl/: say so, or the new store would seem to be
            // ignored.
            if invocation.arguments.value("dir") == nil,
                let env = invocation.system.environment["IRCTL_DIR"], !env.isEmpty
            {
                invocation.output.warning(
                    "IRCTL_DIR is set (\(env)) and takes precedence over \(path); unset it to use "
                        + "this store"
                )
            }
            return ExitCode.success
        })
}

extension InitCommand {
    /// What `irctl init` says of a store in a git work tree: ready for sync, and whether git
    /// already has it (a teammate's clone) or nothing was committed yet.
    static func readyLine(workTree: String, committed: StoreSync.Committed) -> String {
        let ready = "It is in the git work tree \(workTree) and ready for 'irctl sync', which "
        let changes = ready + "commits the store's changes (and only them) and shares them; "
        switch committed {
        case .no:
            return ready + "commits the store (and only it) and shares it; "
                + "nothing was committed yet"
        case .withChanges:
            return changes + "the store is committed there, with changes not committed yet"
        case .yes:
            return changes + "the store is already committed there, as it is now"
        }
    }
}

enum ReindexCommand {
    static let command = Command(
        name: "reindex", summary: "rebuild the store's cache from the incident files",
        discussion: """
            The cache (cache/ in the store) only speeds up list and stats; irctl checks it against
            the incident files on every read and repairs it on every write. Rebuilding it is never
            needed for correctness; use this after restoring a store from a backup to make the next
            list fast. It never follows a symbolic link in the store, and names any it finds. The
            search index (see 'irctl search') is made anew too.
            """,
        run: { invocation in
            try invocation.expectPositionals(atMost: 0)
            let count = try invocation.store.reindex()
            // What it skipped (a symbolic link, an unreadable file) is said, as list says it.
            invocation.warn(invocation.store.summaries().problems)
            invocation.store.reindexSearch()
            if invocation.json {
                try invocation.printJSON(["incidents": count])
            } else {
                invocation.output.line("Indexed \(count) incident\(count == 1 ? "" : "s")")
            }
            return ExitCode.success
        })
}
