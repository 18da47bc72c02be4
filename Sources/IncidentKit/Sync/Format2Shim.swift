// TEMPORARY SHIM — DELETE AFTER MERGING MAIN.
// Stands in for the format-2 library API of /work/FORMAT2.md (lead's work on main) so the sync
// code compiles and its git half can be tested on format 1. Once main's format 2 is merged, these
// declarations clash with the real ones, which is the reminder to delete this file.
import Foundation

/// SHIM: per incident uid, its id, title and the (hash, author, kind) of its entries.
public struct StoreDigest: Sendable, Hashable {
    public struct Mark: Sendable, Hashable { public var hash: String; public var author: String; public var kind: String }
    public struct Item: Sendable, Hashable { public var id: String; public var title: String; public var entries: Set<Mark> }
    public var incidents: [String: Item] = [:]

    public func changes(since old: StoreDigest) -> [IncidentChange] {
        incidents.keys.sorted().compactMap { uid in
            let item = incidents[uid]!
            let before = old.incidents[uid]
            let new = item.entries.subtracting(before?.entries ?? [])
            guard !new.isEmpty else { return nil }
            return IncidentChange(uid: uid, id: item.id, title: item.title, isNew: before == nil,
                                  newEntries: new.count, authors: Array(Set(new.map(\.author))).sorted())
        }
    }
}

/// SHIM: what changed in one incident between two digests.
public struct IncidentChange: Sendable, Hashable, Codable {
    public var uid: String
    public var id: String
    public var title: String
    public var isNew: Bool
    public var newEntries: Int
    public var authors: [String]
}

/// SHIM: an incident that `settleClaims` gave another number.
public struct Renumbering: Sendable, Hashable, Codable {
    public var uid: String
    public var from: String
    public var to: String
}

extension Store {
    public func prepareForGit() throws { _ = try initialize() }

    public func entryDigest() -> StoreDigest {
        var digest = StoreDigest()
        for summary in summaries().summaries {
            guard let incident = try? load(summary.id) else { continue }
            digest.incidents[incident.id.description] = .init(
                id: incident.id.description, title: incident.title,
                entries: Set(incident.timeline.map { .init(hash: $0.hash, author: $0.author, kind: $0.kind.rawValue) }))
        }
        return digest
    }

    public func settleClaims(published: Set<String>, context: EditContext) throws -> [Renumbering] { [] }

    public func withLock<T>(_ body: () throws -> T) throws -> T {
        try StoreLock(path: root + "/lock", timeout: lockTimeout).withLock(body)
    }
}
