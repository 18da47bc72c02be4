import Glibc

/// Checks that a store is private to its owner, cheaply enough to run on every command.
///
/// irctl creates directories 0700 and files 0600 whatever the umask, but a store can arrive by
/// `git clone`, `cp -r` or `tar x` with the umask's looser modes. Only the root and `incidents/`
/// are looked at (two `stat` calls): a store whose directories are private keeps its files
/// private to other users too, and statting every file would make `list` cost grow with the store.
extension Store {
    /// A warning saying how to make the store private, or nil when it is (or does not exist yet).
    public func privacyWarning() -> String? {
        var loose: [(path: String, mode: mode_t)] = []
        for path in [root, incidentsDirectory] {
            var st = stat()
            // stat, not lstat: a store root reached through a link is judged by what it points to.
            guard stat(path, &st) == 0 else { continue }
            let mode = st.st_mode & 0o777
            if mode & 0o077 != 0 { loose.append((path, mode)) }
        }
        guard !loose.isEmpty else { return nil }
        let shown = loose.map { "\($0.path) is mode \(Self.octal($0.mode))" }.joined(
            separator: ", ")
        // Closing the directories is enough: nothing inside can be reached through a 0700
        // directory. Never a recursive chmod: a store pointed at a shared directory (`--dir ~`)
        // must not be told to lock up everything below it.
        return "the store is readable or writable by other users (\(shown)); "
            + "make it private with: chmod go-rwx "
            + loose.map { ShellQuote.quote($0.path) }.joined(separator: " ")
    }

    static func octal(_ mode: mode_t) -> String {
        let digits = String(mode, radix: 8)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
