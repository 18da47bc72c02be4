import Foundation
import Glibc

/// Some incidents as a commit holds them: their files are read with one `git cat-file --batch`
/// into a temporary store, which the library reads as it would any store. Sync uses it to say
/// what a commit adds over another without checking anything out.
struct CommittedStore {
    var git: Git
    /// The store's directory relative to the top of the work tree ("." when it is the top).
    var storePath: String

    /// Runs `body` with a temporary store holding the incidents `uids` as `commit` has them (none
    /// when `commit` is nil: no commit yet), and removes it afterwards.
    func withStore<T>(
        at commit: String?, uids: Set<String>, _ body: (Store) throws -> T
    ) throws -> T {
        let pattern = FileManager.default.temporaryDirectory.path + "/irctl-sync-XXXXXX"
        var template = Array(pattern.utf8CString)
        guard let made = mkdtemp(&template) else {
            throw FileSystem.ioError(pattern, "create a temporary directory")
        }
        let root = String(cString: made)
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileSystem.makeDirectory(root + "/incidents")
        guard let commit, !uids.isEmpty else { return try body(Store(root: root)) }
        let directories = uids.sorted().map { incidentsPath + "/" + $0 }
        // -z: paths as they are, never quoted (a store under a directory with non-ASCII letters).
        // ls-tree reads no pathspec file, and the directories grow with the store: a few hundred
        // per command keeps every command line far below the kernel's limits.
        var files: [String] = []
        for start in stride(from: 0, to: directories.count, by: Self.pathsPerCommand) {
            let chunk = directories[start..<min(start + Self.pathsPerCommand, directories.count)]
            let listing = ["ls-tree", "-r", "--name-only", "-z", "--full-tree", commit, "--"]
            files += try Self.split(git.run(listing + chunk))
        }
        // Format-1 files (INC-<n>.json) are incidents too, whatever their uid: a store still on
        // format 1, or an older teammate's push.
        let format1 = try Self.split(
            git.run([
                "ls-tree", "--name-only", "-z", "--full-tree", commit, "--", incidentsPath + "/",
            ]))
        files += format1.filter { Repository.isFormat1Name($0.dropFirst(incidentsPath.count + 1)) }
        let request = files.map { commit + ":" + $0 + "\n" }.joined()
        let batch =
            files.isEmpty
            ? [] : try git.run(["cat-file", "--batch"], input: Array(request.utf8)).stdoutBytes
        var offset = 0
        for file in files {
            guard let (contents, next) = Self.object(in: batch, at: offset) else { break }
            offset = next
            guard let contents else { continue }
            let relative = String(file.dropFirst(incidentsPath.count + 1))
            let components = relative.split(separator: "/")
            guard components.count == 1 || components.count == 2 else { continue }
            var directory = root + "/incidents"
            if components.count == 2 {
                directory += "/" + components[0]
                try FileSystem.makeDirectory(directory)
            }
            try FileSystem.replace(
                directory: directory, name: String(components.last!), with: contents, durable: false
            )
        }
        return try body(Store(root: root))
    }

    /// Paths given to one git command: each is the store path and a 36-character uid.
    static let pathsPerCommand = 500

    static func split(_ result: Git.Result) -> [String] {
        result.stdout.split(separator: "\0").map(String.init)
    }

    /// `<store>/incidents` relative to the top of the work tree.
    var incidentsPath: String { storePath == "." ? "incidents" : storePath + "/incidents" }

    /// One object of `cat-file --batch` output starting at `offset`: its bytes (nil when git says
    /// it is missing) and where the next one starts; nil when the output is malformed.
    static func object(in bytes: [UInt8], at offset: Int) -> (contents: [UInt8]?, next: Int)? {
        guard let newline = bytes[offset...].firstIndex(of: UInt8(ascii: "\n")) else { return nil }
        let header = String(decoding: bytes[offset..<newline], as: UTF8.self).split(separator: " ")
        if header.last == "missing" { return (nil, newline + 1) }
        guard header.count == 3, let size = Int(header[2]), newline + 1 + size <= bytes.count else {
            return nil
        }
        let start = newline + 1
        return (Array(bytes[start..<(start + size)]), start + size + 1)
    }
}
