import Glibc

/// Writes a document outside the store (`postmortem -o FILE`) the way the store writes its own
/// files: atomically, so a reader or a crash never sees half a postmortem.
public enum ExportFile {
    /// Creates or replaces the file at `path`, and any missing parent directories. A replaced file
    /// keeps its permissions; a new one gets the usual 0666 minus the umask, as a shell redirect
    /// would.
    public static func write(_ bytes: [UInt8], to path: String) throws(StoreError) {
        try write(bytes, to: path, outsideOf: nil)
    }

    /// Same, refusing a `path` inside `storeRoot`: whatever its spelling (`..`, a relative path, a
    /// symbolic link to or inside the store), a document must never replace a store file such as an
    /// incident or `config.json`.
    public static func write(
        _ bytes: [UInt8], to path: String, outsideOf storeRoot: String?
    ) throws(StoreError) {
        if let storeRoot, isInside(path, storeRoot) {
            throw .io(
                path: path, operation: "write",
                reason: "it is inside the store (\(StoreLocation.canonical(storeRoot))), "
                    + "whose files only irctl writes; write the postmortem somewhere else, such as "
                    + "docs/postmortems/"
            )
        }
        guard !path.isEmpty, !path.hasSuffix("/") else {
            throw .io(
                path: path, operation: "write",
                reason: "it names a directory; give a file name such as postmortem.md")
        }
        var st = stat()
        var mode: mode_t?
        if stat(path, &st) == 0 {
            guard (st.st_mode & S_IFMT) != S_IFDIR else {
                throw .io(
                    path: path, operation: "write",
                    reason:
                        "it is a directory; give a file name inside it, such as "
                        + "\(path)/postmortem.md"
                )
            }
            mode = st.st_mode & 0o7777
        }
        let parent = FileSystem.parentDirectory(of: path)
        let directory = parent.isEmpty ? "." : parent
        let name =
            parent.isEmpty ? path : String(path.dropFirst(parent == "/" ? 1 : parent.count + 1))
        // Missing parent folders are created (`-o postmortems/INC-1.md` in a fresh checkout), as
        // `mkdir -p` would, with the usual 0777 minus the umask.
        var prefix = directory.hasPrefix("/") ? "/" : ""
        for component in directory.split(separator: "/") {
            prefix += (prefix.isEmpty || prefix.hasSuffix("/") ? "" : "/") + component
            var st = stat()
            if stat(prefix, &st) == 0 {
                guard (st.st_mode & S_IFMT) == S_IFDIR else {
                    throw .io(
                        path: path, operation: "write",
                        reason: "\(prefix) is a file, not a directory")
                }
                continue
            }
            guard mkdir(prefix, 0o777) == 0 || errno == EEXIST else {
                throw .io(
                    path: path, operation: "write",
                    reason: "could not create the directory \(prefix): "
                        + String(cString: strerror(errno)))
            }
        }
        try FileSystem.replace(directory: directory, name: name, with: bytes)
        if mode == nil {
            let mask = umask(0o022)
            umask(mask)
            mode = 0o666 & ~mask
        }
        chmod(path, mode!)
    }

    /// Whether `path` (absolute, or relative to the working directory) is `root` or below it, once
    /// both have every link, `.` and `..` resolved.
    public static func isInside(_ path: String, _ root: String) -> Bool {
        var absolute = path
        if !path.hasPrefix("/") {
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            guard getcwd(&buffer, buffer.count) != nil else { return true }  // can't tell: refuse
            let length = buffer.firstIndex(of: 0) ?? buffer.count
            absolute =
                String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
                + "/" + path
        }
        let target = StoreLocation.canonical(absolute)
        let store = StoreLocation.canonical(root)
        return target == store || target.hasPrefix(store == "/" ? "/" : store + "/")
    }
}
