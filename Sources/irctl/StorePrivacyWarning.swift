import IncidentKit

extension Invocation {
    /// Warns on stderr when the store's directories are open to other users, saying how to fix it.
    /// Two `stat` calls, so every command can afford it.
    func warnIfStoreIsNotPrivate() {
        if let warning = store.privacyWarning() { output.warning(warning) }
    }
}
