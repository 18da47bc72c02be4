/// A store other than the one a teammate working in the same directory would expect.
public enum UnexpectedStore: Hashable, Sendable {
    /// The per-user store, while the working directory is inside a git work tree with no
    /// `.irctl/`: what is written there stays on this machine.
    case personalStoreInRepository(workTree: String)
    /// The store `IRCTL_DIR` names, while a team store `.irctl/` is found above the working
    /// directory: the team's incidents are elsewhere.
    case environmentOverTeamStore(teamStore: String)
}

extension StoreLocation {
    /// How a teammate would be surprised by this store, given the working directory; nil when
    /// they would not. `exists` says whether a path exists at all (`.git` is a file in a linked
    /// work tree), `directoryExists` whether it is a directory.
    public func unexpected(
        workingDirectory: String, exists: (String) -> Bool, directoryExists: (String) -> Bool
    ) -> UnexpectedStore? {
        switch source {
        case .userDefault:
            return Self.nearest(".git", from: workingDirectory, exists: exists).map {
                .personalStoreInRepository(workTree: $0)
            }
        case .environment:
            guard
                let team = Self.nearest(
                    ".irctl", from: workingDirectory, exists: directoryExists)
            else { return nil }
            let teamStore = (team == "/" ? "" : team) + "/.irctl"
            return Self.canonical(teamStore) == Self.canonical(path)
                ? nil : .environmentOverTeamStore(teamStore: teamStore)
        case .option, .discovered:
            // `--dir` is chosen for this one command; a discovered store is the team's.
            return nil
        }
    }

    /// The nearest directory, from `directory` up, that holds `name`.
    static func nearest(
        _ name: String, from directory: String, exists: (String) -> Bool
    )
        -> String?
    {
        var directory = directory
        while true {
            if exists((directory == "/" ? "" : directory) + "/" + name) { return directory }
            let parent = FileSystem.parentDirectory(of: directory)
            if parent.isEmpty || parent == directory { return nil }
            directory = parent
        }
    }
}
