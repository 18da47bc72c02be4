/// What one `irctl sync` did: what came in, what went out, what was renumbered, and what could not
/// be done (network, authentication) while the local work stayed committed.
public struct SyncReport: Sendable, Hashable {
    /// The branch synced, and the remote and its branch (nil without a remote).
    public var branch: String
    public var remote: String?
    public var upstream: String?
    /// Subjects of the commits sync made (local work, a merge, claims settled, a conversion).
    public var commits: [String] = []
    /// Incidents that gained entries from others, or arrived.
    public var incoming: [ChangedIncident] = []
    /// Incidents whose entries the remote did not have before this sync (pushed, or committed
    /// locally and waiting for a push when `pushed` is false); without a remote, what this sync
    /// committed.
    public var outgoing: [ChangedIncident] = []
    /// Claims that collided and moved to another number.
    public var renumbered: [Renumbering] = []
    /// Action items whose numbers collided and moved to another number.
    public var renumberedItems: [ActionItemRenumbering] = []
    /// Format-1 files an older irctl pushed, converted again.
    public var converted: [String] = []
    /// True when this sync pushed, and the push succeeded.
    public var pushed = false
    /// True when the remote has everything this clone has: pushed now, or nothing to push.
    public var upToDate = false
    /// Push attempts made (a rejected push is retried after merging again).
    public var attempts = 0
    /// Entries that commits coming in or going out removed from the store (a revert, a reset).
    public var removed: [EntryRemoval] = []
    /// Files of the store's shared configuration that came in changed, with the top-level keys
    /// of `config.json` that differ.
    public var sharedConfiguration: [SharedConfigurationChange] = []
    /// What could not be done; the local work is committed regardless.
    public var warnings: [String] = []

    public init(branch: String, remote: String?, upstream: String?) {
        self.branch = branch
        self.remote = remote
        self.upstream = upstream
    }

    /// Adds changes to shared configuration, merging those of a file already named.
    mutating func note(_ changes: [SharedConfigurationChange]) {
        for change in changes {
            if let index = sharedConfiguration.firstIndex(where: { $0.file == change.file }) {
                let keys = Set(sharedConfiguration[index].keys + change.keys)
                sharedConfiguration[index].keys = keys.sorted()
            } else {
                sharedConfiguration.append(change)
            }
        }
    }

    /// Adds warnings not given yet (a retried push prepares the store again).
    mutating func note(_ new: [String]) {
        for warning in new where !warnings.contains(warning) { warnings.append(warning) }
    }

    /// True when nothing came in, nothing went out and nothing moved.
    public var isQuiet: Bool {
        incoming.isEmpty && outgoing.isEmpty && renumbered.isEmpty && renumberedItems.isEmpty
            && converted.isEmpty && sharedConfiguration.isEmpty
    }
}

/// A file of the store's shared configuration (`config.json`, `.gitignore`, `.gitattributes`)
/// that a sync brought in changed: anyone who can push can change it, so sync names it.
public struct SharedConfigurationChange: Sendable, Hashable {
    /// The file's name in the store.
    public var file: String
    /// For `config.json`: the top-level settings that differ (`updates`, `severities` …).
    public var keys: [String]
}
