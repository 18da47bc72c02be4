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

/// What a head recorded earlier (`--expect-head`) says about the timeline as it is now.
public enum HeadCheck: Hashable, Sendable {
    /// The timeline's first `covered` entries are exactly the ones the head covered, unchanged and
    /// in the same order; `appended` entries came after them.
    case holds(covered: Int, appended: Int)
    /// Not a head of the timeline but entry `seq`'s own hash, which an older irctl printed as the
    /// head: that entry, and every entry it had seen, is unchanged; `appended` entries follow it.
    case entryHash(seq: Int, appended: Int)
    /// Neither: an entry it covered was removed or changed, or an entry was put before it.
    case broken(HeadMismatch)
}

/// Why `--expect-head` did not hold.
public struct HeadMismatch: Hashable, Sendable {
    public var expected: String
    public var actualHead: String

    public var reason: String {
        let now = actualHead.isEmpty ? "empty" : actualHead
        return "the timeline up to the recorded head \(expected) is not what it was when that "
            + "head was printed (its head is now \(now)): an entry it covered was removed or "
            + "changed, or an entry was added before it; 'git log -p' on the incident's "
            + "directory shows which"
    }
}

extension ChainVerification {
    /// Checks a head recorded earlier (`--expect-head`): it holds when it is the head of the
    /// timeline's first entries, which then are the entries it covered, in the same order. Entries
    /// appended since are fine; a removed, changed or inserted one gives another head. Only
    /// meaningful on a valid chain.
    public func checkHead(_ expected: String, in incident: Incident) -> HeadCheck {
        let wanted = expected.lowercased()
        let count = incident.timeline.count
        if let k = Self.timelineHeads(incident.timeline).firstIndex(of: wanted) {
            return .holds(covered: k + 1, appended: count - 1 - k)
        }
        if let k = incident.timeline.lastIndex(where: { $0.hash == wanted }) {
            return .entryHash(seq: incident.timeline[k].seq, appended: count - 1 - k)
        }
        return .broken(HeadMismatch(expected: wanted, actualHead: head))
    }
}

extension Store {
    /// Loads one incident and checks every chain of its files and every parent link. Throws when a
    /// file can't be read.
    public func verify(
        _ id: IncidentID
    ) throws(StoreError) -> (incident: Incident, chain: ChainVerification) {
        let place = try locate(id)
        let loaded = try read(uid: place.uid, format1: place.format1)
        var incident = loaded.incident
        if let number = IncidentID(number: place.number) { incident = incident.numbered(number) }
        return (incident, Self.check(loaded, ownHead: ownHead(of: place.uid)))
    }

    static func check(_ loaded: LoadedIncident, ownHead: OwnHead? = nil) -> ChainVerification {
        // A replica's chain may lie in several segments: one chain per replica, in seq order.
        var byReplica: [String: [LoadedFile]] = [:]
        for file in loaded.files { byReplica[file.file.replica, default: []].append(file) }
        let chains = byReplica.keys.sorted().map { replica in
            let segments = byReplica[replica]!.sorted { $0.file.start < $1.file.start }
            return (
                replica: replica, segments: segments.map { ($0.file.previous, $0.file.entries) }
            )
        }
        var result = ChainVerification.check(
            segmented: chains, uid: loaded.incident.uid,
            timeline: loaded.incident.timeline, ownHead: ownHead)
        result.ignoredStrikes = loaded.incident.strikeCheck.ignored
        return result
    }

    /// Checks every incident in the store, in number order; unreadable files are reported, not
    /// skipped. Reads only: takes no lock and writes nothing.
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
            results.append(
                IncidentVerification(id: number, path: directory(of: item.uid), outcome: outcome))
        }
        results.sort { ($0.id?.number ?? Int.max, $0.path) < ($1.id?.number ?? Int.max, $1.path) }
        // Files that could not even be placed under a number are failures too.
        for problem in view.problems where !reported.contains(problem.path) {
            results.append(
                IncidentVerification(
                    id: nil, path: problem.path, outcome: .unreadable(problem.error)))
        }
        return results
    }

    /// The path irctl shows for an incident: its directory.
    public func path(of id: IncidentID) -> String {
        (try? locate(id)).map { directory(of: $0.uid) } ?? incidentsDirectory + "/" + id.description
    }
}
