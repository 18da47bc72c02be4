/// The outcome of verifying one incident file's hash chain (`irctl verify`).
public struct IncidentVerification: Hashable, Sendable {
    public enum Outcome: Hashable, Sendable {
        /// The file was read; the chain is intact or names its first bad entry.
        case checked(ChainVerification)
        /// The file could not be read or decoded, so nothing in it can be vouched for.
        case unreadable(StoreError)
    }

    public var id: IncidentID
    public var path: String
    public var outcome: Outcome

    public init(id: IncidentID, path: String, outcome: Outcome) {
        self.id = id
        self.path = path
        self.outcome = outcome
    }

    public var isValid: Bool {
        if case .checked(let chain) = outcome { return chain.isValid }
        return false
    }
}

/// Why `--expect-head` did not hold.
public struct HeadMismatch: Hashable, Sendable {
    public var expected: String
    public var actualHead: String

    public var reason: String {
        "the recorded head \(expected) is not in the timeline (its head is now \(actualHead.isEmpty ? "empty" : actualHead)): "
            + "entries were removed, or the chain was rewritten"
    }
}

extension ChainVerification {
    /// Checks a head hash recorded earlier (`--expect-head`). It holds when `expected` is the current
    /// head, or the hash of an earlier entry: each hash commits to every entry before it, so entries
    /// appended since are fine, while a dropped or rewritten entry makes the recorded hash vanish.
    /// Only meaningful on a valid chain.
    public func checkHead(_ expected: String, in incident: Incident) -> HeadMismatch? {
        guard entriesAfter(expected, in: incident) == nil else { return nil }
        return HeadMismatch(expected: expected.lowercased(), actualHead: head)
    }

    /// How many entries were appended after the entry whose hash is `hash`; nil if it is not in the chain.
    public func entriesAfter(_ hash: String, in incident: Incident) -> Int? {
        let wanted = hash.lowercased()
        guard let index = incident.timeline.lastIndex(where: { $0.hash == wanted }) else { return nil }
        return incident.timeline.count - 1 - index
    }
}

extension Store {
    /// Loads one incident and checks its chain. Throws when the file can't be read.
    public func verify(_ id: IncidentID) throws(StoreError) -> (incident: Incident, chain: ChainVerification) {
        let incident = try load(id)
        return (incident, incident.verifyChain())
    }

    /// Checks every incident file in the store, in id order; unreadable files are reported, not skipped.
    /// Reads only: takes no lock and writes nothing.
    public func verifyAll() -> [IncidentVerification] {
        let ids = FileSystem.list(incidentsDirectory).compactMap { Self.incidentID(fileName: $0.name) }.sorted()
        return ids.map { id -> IncidentVerification in
            let outcome: IncidentVerification.Outcome
            do throws(StoreError) {
                outcome = .checked(try verify(id).chain)
            } catch {
                outcome = .unreadable(error)
            }
            return IncidentVerification(id: id, path: path(of: id), outcome: outcome)
        }
    }
}
