/// Why the store could not do what was asked (exit 1).
public enum StoreError: DescribedError, Hashable, Sendable {
    case incidentNotFound(IncidentID, store: String)
    case noIncidentWithUID(String, store: String)
    case ambiguousUID(String, matches: [String])
    case corruptIncident(path: String, reason: String)
    case newerSchema(path: String, version: Int, supported: Int)
    case symlinkRefused(path: String)
    case tooLarge(path: String, limit: Int, what: String)
    case lockTimeout(path: String, seconds: Double, holder: LockHolder?)
    case io(path: String, operation: String, reason: String)
    case badConfig(path: String, reason: String)
    case noSpace(path: String)
    case notRegularFile(path: String, kind: String)
    case writeTooLarge(IncidentID, path: String, size: Int, limit: Int)

    public var message: String {
        switch self {
        case .incidentNotFound(let id, let store):
            "no incident \(id) in the store at \(store); run 'irctl list --all' to see the "
                + "incidents there"
        case .noIncidentWithUID(let uid, let store):
            "no incident with uid \(uid) in the store at \(store); run 'irctl list --all' to see "
                + "the incidents there"
        case .ambiguousUID(let prefix, let matches):
            "'\(prefix)' is the start of several incidents' uids "
                + "(\(matches.prefix(4).joined(separator: ", "))); give more of the uid"
        case .corruptIncident(let path, let reason):
            "\(path) is not a valid incident file (\(reason)); it was left untouched: fix it by "
                + "hand or restore it (for example 'git checkout -- \(path)')"
        case .newerSchema(let path, let version, let supported):
            "\(path) has schema version \(version) but this irctl understands up to \(supported); "
                + "upgrade irctl to change it (reading still works)"
        case .symlinkRefused(let path):
            "\(path) is a symbolic link; irctl refuses to follow links inside the store: replace "
                + "it with the real file"
        case .tooLarge(let path, let limit, let what):
            "\(path) is larger than \(limit / (1024 * 1024)) MiB; it is not \(what) irctl wrote"
        case .lockTimeout(let path, let seconds, let holder):
            "the store is locked by "
                + (holder.map { "process \($0.pid)" + ($0.command.map { " (\($0))" } ?? "") }
                    ?? "another process (irctl can't tell which: the kernel did not say)")
                + "; gave up after \(seconds.formatted1)s waiting for \(path). Retry when it is "
                + "done (or raise IRCTL_LOCK_TIMEOUT); the lock is released automatically when "
                + "that process ends"
        case .io(let path, let operation, let reason):
            "could not \(operation) \(path): \(reason)"
        case .badConfig(let path, let reason):
            "\(path) is not a valid store configuration (\(reason)); fix the file or remove it to "
                + "use the defaults"
        case .notRegularFile(let path, let kind):
            "\(path) is \(kind), not a regular file; irctl reads only regular files in the store: "
                + "move it away"
        case .writeTooLarge(let id, let path, let size, let limit):
            "this change would make \(path) \(size / (1024 * 1024)) MiB, over the "
                + "\(limit / (1024 * 1024)) MiB a store file may hold; nothing was written. Keep "
                + "large output elsewhere and link it (irctl link \(id) URL)"
        case .noSpace(let path):
            "no space left on the device while writing \(path); the previous version is intact. "
                + "Free some space and retry"
        }
    }
}

extension Double {
    var formatted1: String {
        let tenths = (self * 10).rounded()
        return tenths.truncatingRemainder(dividingBy: 10) == 0
            ? String(Int(tenths / 10)) : String(tenths / 10)
    }
}
