import Glibc

/// Where the store is, and why there.
public struct StoreLocation: Hashable, Sendable {
    public enum Source: String, Hashable, Sendable {
        case option = "--dir"
        case environment = "IRCTL_DIR"
        case discovered = ".irctl/"
        case userDefault = "user default"
    }

    public var path: String
    public var source: Source

    public init(path: String, source: Source) {
        self.path = path
        self.source = source
    }

    /// The environment variable that lists discovered stores owned by someone else that may be used
    /// all the same, like git's `safe.directory`: paths separated by `:`, or `*` for any.
    public static let safeDirectoriesVariable = "IRCTL_SAFE_DIRECTORIES"

    /// The first that applies: `--dir`, `IRCTL_DIR`, the nearest `.irctl/` walking up from the
    /// working directory, the per-user default under `$XDG_DATA_HOME/irctl`
    /// (`~/.local/share/irctl`). An empty `--dir` is an error (it would silently mean the per-user
    /// store); an empty `IRCTL_DIR` counts as unset, as an empty variable conventionally does.
    public static func resolve(
        option: String?, environment: [String: String], workingDirectory: String,
        directoryExists: (String) -> Bool
    ) throws(StoreLocationError) -> StoreLocation {
        if let option {
            guard !option.isEmpty else { throw .emptyOption }
            return StoreLocation(path: absolute(option, from: workingDirectory), source: .option)
        }
        if let env = environment["IRCTL_DIR"], !env.isEmpty {
            return StoreLocation(path: absolute(env, from: workingDirectory), source: .environment)
        }
        var directory = workingDirectory
        while true {
            let candidate = (directory == "/" ? "" : directory) + "/.irctl"
            if directoryExists(candidate) {
                return StoreLocation(path: candidate, source: .discovered)
            }
            let parent = FileSystem.parentDirectory(of: directory)
            if parent.isEmpty || parent == directory { break }
            directory = parent
        }
        let data: String
        if let xdg = environment["XDG_DATA_HOME"], xdg.hasPrefix("/") {
            data = xdg
        } else {
            data =
                (environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp") + "/.local/share"
        }
        return StoreLocation(path: data + "/irctl", source: .userDefault)
    }

    /// The location as irctl will use it, checked against the file system:
    ///
    /// - a symbolic link to the store (or above it) is resolved once, here, so that every command,
    ///   reading or writing, works on the same real directory;
    /// - `/` is refused: it is no one's store, and the privacy advice would say to lock up the
    ///   system;
    /// - a store found by walking up from the working directory must belong to the current user
    ///   (root included), unless `IRCTL_SAFE_DIRECTORIES` lists it: a `.irctl/` planted by someone
    ///   else in a parent directory would otherwise receive your notes and supply your ids
    ///   (git's CVE-2022-24765). A store named by `--dir` or `IRCTL_DIR` is your explicit choice;
    /// - a symbolic link as `incidents/` is refused, for every command alike.
    public func validated(
        environment: [String: String], currentUser: uid_t = geteuid()
    ) throws(StoreLocationError) -> StoreLocation {
        let real = Self.canonical(path)
        guard real != "/" else { throw .rootDirectory(source: source) }
        if source == .discovered {
            var linkStat = stat()
            var targetStat = stat()
            if lstat(path, &linkStat) == 0, stat(path, &targetStat) == 0 {
                let foreign = [linkStat.st_uid, targetStat.st_uid].first { $0 != currentUser }
                if let foreign, !Self.isListedSafe([path, real], environment: environment) {
                    throw .notOwned(path: path, owner: foreign, user: currentUser)
                }
            }
        }
        var incidents = stat()
        if lstat(real + "/incidents", &incidents) == 0, (incidents.st_mode & S_IFMT) == S_IFLNK {
            throw .symlinkedIncidents(path: real + "/incidents")
        }
        return StoreLocation(path: real, source: source)
    }

    static func isListedSafe(_ paths: [String], environment: [String: String]) -> Bool {
        guard let list = environment[safeDirectoriesVariable] else { return false }
        let entries = list.split(separator: ":").map { entry -> String in
            var entry = String(entry)
            while entry.count > 1, entry.hasSuffix("/") { entry.removeLast() }
            return entry
        }
        return entries.contains("*")
            || entries.contains { entry in paths.contains(entry) || paths.contains(canonical(entry))
            }
    }

    /// `path` with every symbolic link, `.` and `..` resolved, as far as it exists; the part that
    /// doesn't exist yet is appended as written (with `.` and `..` folded).
    public static func canonical(_ path: String) -> String {
        var existing = path
        var missing: [String] = []
        while true {
            if let resolved = realpath(existing, nil) {
                defer { free(resolved) }
                var result = String(cString: resolved)
                for component in missing.reversed() {
                    if component == "." || component.isEmpty { continue }
                    if component == ".." {
                        result = FileSystem.parentDirectory(of: result)
                        if result.isEmpty { result = "/" }
                        continue
                    }
                    result = (result == "/" ? "" : result) + "/" + component
                }
                return result
            }
            let parent = FileSystem.parentDirectory(of: existing)
            guard !parent.isEmpty, parent != existing else { return path }
            missing.append(String(existing.dropFirst(parent == "/" ? 1 : parent.count + 1)))
            existing = parent
        }
    }

    static func absolute(_ path: String, from base: String) -> String {
        var path = path.hasPrefix("/") ? path : (base == "/" ? "" : base) + "/" + path
        while path.count > 1, path.hasSuffix("/") { path.removeLast() }
        return path
    }
}
