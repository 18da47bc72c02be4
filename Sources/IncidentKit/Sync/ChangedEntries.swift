import Foundation

extension Repository {
    /// How many entries each incident gained between `old` and what `diff` compares it with,
    /// counted from the store files that changed alone: a segment is only ever added (or, while
    /// open, grown), so the new entries are those of the files added plus what the grown ones
    /// gained. New files are read from disk, so the caller holds the store lock and the disk is
    /// the newer side (the index just staged, or HEAD just committed). Nil when a changed file
    /// is not a segment (an older store's format-1 file): the caller counts the slow way.
    func changedEntryCounts(
        diff arguments: [String], old: String?,
        store: Store
    ) throws -> [String: (entries: Int, isNew: Bool)]? {
        let listed = try git.run(
            ["diff", "--name-status", "--no-renames", "-z"] + arguments + ["--", incidentsPath])
        let fields = listed.stdout.split(separator: "\0", omittingEmptySubsequences: true).map(
            String.init)
        var grown: [String] = []
        var counts: [String: Int] = [:]
        var k = 0
        while k + 1 < fields.count {
            let status = fields[k]
            let path = fields[k + 1]
            k += 2
            guard Self.isSegment(path, under: incidentsPath) else { return nil }
            guard status != "D" else { continue }  // removals are named apart
            guard status == "A" || status == "M" else { return nil }
            let directory = String(path.dropFirst(incidentsPath.count + 1).split(separator: "/")[0])
            guard
                let bytes = try FileSystem.read(top + "/" + path, limit: Store.maxIncidentFileSize),
                let entries = Self.entryCount(bytes)
            else { return nil }
            counts[directory, default: 0] += entries
            if status == "M" { grown.append(path) }
        }
        guard !counts.isEmpty else { return [:] }
        // What a grown file had before, and which incidents `old` did not have at all.
        var isNew = Set(counts.keys)
        if let old {
            // The changed incidents' directories that `old` has: asked of git for those alone, so
            // the cost follows what changed, not the size of the store.
            isNew.subtract(try publishedIncidents(at: old, among: Array(counts.keys)))
            if !grown.isEmpty {
                let questions = grown.map { old + ":" + $0 + "\n" }.joined()
                let output = try git.run(["cat-file", "--batch"], input: Array(questions.utf8))
                    .stdoutBytes
                var offset = 0
                for path in grown {
                    guard let (contents, next) = CommittedStore.object(in: output, at: offset)
                    else { return nil }
                    offset = next
                    let directory = String(
                        path.dropFirst(incidentsPath.count + 1).split(separator: "/")[0])
                    if let contents, let before = Self.entryCount(contents) {
                        counts[directory, default: 0] -= before
                    }
                }
            }
        }
        var result: [String: (entries: Int, isNew: Bool)] = [:]
        for (directory, count) in counts where count > 0 {
            result[directory] = (count, isNew.contains(directory))
        }
        return result
    }

    /// The entries in a segment file's bytes, or nil when it isn't one.
    static func entryCount(_ bytes: [UInt8]) -> Int? {
        guard let json = try? JSONParser.parse(bytes), let file = try? ReplicaFile.decode(json)
        else { return nil }
        return file.entries.count
    }

    /// The counts as changes named by the incidents' numbers and titles now.
    /// Each incident is read by itself (a directory named by its uid), so naming k changes reads
    /// k incidents; a directory of another name sends it to the digest of the whole store.
    func namedChanges(
        _ counts: [String: (entries: Int, isNew: Bool)], store: Store,
        leaving quiet: Set<String> = []
    ) -> [ChangedIncident] {
        var changes: [ChangedIncident] = []
        var direct = true
        for (directory, count) in counts where !quiet.contains(directory) {
            guard Store.directoryName(directory) == directory,
                let incident = try? store.load(uid: directory)
            else {
                direct = false
                break
            }
            changes.append(
                ChangedIncident(
                    uid: directory, id: incident.id, title: incident.title,
                    isNew: count.isNew, entries: count.entries, authors: []))
        }
        if direct { return changes.sorted { $0.id < $1.id } }
        changes = []
        let digest = store.entryDigest()
        for (uid, now) in digest.incidents {
            guard !quiet.contains(uid), let count = counts[Store.directoryName(uid)] else {
                continue
            }
            changes.append(
                ChangedIncident(
                    uid: uid, id: now.id, title: now.title, isNew: count.isNew,
                    entries: count.entries, authors: []))
        }
        return changes.sorted { $0.id < $1.id }
    }
}
