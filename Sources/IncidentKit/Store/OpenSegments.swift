import Glibc

/// Which of this clone's segments may still grow (`local/segments`).
///
/// A segment is sealed, never written again, once git may have seen it: then every history that
/// carries it carries the same bytes, and a squash merge, a cherry-pick or a stash can't make two
/// versions of one file. Whether a file was staged, committed or stashed is not cheap to ask, but
/// each of those rewrites the repository's index file; so a segment stays open only while the
/// index is the one it was started under, and the next entry after any git command that touched
/// the index starts a new segment. Outside a git repository there is no index and a replica's
/// chain of an incident stays in one file.
struct OpenSegments {
    /// The index file's identity when the segments below were started.
    var stamp: String
    /// `<incident directory>/<file name>` of each segment started under `stamp`.
    var paths: Set<String> = []

    static let outsideGit = "no-git"

    /// Reads the record, dropping it when the index changed since (every segment it names is
    /// sealed then).
    static func read(local: String, stamp: String) -> OpenSegments {
        let path = local + "/segments"
        guard
            let bytes = (try? FileSystem.read(path, limit: 4 << 20, what: "local state")).flatMap({
                $0
            })
        else { return OpenSegments(stamp: stamp) }
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n")
        guard let first = lines.first, first == "stamp " + stamp else {
            return OpenSegments(stamp: stamp)
        }
        return OpenSegments(stamp: stamp, paths: Set(lines.dropFirst().map(String.init)))
    }

    func write(local: String) throws {
        try FileSystem.makeDirectory(local)
        let text = (["stamp " + stamp] + paths.sorted()).joined(separator: "\n") + "\n"
        try FileSystem.replace(
            directory: local, name: "segments", with: Array(text.utf8), durable: false)
    }

    /// The identity of the index of the git repository that holds `root`, or `outsideGit`.
    static func stamp(root: String) -> String {
        guard let gitDirectory = gitDirectory(containing: root) else { return outsideGit }
        let index = gitDirectory + "/index"
        var st = stat()
        guard stat(index, &st) == 0 else { return gitDirectory + "|absent" }
        return
            "\(gitDirectory)|\(st.st_ino):\(st.st_size):\(st.st_mtim.tv_sec).\(st.st_mtim.tv_nsec)"
            + ":\(st.st_ctim.tv_sec).\(st.st_ctim.tv_nsec)"
    }

    /// The git directory of the work tree that holds `path`.
    static func gitDirectory(containing path: String) -> String? {
        GitPlace.containing(path)?.gitDirectory
    }
}
