import Glibc

/// Why irctl won't use the store it was pointed at, or found.
public enum StoreLocationError: DescribedError, Hashable, Sendable {
    /// `--dir ''`.
    case emptyOption
    /// The store would be `/` itself.
    case rootDirectory(source: StoreLocation.Source)
    /// A `.irctl/` found walking up from the working directory belongs to another user.
    case notOwned(path: String, owner: uid_t, user: uid_t)
    /// `incidents/` is a symbolic link.
    case symlinkedIncidents(path: String)

    public var isUsageError: Bool {
        switch self {
        case .emptyOption, .rootDirectory: true
        case .notOwned, .symlinkedIncidents: false
        }
    }

    public var message: String {
        switch self {
        case .emptyOption:
            "--dir is empty; give the store's directory (for example --dir ./.irctl), or leave "
                + "--dir out to use the usual one"
        case .rootDirectory(let source):
            "the root directory / can't be a store (from \(source.rawValue)); give a directory of "
                + "its own, such as /srv/incidents/.irctl"
        case .notOwned(let path, let owner, let user):
            "the store \(path), found above the working directory, belongs to another user (uid "
                + "\(owner), you are uid \(user)); "
                + "irctl won't use a store someone else may have planted. If you trust it, allow "
                + "it with "
                + "\(StoreLocation.safeDirectoriesVariable)=\(path) (paths separated by ':'), or "
                + "name it with --dir"
        case .symlinkedIncidents(let path):
            "\(path) is a symbolic link; irctl refuses to follow links inside the store: move the "
                + "real directory there, or point --dir at the store it belongs to"
        }
    }
}
