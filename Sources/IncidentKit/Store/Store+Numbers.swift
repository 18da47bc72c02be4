import Foundation
import Glibc

// Numbers: where the incident a number names is, and the next number to hand out.
extension Store {
    /// The map's answer for `number`, when the map is in line with the journal.
    func mappedUID(_ number: Int, state: State) -> String? {
        guard let at = state.idsAt, FileSystem.identity(cacheDirectory + "/index")?.size == at
        else { return nil }
        return IdentifierMap.lookup(cacheDirectory + "/ids", number: number)
    }

    /// Where the incident a number names is: from the cache while `incidents/` is as the cache
    /// last saw it, else from a full look. `thorough` forces the full look.
    func locate(
        _ id: IncidentID, thorough: Bool = false
    ) throws(StoreError) -> (uid: String, number: Int, format1: [String], renumberedFrom: Int?) {
        let view: StoreView
        let state = readState()
        let current =
            !thorough && state.indexFormat == Int64(SummaryIndex.format)
            && state.indexed != nil
            && state.indexed == FileSystem.identity(incidentsDirectory)?.changedNanoseconds
        // The common case, without reading the journal: the map names the one incident that
        // claims the number (so it holds it: provisional numbers all lie above every claim).
        if current, let uid = mappedUID(id.number, state: state) {
            return (uid, id.number, [], nil)
        }
        let bytes = current ? readIndex() : nil
        // Without the map, still without parsing every record: one incident claims the number,
        // and its sources are its directory alone.
        if let bytes, let uid = SummaryIndex.soleClaimant(of: id.number, in: bytes) {
            return (uid, id.number, [], nil)
        }
        if current, let snapshot = bytes.map(SummaryIndex.snapshot), !snapshot.heads.isEmpty {
            var cached = StoreView()
            cached.snapshot = snapshot
            for head in snapshot.heads.values {
                let format1 = head.sources.split(separator: "\u{1F}").filter { $0.hasPrefix("f:") }
                    .compactMap {
                        $0.split(separator: ":").dropFirst().first.map {
                            incidentsDirectory + "/" + $0
                        }
                    }
                cached.items[head.uid] = .init(
                    uid: head.uid, claim: head.claim, claimedAt: head.claimedAt,
                    claimHash: head.claimHash,
                    aliases: head.aliases, closed: head.closed, summary: nil, head: head,
                    sources: head.sources, files: head.files, format1: format1)
            }
            view = cached
        } else {
            let before = look()
            view = scan()
            if view.staleCount > 0 { writeBack(view, look: before) }
        }
        let numbers = view.numbers()
        if let uid = numbers.byNumber[id.number] {
            return (uid, id.number, view.items[uid]?.format1 ?? [], nil)
        }
        if let uid = numbers.aliases[id.number], let number = numbers.byUID[uid] {
            return (uid, number, view.items[uid]?.format1 ?? [], id.number)
        }
        if !thorough { return try locate(id, thorough: true) }
        throw .incidentNotFound(id, store: root)
    }

    /// The uid of the incident a number names (found even when its files can't be read now).
    public func resolve(_ id: IncidentID) throws(StoreError) -> String { try locate(id).uid }

    /// The incident read for the number asked, numbered as it lists. When the cache pointed at an
    /// incident that no longer has that number (a pull renumbered it), a full look decides.
    func settled(
        _ incident: Incident, asked id: IncidentID,
        place located: (uid: String, number: Int, format1: [String], renumberedFrom: Int?)
    ) throws(StoreError) -> StoredIncident {
        var place = located
        var result = incident
        if place.uid != incident.uid
            || (incident.id != id && !incident.aliases.contains(id) && place.renumberedFrom == nil
                && incident.id.number != place.number)
        {
            place = try locate(id, thorough: true)
            result = try read(uid: place.uid, format1: place.format1).incident
        }
        if let number = IncidentID(number: place.number) { result = result.numbered(number) }
        var notices: [String] = []
        if let old = place.renumberedFrom.flatMap(IncidentID.init(number:)) {
            notices.append("\(old) was renumbered \(result.id); showing \(result.id)")
        } else if incident.id.number != place.number, let claim = Optional(incident.id) {
            notices.append(
                "\(result.id) claimed \(claim), which another incident holds; 'irctl sync' gives "
                    + "it a number for good"
            )
        }
        return StoredIncident(incident: result, notices: notices)
    }

    /// The next number to hand out: after every number in use here, and after every number this
    /// clone ever handed out, so a number is never reused even when its incident's files are gone.
    func nextNumber() throws -> Int {
        let state = readState()
        let view: StoreView
        let current =
            state.indexFormat == Int64(SummaryIndex.format) && state.indexed != nil
            && state.indexed == FileSystem.identity(incidentsDirectory)?.changedNanoseconds
        // No number claimed twice, by the map's account: the next is after the highest claim.
        if current, !state.collisions, let highest = state.highest, let at = state.idsAt,
            FileSystem.identity(cacheDirectory + "/index")?.size == at
        {
            return max(Int(highest), highestHandedOut()) + 1
        }
        let bytes = current ? readIndex() : nil
        // No number claimed twice: the numbers in use are the claims, without a string per record.
        if let bytes, let index = SummaryIndex.compact(bytes), index.claimsUnique {
            return max(index.heads.lazy.map(\.claim).max() ?? 0, highestHandedOut()) + 1
        }
        if current, let snapshot = bytes.map(SummaryIndex.snapshot) {
            var cached = StoreView()
            for head in snapshot.heads.values {
                cached.items[head.uid] = .init(
                    uid: head.uid, claim: head.claim, claimedAt: head.claimedAt,
                    claimHash: head.claimHash,
                    aliases: head.aliases, closed: head.closed, summary: nil, head: head,
                    sources: head.sources, files: head.files, format1: [])
            }
            view = cached
        } else {
            view = scan()
        }
        return max(view.highestNumber, highestHandedOut()) + 1
    }

    /// A number as the user typed it, or an incident's uid (or the start of it, at least 4 hex
    /// digits).
    public func incidentID(matching text: String) throws -> IncidentID {
        if let id = IncidentID(text) {
            // A uid prefix can be all digits (1 in 40 have 8): a number that names no incident
            // but starts exactly one uid is that uid.
            guard text.utf8.count >= 8, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                (try? locate(id)) == nil
            else { return id }
            let matches = scan().items.keys.filter { $0.hasPrefix(text) }
            return matches.count == 1 ? try incidentID(matching: matches[0]) : id
        }
        let prefix = text.lowercased()
        guard prefix.utf8.count >= 4, prefix.utf8.count <= 64,
            prefix.utf8.allSatisfy({
                ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) || $0 == 0x2D
            })
        else {
            throw ValueError.invalidIncidentID(text)
        }
        let view = scan()
        let matches = view.items.keys.filter { $0.hasPrefix(prefix) }.sorted()
        guard matches.count == 1 else {
            if matches.isEmpty { throw StoreError.noIncidentWithUID(text, store: root) }
            throw StoreError.ambiguousUID(text, matches: matches)
        }
        guard let number = view.numbers().byUID[matches[0]].flatMap(IncidentID.init(number:)) else {
            throw StoreError.noIncidentWithUID(text, store: root)
        }
        return number
    }
}
