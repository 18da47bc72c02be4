import IncidentKit

extension Invocation {
    /// Warns on stderr when the store's directories are open to other users, saying how to fix it.
    /// Two `stat` calls, so every command can afford it.
    /// Not inside a git work tree: a clone checks files out with the umask's modes, and irctl makes
    /// the store private again on its next write (a warning then only if it can't).
    func warnIfStoreIsNotPrivate() {
        let store = store
        guard !store.isInGitWorkTree else { return }
        if let warning = store.privacyWarning() { output.warning(warning) }
    }
}
