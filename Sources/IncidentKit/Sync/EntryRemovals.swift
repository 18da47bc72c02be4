import Foundation

/// Entries that a commit took out of the store: a `git revert` of a store commit, a reset, a hand
/// edit or a bad merge. irctl never removes an entry, so every one is named, with the commit that
/// removed it, and `irctl restore` brings it back, same bytes, same hashes.
public struct EntryRemoval: Hashable, Sendable {
    /// The incident's uid and its directory relative to `incidents/`.
    public var uid: String
    public var directory: String
    /// The store file the entries were in, relative to `incidents/`.
    public var file: String
    /// The commit that removed them, and its subject.
    public var commit: String
    public var subject: String
    /// The entries removed, in their chain's order.
    public var entries: [TimelineEntry]
    /// The file as it was before the commit.
    var before: [UInt8]

    /// "entries 3–4 of a chain by bob ("rolled back…") were removed by commit 1a2b3c4d5e "Revert
    /// …"; 'irctl restore' brings them back from git history", with `restore` as the command.
    public func sentence(restore: String) -> String {
        let seqs = entries.map(\.replicaSeq)
        let one = seqs.count == 1
        let which = one ? "entry \(seqs[0])" : "entries \(seqs.min() ?? 0)–\(seqs.max() ?? 0)"
        let authors = Array(Set(entries.map(\.author))).sorted().joined(separator: ", ")
        let first =
            entries.first.map {
                " (\"" + String($0.text.prefix(40)) + ($0.text.count > 40 ? "…" : "") + "\")"
            } ?? ""
        return
            "\(which) of a chain by \(authors)\(first) \(one ? "was" : "were") removed by commit "
            + "\(commit.prefix(10)) \"\(subject)\"; '\(restore)' brings \(one ? "it" : "them") "
            + "back from git history"
    }
}

/// An incident whose removed entries were put back.
public struct Restoration: Hashable, Sendable {
    public var uid: String
    public var files: [String]
    public var entries: Int
}

extension Repository {
    /// The removals the commits from `old` to `new` made (none when `old` is nil), judged against
    /// what the store holds on disk now: an entry that is still somewhere is not missing.
    func removals(from old: String?, to new: String?, store: Store) throws -> [EntryRemoval] {
        guard let old, let new, old != new else { return [] }
        let log = try git.run([
            "log", "-z", "--raw", "--no-renames", "--no-abbrev", "--diff-filter=DM",
            "--format=C %H %s", old + ".." + new, "--", incidentsPath,
        ])
        return try removals(inLog: log.stdoutBytes, store: store)
    }

    /// Every removal in the history of `HEAD` (for one incident directory, when given) whose
    /// entries the store does not hold now.
    func removalsInHistory(store: Store, directory: String? = nil) throws -> [EntryRemoval] {
        guard try resolve("HEAD") != nil else { return [] }
        let path = directory.map { incidentsPath + "/" + $0 } ?? incidentsPath
        let log = try git.run([
            "log", "-z", "--raw", "--no-renames", "--no-abbrev", "--diff-filter=DM",
            "--format=C %H %s", "HEAD", "--", path,
        ])
        return try removals(inLog: log.stdoutBytes, store: store)
    }

    /// Reads `git log -z --raw --format='C %H %s'` output: for each file a commit deleted, or
    /// changed so that it is smaller, the entries of the version before that the store lacks.
    private func removals(inLog bytes: [UInt8], store: Store) throws -> [EntryRemoval] {
        struct Change {
            var commit: String
            var subject: String
            var old: String
            var new: String
            var path: String
        }
        var changes: [Change] = []
        var commit = ""
        var subject = ""
        let tokens = bytes.split(separator: 0, omittingEmptySubsequences: false).map {
            String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .newlines)
        }
        var k = 0
        while k < tokens.count {
            let token = tokens[k]
            if token.hasPrefix("C ") {
                let parts = token.dropFirst(2).split(separator: " ", maxSplits: 1)
                commit = parts.first.map(String.init) ?? ""
                subject = parts.count > 1 ? String(parts[1]) : ""
            } else if token.hasPrefix(":"), k + 1 < tokens.count {
                let fields = token.split(separator: " ")
                if fields.count >= 5 {
                    changes.append(
                        Change(
                            commit: commit, subject: subject, old: String(fields[2]),
                            new: String(fields[3]), path: tokens[k + 1]))
                }
                k += 1
            }
            k += 1
        }
        guard !changes.isEmpty else { return [] }
        // Blob sizes first: an append-only file only grows, so only a deleted or shrunk one is
        // read.
        let zero = String(repeating: "0", count: 40)
        let shas = Array(Set(changes.flatMap { [$0.old, $0.new] }.filter { $0 != zero }))
        let sizes = try blobSizes(shas)
        let suspects = changes.filter { change in
            guard Self.isSegment(change.path, under: incidentsPath) else { return false }
            if change.new == zero { return true }
            return (sizes[change.new] ?? 0) < (sizes[change.old] ?? 0)
        }
        guard !suspects.isEmpty else { return [] }
        let blobs = try self.blobs(Array(Set(suspects.map(\.old))))
        var present: [String: Set<String>] = [:]
        var result: [EntryRemoval] = []
        for change in suspects {
            guard let bytes = blobs[change.old], let json = try? JSONParser.parse(bytes),
                let file = try? ReplicaFile.decode(json)
            else { continue }
            let relative = String(change.path.dropFirst(incidentsPath.count + 1))
            let directory = String(relative.split(separator: "/").first ?? "")
            if present[directory] == nil {
                let loaded = try? store.read(directoryName: directory)
                present[directory] = Set(
                    loaded?.files.flatMap { $0.file.entries.map(\.hash) } ?? [])
            }
            let missing = file.entries.filter { !present[directory]!.contains($0.hash) }
            guard !missing.isEmpty else { continue }
            // Named once, by the latest commit that removed them (the log lists newest first).
            if result.contains(where: {
                $0.file == relative
                    && Set($0.entries.map(\.hash)).isSuperset(of: missing.map(\.hash))
            }) {
                continue
            }
            result.append(
                EntryRemoval(
                    uid: file.incident, directory: directory, file: relative, commit: change.commit,
                    subject: change.subject, entries: missing, before: bytes))
        }
        return result
    }

    static func isSegment(_ path: String, under incidentsPath: String) -> Bool {
        guard path.hasPrefix(incidentsPath + "/") else { return false }
        let parts = path.dropFirst(incidentsPath.count + 1).split(separator: "/")
        return parts.count == 2 && Store.segment(ofFile: String(parts[1])) != nil
    }

    private func blobSizes(_ shas: [String]) throws -> [String: Int] {
        guard !shas.isEmpty else { return [:] }
        let answer = try git.run(
            ["cat-file", "--batch-check"], input: Array(shas.map { $0 + "\n" }.joined().utf8))
        var sizes: [String: Int] = [:]
        for line in answer.lines {
            let fields = line.split(separator: " ")
            if fields.count == 3, let size = Int(fields[2]) { sizes[String(fields[0])] = size }
        }
        return sizes
    }

    private func blobs(_ shas: [String]) throws -> [String: [UInt8]] {
        guard !shas.isEmpty else { return [:] }
        let output = try git.run(
            ["cat-file", "--batch"], input: Array(shas.map { $0 + "\n" }.joined().utf8)
        ).stdoutBytes
        var result: [String: [UInt8]] = [:]
        var offset = 0
        for sha in shas {
            guard offset < output.count,
                let (contents, next) = CommittedStore.object(in: output, at: offset)
            else { break }
            offset = next
            if let contents { result[sha] = contents }
        }
        return result
    }
}

/// What `verify` and `restore` ask of git history.
public enum StoreHistory {
    /// Entries that commits in `HEAD`'s history removed and the store lacks now; nil when the
    /// store is not in a git work tree (or there is no git).
    public static func removals(
        store: Store, environment: [String: String],
        uid: String? = nil
    ) throws -> [EntryRemoval]? {
        guard
            let repository = try? Repository.locate(
                store: store, environment: environment, forHook: true)
        else { return nil }
        return try repository.removalsInHistory(
            store: store, directory: uid.map(Store.directoryName))
    }

    /// Puts back every removed entry (of one incident, when `uid` is given): a file git deleted
    /// comes back as it was; a file that lost entries gets them back beside the ones it has now.
    /// Under the lock. Nil outside a git work tree.
    public static func restore(
        store: Store, environment: [String: String],
        uid: String? = nil
    ) throws -> [Restoration]? {
        guard
            let repository = try? Repository.locate(
                store: store, environment: environment, forHook: true)
        else { return nil }
        return try store.withLock {
            let removals = try repository.removalsInHistory(
                store: store, directory: uid.map(Store.directoryName))
            var restored: [String: Restoration] = [:]
            for removal in removals {
                let parts = removal.file.split(separator: "/").map(String.init)
                guard parts.count == 2 else { continue }
                let directory = store.incidentsDirectory + "/" + parts[0]
                let path = directory + "/" + parts[1]
                try FileSystem.makeDirectory(directory)
                var bytes = removal.before
                if let current = try FileSystem.read(path, limit: Store.maxIncidentFileSize),
                    let json = try? JSONParser.parse(current),
                    var file = try? ReplicaFile.decode(json)
                {
                    // Both: what the file holds now and what it lost, in chain order.
                    let known = Set(file.entries.map(\.hash))
                    file.entries += removal.entries.filter { !known.contains($0.hash) }
                    file.entries.sort { $0.replicaSeq < $1.replicaSeq }
                    bytes = file.encoded()
                }
                _ = try FileSystem.replace(directory: directory, name: parts[1], with: bytes)
                var entry =
                    restored[removal.uid] ?? Restoration(uid: removal.uid, files: [], entries: 0)
                if !entry.files.contains(removal.file) { entry.files.append(removal.file) }
                entry.entries += removal.entries.count
                restored[removal.uid] = entry
            }
            if !restored.isEmpty { _ = try? store.reindexLocked() }
            return restored.values.sorted { $0.uid < $1.uid }
        }
    }
}
