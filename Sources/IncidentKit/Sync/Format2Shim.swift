// TEMPORARY SHIM — DELETE AFTER MERGING MAIN.
// Stands in for the format-2 library API (FORMAT2.md, as the lead's Store+Sync.swift on main shapes
// it) so the sync code compiles and its git half can be tested on format 1. Once main's format 2 is
// merged, these declarations clash with the real ones, which is the reminder to delete this file.
import Foundation

public struct StoreDigest: Hashable, Sendable {
    public struct Incident: Hashable, Sendable {
        public var id: IncidentID
        public var title: String
        public var entryCount: Int
    }
    public var incidents: [String: Incident] = [:]
    public init() {}
}

public struct IncidentChange: Hashable, Sendable {
    public var uid: String
    public var id: IncidentID
    public var title: String
    public var isNew: Bool
    public var entries: Int
    public var authors: [String]
}

public struct Renumbering: Hashable, Sendable {
    public var uid: String
    public var from: IncidentID
    public var to: IncidentID
}

extension Store {
    public func withLock<T>(_ body: () throws -> T) throws -> T {
        try StoreLock(path: root + "/lock", timeout: lockTimeout).withLock(body)
    }

    public func entryDigest() -> StoreDigest {
        var digest = StoreDigest()
        for summary in summaries().summaries {
            digest.incidents[summary.id.description] = .init(id: summary.id, title: summary.title, entryCount: summary.entryCount)
        }
        return digest
    }

    public func changes(from old: StoreDigest, to new: StoreDigest) -> [IncidentChange] {
        new.incidents.compactMap { uid, now in
            let count = now.entryCount - (old.incidents[uid]?.entryCount ?? 0)
            guard count > 0 else { return nil }
            return IncidentChange(uid: uid, id: now.id, title: now.title, isNew: old.incidents[uid] == nil, entries: count, authors: [])
        }.sorted { $0.id < $1.id }
    }

    public func settleClaims(published: Set<String>, context: EditContext) throws -> [Renumbering] { [] }

    public func prepareForGit() throws -> [String] { [] }
}
