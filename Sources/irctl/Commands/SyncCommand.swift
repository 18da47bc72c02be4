import IncidentKit

/// `irctl sync`: commit the store, fetch, merge, settle id claims, push.
enum SyncCommand {
    static let command = Command(
        name: "sync",
        summary: "exchange incidents with the team through git (commit, fetch, merge, push)",
        discussion: """
            The store must be inside a git work tree (see 'irctl init'). sync fetches the branch's
            upstream (else origin), commits the store's changes (only the store's files, never other
            files of the repository) with a message saying what changed, merges the upstream (a
            merge commit; your history is never rebased), gives a new incident whose number a
            teammate published first the next free number (the old one stays an alias), commits
            that, and pushes. When the push is rejected because someone pushed meanwhile, it merges
            and pushes again, up to 5 times. The first push to an empty remote sets the branch's
            upstream.

            It prints one line: what came in, what was renumbered, what went out, or "nothing to
            exchange". When the remote cannot be reached (offline, authentication), it warns, keeps
            your work committed locally and exits 0: fix git's access and run sync again.

            When a commit it brings in or sends out removed entries from the store (a git revert of
            a store commit, a reset), sync warns, naming the commit and the entries; 'irctl restore'
            brings them back. While sync runs git, irctl's own git hooks stand aside.

            If files outside the store conflict, sync undoes the merge (the repository is as before,
            never left mid-merge), names the files and exits 1: merge them by hand, then sync again.
            --no-push commits and merges but publishes nothing.
            """,
        options: [
            .flag("--no-push", help: "commit and merge, but do not push")
        ],
        examples: ["irctl sync", "irctl sync --no-push", "irctl sync --json"],
        run: run)

    static func run(_ invocation: Invocation) throws -> Int32 {
        try invocation.expectPositionals(atMost: 0)
        let config = try invocation.config()
        let sync = StoreSync(
            store: invocation.store, environment: invocation.system.environment,
            context: try invocation.editContext(config: config),
            push: !invocation.arguments.flag("no-push"))
        let report = try sync.run()
        for warning in report.warnings { invocation.output.warning(warning) }
        if !report.removed.isEmpty {
            let numbers = Dictionary(
                invocation.store.summaries().summaries.map { ($0.uid, $0.id) },
                uniquingKeysWith: { a, _ in a })
            for removal in report.removed {
                let id = numbers[removal.uid].map(\.description)
                invocation.output.warning(
                    (id ?? "incident \(removal.uid.prefix(8))") + ": "
                        + removal.sentence(restore: "irctl restore" + (id.map { " " + $0 } ?? "")))
            }
        }
        if invocation.json {
            try invocation.printJSON(
                JSONReport(report, summary: summary(report, pushing: sync.push)))
        } else {
            invocation.output.line(TerminalText.sanitize(summary(report, pushing: sync.push)))
        }
        return ExitCode.success
    }

    /// At most this many incidents are named for what came in, and as many for what went out.
    static let named = 8

    /// One line: what came in, what moved, what went out.
    static func summary(_ report: SyncReport, pushing: Bool) -> String {
        var parts: [String] = []
        for change in report.incoming.prefix(named) {
            let who = change.authors.joined(separator: ", ")
            parts.append(
                change.isNew
                    ? "\(change.id) declared by \(who)"
                    : "\(change.id): \(entries(change.entries)) from \(who)")
        }
        if report.incoming.count > named {
            parts.append("and \(report.incoming.count - named) more incidents came in")
        }
        for move in report.renumbered {
            parts.append("\(move.from) renumbered \(move.to) (was a claim that collided)")
        }
        for move in report.renumberedItems {
            parts.append(
                "\(move.incident) action item \(move.from) renumbered \(move.to) "
                    + "(added at the same time as another)")
        }
        if !report.sharedConfiguration.isEmpty {
            // Anyone who can push can change these: say so, and which settings.
            let files = report.sharedConfiguration.map { change in
                let keys = change.keys.map(TerminalText.singleLine).joined(separator: ", ")
                return change.file + " changed" + (keys.isEmpty ? "" : " (" + keys + ")")
            }
            parts.append(
                "shared configuration came in: " + files.joined(separator: ", ")
                    + "; review it with 'git log -p' on those files")
        }
        if !report.converted.isEmpty {
            let count = report.converted.count
            parts.append(
                "\(count) format-1 file\(count == 1 ? "" : "s") from an older irctl converted again"
            )
        }
        if !report.outgoing.isEmpty {
            var list = report.outgoing.prefix(named).map {
                $0.isNew ? "\($0.id) declared" : "\($0.id): \(entries($0.entries))"
            }
            .joined(separator: ", ")
            if report.outgoing.count > named {
                list += " and \(report.outgoing.count - named) more"
            }
            if report.remote == nil {
                parts.append("committed locally: \(list) (no remote to push to)")
            } else if report.pushed {
                parts.append("sent " + list)
            } else if !pushing {
                parts.append("committed locally, not pushed (--no-push): " + list)
            } else {
                parts.append("committed locally, not pushed: " + list)
            }
        }
        if parts.isEmpty, report.remote == nil {
            return "nothing to commit, and no remote to exchange with"
        }
        return parts.isEmpty ? "nothing to exchange" : parts.joined(separator: "; ")
    }

    static func entries(_ count: Int) -> String { count == 1 ? "1 entry" : "\(count) entries" }

    /// `irctl sync --json`: a shape of its own, documented in the README.
    struct JSONReport: Encodable {
        struct Change: Encodable {
            var id: String
            var uid: String
            var title: String
            var declared: Bool
            var entries: Int
            var authors: [String]
            init(_ change: ChangedIncident) {
                id = change.id.description
                uid = change.uid
                title = change.title
                declared = change.isNew
                entries = change.entries
                authors = change.authors
            }
        }
        struct Move: Encodable {
            var uid: String
            var from: String
            var to: String
        }
        struct ItemMove: Encodable {
            var incident: String
            var uid: String
            var from: String
            var to: String
        }
        var summary: String
        var branch: String
        var remote: String?
        var upstream: String?
        var pushed: Bool
        var upToDate: Bool
        var attempts: Int
        var commits: [String]
        var incoming: [Change]
        var outgoing: [Change]
        var renumbered: [Move]
        var renumberedActionItems: [ItemMove]
        var converted: [String]
        var sharedConfiguration: [SharedChange]
        var removed: [Removal]
        var warnings: [String]

        /// A shared configuration file that came in changed, and its changed top-level keys.
        struct SharedChange: Encodable {
            var file: String
            var keys: [String]
        }

        /// Entries a commit coming in or going out removed from the store.
        struct Removal: Encodable {
            var uid: String
            var commit: String
            var subject: String
            var file: String
            var seqs: [Int]
        }

        init(_ report: SyncReport, summary: String) {
            self.summary = summary
            branch = report.branch
            remote = report.remote
            upstream = report.upstream
            pushed = report.pushed
            removed = report.removed.map {
                Removal(
                    uid: $0.uid, commit: $0.commit, subject: $0.subject, file: $0.file,
                    seqs: $0.entries.map(\.replicaSeq))
            }
            upToDate = report.upToDate
            attempts = report.attempts
            commits = report.commits
            incoming = report.incoming.map(Change.init)
            outgoing = report.outgoing.map(Change.init)
            renumbered = report.renumbered.map {
                Move(uid: $0.uid, from: $0.from.description, to: $0.to.description)
            }
            renumberedActionItems = report.renumberedItems.map {
                ItemMove(incident: $0.incident.description, uid: $0.uid, from: $0.from, to: $0.to)
            }
            converted = report.converted
            sharedConfiguration = report.sharedConfiguration.map {
                SharedChange(file: $0.file, keys: $0.keys)
            }
            warnings = report.warnings
        }
    }
}
