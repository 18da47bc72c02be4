import Foundation
import Glibc

extension Store {
    /// The store's own `local/` and `cache/`, where an older irctl kept this clone's state and the
    /// cache, and where a teammate's commit can put files.
    var storeLocalDirectory: String { root + "/local" }
    var storeCacheDirectory: String { root + "/cache" }

    /// True when the store holds a `local/` or `cache/` (two `lstat`s).
    var hasStoreStateDirectory: Bool {
        FileSystem.isDirectory(storeLocalDirectory) || FileSystem.isDirectory(storeCacheDirectory)
    }

    /// Moves the state an older irctl kept in the store's `local/` to the private directory, once,
    /// losing nothing, and drops the old `cache/` (it is rebuilt). A `local/` that git tracks came
    /// from a commit, not from this clone: it is left alone and never read, and the returned notice
    /// says so. Call it holding the lock.
    func movePrivateState() -> [String] {
        guard privateDirectory != nil, hasStoreStateDirectory else { return [] }
        let tracked = trackedStatePaths()
        var notices: [String] = []
        if FileSystem.isDirectory(storeLocalDirectory), !FileSystem.exists(localDirectory) {
            if tracked.contains("local") {
                notices.append(
                    Self.trackedNotice(
                        storeLocalDirectory,
                        privateDirectory: localDirectory))
            } else if (try? moveTree(storeLocalDirectory, to: localDirectory)) == nil {
                notices.append(
                    "could not move this clone's state from \(storeLocalDirectory) to "
                        + "\(localDirectory); move it by hand (mv) before the next command")
            }
        }
        if FileSystem.isDirectory(storeCacheDirectory), !tracked.contains("cache") {
            try? FileManager.default.removeItem(atPath: storeCacheDirectory)
        }
        return notices
    }

    /// What a committed `local/` or `cache/` in the store is: ignored, and how to remove it.
    static func trackedNotice(_ path: String, privateDirectory: String) -> String {
        "\(path) is tracked by git: someone committed it, so it is not this clone's state "
            + "and irctl ignores it (this clone's own is in \(privateDirectory)). Remove it from "
            + "the repository with 'git rm -r --cached \(path)' and commit"
    }

    /// Which of `local` and `cache` git tracks in the store (one git process, asked only while
    /// moving state). When git can't answer, nothing is taken as tracked: the state is this
    /// clone's, as an older irctl trusted it.
    private func trackedStatePaths() -> Set<String> {
        let environment = ProcessInfo.processInfo.environment
        guard
            let listed = try? Git(directory: root, environment: environment)
                .attempt(["ls-files", "-z", "--", "local", "cache"]), listed.succeeded
        else { return [] }
        var result = Set<String>()
        for path in listed.stdout.split(separator: "\0") {
            if let first = path.split(separator: "/").first { result.insert(String(first)) }
        }
        return result
    }

    /// Renames `source` to `target` (making the target's parents), or copies and then removes it
    /// when they are on different file systems.
    private func moveTree(_ source: String, to target: String) throws {
        try FileSystem.makeDirectory(FileSystem.parentDirectory(of: target))
        if rename(source, target) == 0 { return }
        guard errno == EXDEV else { throw FileSystem.ioError(source, "move") }
        try FileManager.default.copyItem(atPath: source, toPath: target)
        try FileManager.default.removeItem(atPath: source)
    }
}
