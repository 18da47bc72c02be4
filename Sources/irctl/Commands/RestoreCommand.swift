import IncidentKit

/// `irctl restore [INCIDENT]`: entries a commit removed, back from git history.
enum RestoreCommand {
    static let command = Command(
        name: "restore", summary: "bring back entries that a git commit removed from the store",
        arguments: [.optional("INCIDENT", .incident)],
        discussion: """
            irctl never removes an entry, but git can: a 'git revert' of a commit that added
            entries, a reset, a hand edit or a bad merge. sync and verify name such commits and the
            entries they removed; restore looks through the history of the current branch for every
            entry a commit removed that the store lacks now, and writes it back with the same bytes
            and the same hash (a file git deleted comes back as it was; a file that lost entries
            gets them back beside the ones it holds). Then 'irctl sync' shares them. With INCIDENT,
            only that incident's entries come back. Entries git never committed (work lost before
            any commit) cannot be found this way. The store must be in a git work tree.
            """,
        examples: ["irctl restore", "irctl restore INC-7", "irctl restore --json"],
        run: run)

    static func run(_ invocation: Invocation) throws -> Int32 {
        try invocation.expectPositionals(atMost: 1)
        let store = invocation.store
        var uid: String?
        if let text = invocation.positionals.first {
            uid = try store.resolve(try invocation.incidentID(text))
        }
        guard
            let restored = try StoreHistory.restore(
                store: store, environment: invocation.system.environment,
                uid: uid)
        else {
            throw RestoreError.notInGit(store: store.root)
        }
        let numbers = Dictionary(
            store.summaries().summaries.map { ($0.uid, $0.id) }, uniquingKeysWith: { a, _ in a })
        if invocation.json {
            struct Item: Encodable {
                var id: String?
                var uid: String
                var entries: Int
                var files: [String]
            }
            try invocation.printJSON(
                restored.map {
                    Item(
                        id: numbers[$0.uid]?.description, uid: $0.uid, entries: $0.entries,
                        files: $0.files)
                })
        } else if restored.isEmpty {
            invocation.output.line(
                "nothing to restore: every entry git history shows removed is in the store")
        } else {
            for item in restored {
                let name = numbers[item.uid]?.description ?? item.uid
                invocation.output.line(
                    "\(name): restored \(item.entries) \(item.entries == 1 ? "entry" : "entries") "
                        + "from git history; run 'irctl sync' to share "
                        + "\(item.entries == 1 ? "it" : "them")"
                )
            }
        }
        return ExitCode.success
    }
}

enum RestoreError: DescribedError {
    case notInGit(store: String)

    var message: String {
        switch self {
        case .notInGit(let store):
            "restore brings entries back from git history, and the store at \(store) is not in a "
                + "git work tree; "
                + "restore its files from a backup instead"
        }
    }
}
