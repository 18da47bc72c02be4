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

    /// The first that applies: `--dir`, `IRCTL_DIR`, the nearest `.irctl/` walking up from the
    /// working directory, the per-user default under `$XDG_DATA_HOME/irctl` (`~/.local/share/irctl`).
    public static func resolve(option: String?, environment: [String: String], workingDirectory: String,
                               directoryExists: (String) -> Bool) -> StoreLocation {
        if let option, !option.isEmpty { return StoreLocation(path: absolute(option, from: workingDirectory), source: .option) }
        if let env = environment["IRCTL_DIR"], !env.isEmpty {
            return StoreLocation(path: absolute(env, from: workingDirectory), source: .environment)
        }
        var directory = workingDirectory
        while true {
            let candidate = (directory == "/" ? "" : directory) + "/.irctl"
            if directoryExists(candidate) { return StoreLocation(path: candidate, source: .discovered) }
            let parent = FileSystem.parentDirectory(of: directory)
            if parent.isEmpty || parent == directory { break }
            directory = parent
        }
        let data: String
        if let xdg = environment["XDG_DATA_HOME"], xdg.hasPrefix("/") { data = xdg }
        else { data = (environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp") + "/.local/share" }
        return StoreLocation(path: data + "/irctl", source: .userDefault)
    }

    static func absolute(_ path: String, from base: String) -> String {
        var path = path.hasPrefix("/") ? path : (base == "/" ? "" : base) + "/" + path
        while path.count > 1, path.hasSuffix("/") { path.removeLast() }
        return path
    }
}
