import Foundation
import Glibc

/// The git work tree a path lies in, found from the file system alone (no git process): the
/// nearest `.git` above the path, a directory, or a file saying `gitdir: <path>` (a linked work
/// tree, a submodule).
struct GitPlace: Hashable, Sendable {
    /// The top directory of the work tree.
    var top: String
    /// The repository's git directory: git never checks a file out into it, so nothing pushed to
    /// the team's repository can write there.
    var gitDirectory: String

    static func containing(_ path: String) -> GitPlace? {
        var directory = path
        while true {
            let candidate = directory + "/.git"
            var st = stat()
            if lstat(candidate, &st) == 0 {
                if (st.st_mode & S_IFMT) == S_IFDIR {
                    return GitPlace(top: directory, gitDirectory: candidate)
                }
                if (st.st_mode & S_IFMT) == S_IFREG,
                    let bytes = (try? FileSystem.read(candidate, limit: 4096, what: "a .git file"))
                        .flatMap({ $0 })
                {
                    let text = String(decoding: bytes, as: UTF8.self)
                        .trimmed([" ", "\n", "\r", "\t"])
                    guard text.hasPrefix("gitdir:") else { return nil }
                    let target = String(text.dropFirst(7)).trimmed([" ", "\t"])
                    let absolute = target.hasPrefix("/") ? target : directory + "/" + target
                    return GitPlace(top: directory, gitDirectory: absolute)
                }
            }
            let parent = FileSystem.parentDirectory(of: directory)
            if parent == directory || parent.isEmpty { return nil }
            directory = parent
        }
    }

    /// Where the store at `root` (inside this work tree) keeps what belongs to this clone alone:
    /// `<git directory>/irctl/<the store's path in the work tree>`, e.g. `.git/irctl/.irctl`.
    func privateDirectory(for root: String) -> String {
        var relative = root.hasPrefix(top) ? String(root.dropFirst(top.count)) : root
        while relative.hasPrefix("/") { relative.removeFirst() }
        let name =
            relative.isEmpty
            ? "store"
            : relative.replacingOccurrences(of: "%", with: "%25")
                .replacingOccurrences(of: "/", with: "%2F")
        return gitDirectory + "/irctl/" + name
    }
}

extension String {
    func trimmed(_ set: Set<Character>) -> String {
        var view = Substring(self)
        while let first = view.first, set.contains(first) { view = view.dropFirst() }
        while let last = view.last, set.contains(last) { view = view.dropLast() }
        return String(view)
    }
}
