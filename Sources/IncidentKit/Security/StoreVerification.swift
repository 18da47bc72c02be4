/// The outcome of verifying one incident file's hash chain (`irctl verify`).
public struct IncidentVerification: Hashable, Sendable {
    public enum Outcome: Hashable, Sendable {
        /// The file was read; the chain is intact or names its first bad entry.
        case checked(ChainVerification)
        /// The file could not be read or decoded, so nothing in it can be vouched for.
        case unreadable(StoreError)
    }

    /// Its number; nil for a file that can't be read and was never seen whole.
    public var id: IncidentID?
    public var path: String
    public var outcome: Outcome

    public init(id: IncidentID?, path: String, outcome: Outcome) {
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
    /// Loads one incident and checks every chain of its files and every parent link. Throws when a
    /// file can't be read.
    public func verify(_ id: IncidentID) throws(StoreError) -> (incident: Incident, chain: ChainVerification) {
        let place = try locate(id)
        let loaded = try read(uid: place.uid, format1: place.format1)
        var incident = loaded.incident
        if let number = IncidentID(number: place.number) { incident.id = number }
        return (incident, Self.check(loaded, ownHead: ownHead(of: place.uid)))
    }

    static func check(_ loaded: LoadedIncident, ownHead: OwnHead? = nil) -> ChainVerification {
        // A replica's chain may lie in several segments: one chain per replica, in seq order.
        var byReplica: [String: [LoadedFile]] = [:]
        for file in loaded.files { byReplica[file.file.replica, default: []].append(file) }
        let chains = byReplica.keys.sorted().map { replica in
            let segments = byReplica[replica]!.sorted { $0.file.start < $1.file.start }
            return (replica: replica, segments: segments.map { ($0.file.previous, $0.file.entries) })
        }
        return ChainVerification.check(segmented: chains, uid: loaded.incident.uid,
                                       timeline: loaded.incident.timeline, ownHead: ownHead)
    }

    /// Checks every incident in the store, in number order; unreadable files are reported, not skipped.
    /// Reads only: takes no lock and writes nothing.
    public func verifyAll() -> [IncidentVerification] {
        let view = scan()
        let numbers = view.numbers()
        var results: [IncidentVerification] = []
        var reported = Set<String>()
        for item in Array(view.items.values) + Array(view.unreadable.values) {
            let number = numbers.byUID[item.uid].flatMap(IncidentID.init(number:))
            let outcome: IncidentVerification.Outcome
            do throws(StoreError) {
                let loaded = try read(uid: item.uid, format1: item.format1)
                outcome = .checked(Self.check(loaded, ownHead: ownHead(of: item.uid)))
            } catch {
                outcome = .unreadable(error)
                if let path = Self.problemPath(error) { reported.insert(path) }
            }
            results.append(IncidentVerification(id: number, path: directory(of: item.uid), outcome: outcome))
        }
        results.sort { ($0.id?.number ?? Int.max, $0.path) < ($1.id?.number ?? Int.max, $1.path) }
        // Files that could not even be placed under a number are failures too.
        for problem in view.problems where !reported.contains(problem.path) {
            results.append(IncidentVerification(id: nil, path: problem.path, outcome: .unreadable(problem.error)))
        }
        return results
    }

    /// The path irctl shows for an incident: its directory.
    public func path(of id: IncidentID) -> String {
        (try? locate(id)).map { directory(of: $0.uid) } ?? incidentsDirectory + "/" + id.description
    }
}
