import Foundation

/// The store's changes: `changes/<uid>.json`, one immutable file per change, written once under
/// the lock and never rewritten, so clones never touch the same file and git merges them without
/// asking. Derived nothing: a listing reads the files.
extension Store {
    public var changesDirectory: String { root + "/changes" }

    /// The largest change file read.
    static let maxChangeFileSize = 256 * 1024

    /// Every change file read, with the files that could not be read.
    func changeFiles() -> (changes: [ServiceChange], problems: [ChangeProblem]) {
        var changes: [ServiceChange] = []
        var problems: [ChangeProblem] = []
        for (name, _) in FileSystem.list(changesDirectory).sorted(by: { $0.name < $1.name })
        where name.hasSuffix(".json") && !name.hasPrefix(".") {
            let path = changesDirectory + "/" + name
            do {
                guard
                    let bytes = try FileSystem.read(
                        path, limit: Self.maxChangeFileSize, what: "a change file")
                else { continue }
                switch ServiceChange.decode(bytes) {
                case .success(let change):
                    if change.fileName != name {
                        problems.append(
                            ChangeProblem(
                                path: path, reason: "its uid says \(change.fileName): renamed"))
                    }
                    changes.append(change)
                case .failure(let error):
                    problems.append(ChangeProblem(path: path, reason: error.reason))
                }
            } catch {
                problems.append(ChangeProblem(path: path, reason: error.message))
            }
        }
        return (changes, problems)
    }

    /// The changes, oldest first; an import made on two clones (the same key) counts once.
    public func changes() -> (changes: [ServiceChange], problems: [ChangeProblem]) {
        let (all, problems) = changeFiles()
        var byKey: [String: ServiceChange] = [:]
        var result: [ServiceChange] = []
        for change in all.sorted(by: Self.changeOrder) {
            if let key = change.importKey {
                if byKey[key] != nil { continue }
                byKey[key] = change
            }
            result.append(change)
        }
        return (result, problems)
    }

    /// Oldest first; the same time by uid, so every clone lists alike.
    static func changeOrder(_ a: ServiceChange, _ b: ServiceChange) -> Bool {
        a.at != b.at ? a.at < b.at : a.uid < b.uid
    }

    /// Writes changes at the end of this replica's chain, under the lock. Changes whose import key
    /// the store already holds are skipped. Returns those written.
    @discardableResult
    public func record(changes new: [ServiceChange]) throws -> [ServiceChange] {
        try withLock {
            try FileSystem.makeDirectory(changesDirectory)
            let replica = try replicaID()
            let (existing, _) = changeFiles()
            var keys = Set(existing.compactMap(\.importKey))
            let own = existing.filter { $0.replica == replica }.max {
                $0.replicaSeq < $1.replicaSeq
            }
            var seq = own?.replicaSeq ?? 0
            var previous = own?.hash ?? ""
            var written: [ServiceChange] = []
            for var change in new {
                if let key = change.importKey, !keys.insert(key).inserted { continue }
                seq += 1
                change.replica = replica
                change.replicaSeq = seq
                change.previous = previous
                change.hash = change.expectedHash
                previous = change.hash
                try FileSystem.replace(
                    directory: changesDirectory, name: change.fileName, with: change.encoded())
                written.append(change)
            }
            return written
        }
    }

    /// Each replica's chain of changes checked: every file's hash against its content, every
    /// link to the one before, no position missing. Files that can't be read fail too.
    public func verifyChanges() -> [ChangeChainReport] {
        let (changes, problems) = changeFiles()
        var reports: [ChangeChainReport] = problems.map {
            ChangeChainReport(replica: nil, path: $0.path, count: 0, head: "", failure: $0.reason)
        }
        let byReplica = Dictionary(grouping: changes, by: \.replica)
        for replica in byReplica.keys.sorted() {
            let chain = byReplica[replica]!.sorted { $0.replicaSeq < $1.replicaSeq }
            var report = ChangeChainReport(
                replica: replica, path: changesDirectory, count: chain.count,
                head: chain.last?.hash ?? "", failure: nil)
            var previous = ""
            for (index, change) in chain.enumerated() {
                let path = changesDirectory + "/" + change.fileName
                if change.hash != change.expectedHash {
                    report.path = path
                    report.failure =
                        "change #\(change.replicaSeq) (\(change.fileName)) does not match its "
                        + "hash: edited after it was recorded"
                    break
                }
                if change.replicaSeq != index + 1 {
                    report.failure =
                        "change #\(index + 1) of this replica is missing (removed from changes/)"
                    break
                }
                if change.previous != previous {
                    report.path = path
                    report.failure =
                        "change #\(change.replicaSeq) (\(change.fileName)) does not follow "
                        + "change #\(index): the chain was altered"
                    break
                }
                previous = change.hash
            }
            reports.append(report)
        }
        return reports
    }
}

/// A change file that could not be read.
public struct ChangeProblem: Hashable, Sendable {
    public var path: String
    public var reason: String
    public var message: String { "\(path): \(reason)" }
}

/// One replica's chain of changes, as `verify` reports it.
public struct ChangeChainReport: Hashable, Sendable {
    /// Nil for a file that could not be read at all.
    public var replica: String?
    public var path: String
    public var count: Int
    public var head: String
    public var failure: String?
    public var isValid: Bool { failure == nil }
}
