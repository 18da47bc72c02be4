import Foundation
import Glibc

// The full look: every incident directory, and the files whose records are stale.
extension Store {
    /// Looks at every incident's directory (one `stat` each; an open incident's files too) and
    /// reads those whose cached record is missing or stale.
    func scan(progress: ((_ done: Int, _ total: Int) -> Void)? = nil) -> StoreView {
        var view = StoreView()
        let snapshot = readIndex().map(SummaryIndex.snapshot)
        view.snapshot = snapshot
        // Format-1 files seen before, by their identity, so an unchanged one is not read again.
        var knownFormat1: [String: String] = [:]
        for head in snapshot?.heads.values ?? [:].values {
            for source in head.sources.split(separator: "\u{1F}") where source.hasPrefix("f:") {
                knownFormat1[String(source)] = head.uid
            }
        }
        var sources: [String: [String]] = [:]
        var format1: [String: [String]] = [:]
        for entry in FileSystem.entries(incidentsDirectory) {
            let path = incidentsDirectory + "/" + entry.name
            if entry.name.hasPrefix(".") {
                continue
            } else if FileSystem.incidentNumber(entry.name) != nil {
                view.format1Seen = true
                guard entry.mode & S_IFMT == S_IFREG else {
                    view.problems.append(
                        StoreProblem(
                            path: path,
                            error: entry.mode & S_IFMT == S_IFLNK
                                ? .symlinkRefused(path: path)
                                : .notRegularFile(path: path, kind: FileSystem.kind(entry.mode))))
                    continue
                }
                let signature = "f:\(entry.name):\(entry.inode):\(entry.changed):\(entry.size)"
                var uid = knownFormat1[signature]
                if uid == nil {
                    do throws(StoreError) {
                        uid = try convertedFormat1(path).file.incident
                    } catch {
                        view.problems.append(StoreProblem(path: path, error: error))
                        continue
                    }
                }
                sources[Self.directoryName(uid!), default: []].append(signature)
                format1[Self.directoryName(uid!), default: []].append(path)
            } else if Self.isPlainUID(entry.name) || entry.name.hasPrefix("x") {
                guard entry.mode & S_IFMT == S_IFDIR else {
                    if entry.mode & S_IFMT == S_IFLNK {
                        view.problems.append(
                            StoreProblem(path: path, error: .symlinkRefused(path: path)))
                    }
                    continue
                }
                sources[entry.name, default: []].append("d:\(entry.inode):\(entry.changed)")
            }
        }
        var headsByDirectory: [String: SummaryIndex.Head] = [:]
        for head in snapshot?.heads.values ?? [:].values {
            headsByDirectory[Self.directoryName(head.uid)] = head
        }
        var looked = 0
        for (key, signatures) in sources {
            looked += 1
            let signature = signatures.sorted().joined(separator: "\u{1F}")
            let paths = format1[key] ?? []
            if let head = headsByDirectory[key], head.sources == signature,
                head.closed || head.files == filesSignature(key)
            {
                view.items[head.uid] = .init(
                    uid: head.uid, claim: head.claim, claimedAt: head.claimedAt,
                    claimHash: head.claimHash,
                    aliases: head.aliases, closed: head.closed, summary: nil, head: head,
                    sources: signature, files: head.files, format1: paths)
                continue
            }
            view.staleCount += 1
            if let progress, view.staleCount % 128 == 0 { progress(looked, sources.count) }
            do throws(StoreError) {
                let incident = try read(directoryName: key, format1: paths).incident
                let summary = IncidentSummary(incident)
                view.items[incident.uid] = .init(
                    uid: incident.uid, claim: summary.claim.number,
                    claimedAt: Int64(summary.claimedAt.timeIntervalSince1970.rounded(.down)),
                    claimHash: summary.claimHash, aliases: summary.aliases.map(\.number),
                    closed: !summary.isOpen, summary: summary, head: nil, sources: signature,
                    files: summary.isOpen ? filesSignature(key) : "", format1: paths)
            } catch {
                // Nothing to write back for it: its cached record stays as it was.
                view.staleCount -= 1
                // A directory with no incident file in it (all removed) is no incident.
                if case .noIncidentWithUID = error { continue }
                view.problems.append(
                    StoreProblem(
                        path: Self.problemPath(error) ?? paths.first ?? incidentsDirectory + "/"
                            + key, error: error))
                // It keeps its number (from the cache) so that it is reported under it, not listed.
                if let head = headsByDirectory[key] {
                    view.unreadable[head.uid] = .init(
                        uid: head.uid, claim: head.claim, claimedAt: head.claimedAt,
                        claimHash: head.claimHash,
                        aliases: head.aliases, closed: head.closed, summary: nil, head: head,
                        sources: signature, files: "", format1: paths)
                }
            }
        }
        // The last word, so that a progress line can be finished.
        if let progress, view.staleCount >= 128 { progress(sources.count, sources.count) }
        return view
    }

    /// `isPlainUID` of a name's bytes, without making a string.
    static func isPlainUID(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
        (8...64).contains(name.count) && name[0] != 0x2D
            && name.allSatisfy {
                ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x2D
            }
    }

    /// The file a read error names, when it names one.
    static func problemPath(_ error: StoreError) -> String? {
        switch error {
        case .corruptIncident(let path, _), .symlinkRefused(let path), .tooLarge(let path, _, _),
            .notRegularFile(let path, _),
            .newerSchema(let path, _, _), .io(let path, _, _):
            path
        default: nil
        }
    }

    /// The identities of an incident directory's files, which an edit in place changes.
    func filesSignature(_ name: String) -> String {
        FileSystem.list(incidentsDirectory + "/" + name).compactMap { file, identity in
            identity.map { "\(file):\($0.inode):\($0.changedNanoseconds):\($0.size)" }
        }.sorted().joined(separator: "\u{1F}")
    }

    /// What was seen just before a full look: git's index, `incidents/`, the journal's size.
    struct Look {
        var stamp: String
        var listed: Int64?
        var journal: Int64?
    }

    /// The `Look` of now, taken before a scan.
    func look() -> Look {
        Look(
            stamp: OpenSegments.stamp(root: root),
            listed: FileSystem.identity(incidentsDirectory)?.changedNanoseconds,
            journal: FileSystem.identity(cacheDirectory + "/index")?.size)
    }
}
