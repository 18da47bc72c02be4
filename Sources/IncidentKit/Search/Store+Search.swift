import Foundation
import Glibc

/// The search index on disk, in the store's cache: `search-base` (every incident, made by a
/// full pass), `search-delta` (incidents changed since, replacing their base documents) and
/// `search-state` (the listing cache's journal the two were last in line with).
///
/// It follows the listing cache: every incident has a record there, and a record changes when
/// its incident does (a write appends one; a pull is seen by the listing's checks). A document
/// remembers the signature of the record it was made from, so what changed is found by
/// comparing signatures, and only those incidents are read again.
extension Store {
    var searchBasePath: String { cacheDirectory + "/search-base" }
    var searchDeltaPath: String { cacheDirectory + "/search-delta" }

    /// A delta larger than this (or an eighth of the base) is merged into a new base.
    static let searchDeltaLimit = 256
    /// A command about one incident rewrites a delta of at most this many documents.
    static let quickDeltaLimit = 16

    // MARK: Queries

    /// Runs `query` over every incident, bringing the index up to date first.
    public func search(
        _ query: SearchQuery, options: SearchOptions = SearchOptions()
    )
        -> SearchResult
    {
        freshSearchIndex().search(query, options: options)
    }

    /// Past incidents like `incident`, by its title, services and alert labels: at most `limit`,
    /// each sharing at least two words with it (one, when it has only one). `quick` is for a
    /// command about one incident (`declare`, `show`): it does not bring the index up to date
    /// beyond the few incidents written since it last was, so it costs the same at any store size.
    public func similar(to incident: Incident, limit: Int, quick: Bool = false) -> [SearchHit] {
        let query = Self.similarQuery(incident)
        guard !query.clauses.isEmpty,
            let index = quick ? quickSearchIndex(known: incident) : freshSearchIndex()
        else { return [] }
        let needed = min(2, query.clauses.count)
        // The best few dozen by score are enough to find the few alike by name.
        var options = SearchOptions(
            limit: limit > 1_000 ? nil : max(30, limit * 10),
            excludingUID: incident.uid)
        options.matchAll = false
        options.snippets = false
        options.skipCommon = true
        var hits: [SearchHit] = []
        // What fixed it is what a responder wants first: an incident with an answer counts more.
        let ranked = index.search(query, options: options).hits.enumerated().sorted { a, b in
            let x = a.element.score * (a.element.answer == nil ? 1 : 1.3)
            let y = b.element.score * (b.element.answer == nil ? 1 : 1.3)
            return x != y ? x > y : a.offset < b.offset
        }.map(\.element)
        for hit in ranked {
            // Alike by what names it: words of the title and the services, not of the text alone.
            let words = Set(Self.similarQuery(title: hit.title, services: hit.services).clauses)
            if query.clauses.filter(words.contains).count >= needed { hits.append(hit) }
            if hits.count == limit { break }
        }
        return hits
    }

    /// Words too common to make two incidents alike.
    static let stopWords: Set<String> = [
        "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is", "it", "of",
        "on", "or", "the", "to", "with", "after", "during", "when", "not", "no", "we", "our",
        "incident", "issue", "problem",
    ]

    static func similarQuery(_ incident: Incident) -> SearchQuery {
        var labels: [String] = []
        for entry in incident.timeline where entry.kind == .alert {
            if let name = entry.data[AlertEntryData.alertname] { labels.append(name) }
        }
        return similarQuery(
            title: incident.title + " " + labels.joined(separator: " "),
            services: incident.services)
    }

    static func similarQuery(title: String, services: [String]) -> SearchQuery {
        var seen = Set<String>()
        var clauses: [SearchQuery.Clause] = []
        for term in SearchTokenizer.terms(title + " " + services.joined(separator: " "))
        where !stopWords.contains(term) && term.utf8.count > 1 && seen.insert(term).inserted {
            clauses.append(.term(term))
            if clauses.count == SearchQuery.maxClauses { break }
        }
        return SearchQuery(clauses: clauses)
    }

    // MARK: Keeping the index current

    /// Makes the search index anew from the incident files (`irctl reindex`).
    public func reindexSearch() {
        _ = lock.tryWithLock {
            for name in ["search-base", "search-delta", "search-state"] {
                unlink(cacheDirectory + "/" + name)
            }
        }
        _ = freshSearchIndex()
    }

    struct SearchState {
        var journalInode: UInt64?
        var journalSize: Int64?
        var baseInode: UInt64?
        var deltaInode: UInt64?
    }

    func readSearchState() -> SearchState {
        var state = SearchState()
        guard
            let bytes =
                (try? FileSystem.read(
                    cacheDirectory + "/search-state", limit: 4096,
                    what: "search state")).flatMap({ $0 })
        else { return state }
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, let value = UInt64(parts[1]) else { continue }
            switch parts[0] {
            case "journalInode": state.journalInode = value
            case "journalSize": state.journalSize = Int64(value)
            case "base": state.baseInode = value
            case "delta": state.deltaInode = value
            default: break
            }
        }
        return state
    }

    private func writeSearchState(journal: FileIdentity?) throws {
        var text = ""
        if let journal { text += "journalInode=\(journal.inode)\njournalSize=\(journal.size)\n" }
        if let base = FileSystem.identity(searchBasePath) { text += "base=\(base.inode)\n" }
        if let delta = FileSystem.identity(searchDeltaPath) { text += "delta=\(delta.inode)\n" }
        try FileSystem.replace(
            directory: cacheDirectory, name: "search-state", with: Array(text.utf8),
            durable: false)
    }

    /// The segments on disk, when they are the ones the state names.
    private func searchSegments(
        _ state: SearchState
    ) -> (
        base: SearchSegment, delta: SearchSegment?
    )? {
        guard let baseInode = state.baseInode,
            FileSystem.identity(searchBasePath)?.inode == baseInode,
            let base = SearchSegment(path: searchBasePath)
        else { return nil }
        guard let deltaInode = state.deltaInode else { return (base, nil) }
        guard FileSystem.identity(searchDeltaPath)?.inode == deltaInode,
            let delta = SearchSegment(path: searchDeltaPath),
            delta.masked.allSatisfy({ $0 < base.docCount })
        else { return nil }
        return (base, delta)
    }

    private static func index(_ base: SearchSegment, _ delta: SearchSegment?) -> SearchIndex {
        guard let delta else { return SearchIndex(segments: [base], dead: [[]]) }
        return SearchIndex(segments: [base, delta], dead: [Set(delta.masked), []])
    }

    /// Whether only irctl changed incidents since the listing cache last looked at them all,
    /// in a git work tree: then its journal grows by a record for each change irctl makes, and
    /// nothing else changed.
    private func journalTellsAll() -> Bool {
        guard !FileSystem.exists(writingMarker) else { return false }
        let stamp = OpenSegments.stamp(root: root)
        let state = readState()
        return stamp != OpenSegments.outsideGit && state.quiet == stamp
            && state.indexed == FileSystem.identity(incidentsDirectory)?.changedNanoseconds
    }

    /// The index, brought up to date with every incident.
    func freshSearchIndex(known: Incident? = nil) -> SearchIndex {
        let state = readSearchState()
        let segments = searchSegments(state)
        let journal = FileSystem.identity(cacheDirectory + "/index")
        if let segments, let journal, journalTellsAll(), state.journalInode == journal.inode,
            let size = state.journalSize
        {
            if size == journal.size { return Self.index(segments.base, segments.delta) }
            if size < journal.size, journal.size - size <= 4 << 20,
                let changed = appendedRecords(from: size, journal: journal)
            {
                return update(
                    segments, changed: changed, removed: [], journal: journal, write: true,
                    known: known)
            }
        }
        let current = currentRecords()
        guard let segments else {
            return update(
                nil, changed: Array(current.values), removed: [], journal: journal, write: true,
                known: known)
        }
        var changed: [Record] = []
        var seen = Set<UInt64>()
        let index = Self.index(segments.base, segments.delta)
        var removed: [UInt64] = []
        for (s, segment) in index.segments.enumerated() {
            for d in 0..<segment.docCount where !index.dead[s].contains(d) {
                let hash = segment.uidHash(d)
                seen.insert(hash)
                guard let record = current[hash] else {
                    removed.append(hash)
                    continue
                }
                if record.signature != segment.signature(d) { changed.append(record) }
            }
        }
        for (hash, record) in current where !seen.contains(hash) { changed.append(record) }
        return update(
            segments, changed: changed, removed: removed, journal: journal, write: true,
            known: known)
    }

    /// The index as it is, plus the few incidents irctl wrote since it was last brought up to
    /// date, read now but not written back. Nil when there is no index and the store is large.
    func quickSearchIndex(known: Incident) -> SearchIndex? {
        let state = readSearchState()
        let journal = FileSystem.identity(cacheDirectory + "/index")
        guard let segments = searchSegments(state) else {
            // A small store is indexed at once; a large one at its first search.
            return (journal?.size ?? 0) < 512 * 1024 ? freshSearchIndex(known: known) : nil
        }
        if let journal, state.journalInode == journal.inode, let size = state.journalSize,
            size < journal.size, journal.size - size <= 64 * 1024,
            let changed = appendedRecords(from: size, journal: journal)
        {
            // A small delta is brought up to date and written, so the next command starts from
            // it; otherwise the few changed incidents are read into memory for this command.
            if (segments.delta?.docCount ?? 0) + changed.count <= Self.quickDeltaLimit {
                return update(
                    segments, changed: changed, removed: [], journal: journal, write: true,
                    known: known)
            }
            if changed.count <= 8 { return overlay(segments, changed, known: known) }
        }
        return Self.index(segments.base, segments.delta)
    }

    /// The segments with the `changed` incidents read now, in a segment of their own in memory.
    private func overlay(
        _ segments: (base: SearchSegment, delta: SearchSegment?),
        _ changed: [Record], known: Incident
    ) -> SearchIndex {
        var index = Self.index(segments.base, segments.delta)
        var fresh: [SearchDocument] = []
        for record in changed {
            let hash = searchHash(record.uid.utf8)
            for (s, segment) in index.segments.enumerated() {
                if let d = segment.doc(uidHash: hash) { index.dead[s].insert(d) }
            }
            guard
                var document = incident(record.uid, known: known).map({
                    SearchDocument($0, signature: record.signature)
                })
            else { continue }
            document.number = record.claim
            fresh.append(document)
        }
        if !fresh.isEmpty, let segment = SearchSegment(bytes: SearchSegment.build(fresh)) {
            index.segments.append(segment)
            index.dead.append([])
        }
        return index
    }

    /// The incident with this uid: `known` when it is that one (just written, in memory), else
    /// read from its files.
    private func incident(_ uid: String, known: Incident?) -> Incident? {
        if let known, known.uid == uid { return known }
        return try? load(uid: uid)
    }

    struct Record {
        var uid: String
        var signature: UInt64
        var claim: Int
    }

    /// Every incident's listing record, by the hash of its uid.
    private func currentRecords() -> [UInt64: Record] {
        var result: [UInt64: Record] = [:]
        if let records = trustedRecords(includeClosed: true),
            let compact = records.index ?? SummaryIndex.compact(records.bytes)
        {
            for head in compact.heads {
                let uid = compact.string(head.uid)
                result[searchHash(uid.utf8)] = Record(
                    uid: uid, signature: searchHash(compact.bytes[head.line]),
                    claim: head.claim)
            }
            return result
        }
        // A pull (or a hand edit): one look at every incident, which reads the changed ones and
        // brings the listing cache up to date as `list` would, and tells their records.
        let before = look()
        let view = scan()
        if view.staleCount > 0 { writeBack(view, look: before) }
        for item in view.items.values {
            let signature: UInt64
            if let head = item.head, let snapshot = view.snapshot {
                signature = searchHash(snapshot.bytes[head.line])
            } else if let summary = item.summary {
                signature = searchHash(
                    SummaryIndex.line(summary, sources: item.sources, files: item.files).utf8)
            } else {
                continue
            }
            result[searchHash(item.uid.utf8)] = Record(
                uid: item.uid, signature: signature, claim: item.claim)
        }
        return result
    }

    /// The records appended to the journal after its first `size` bytes: what irctl wrote since.
    private func appendedRecords(from size: Int64, journal: FileIdentity) -> [Record]? {
        let fd = open(cacheDirectory + "/index", O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        let count = Int(journal.size - size)
        var bytes = Array(SummaryIndex.header.utf8)
        let headerCount = bytes.count
        bytes += [UInt8](repeating: 0, count: count)
        let read = bytes.withUnsafeMutableBytes {
            pread(fd, $0.baseAddress! + headerCount, count, off_t(size))
        }
        guard read == count, let compact = SummaryIndex.compact(bytes) else { return nil }
        return compact.heads.map { head in
            Record(
                uid: compact.string(head.uid), signature: searchHash(compact.bytes[head.line]),
                claim: head.claim)
        }
    }

    /// The index with `changed` incidents read again and `removed` ones gone; written back when
    /// `write` and the lock is free at once (a reader never waits for a writer).
    /// `journal` is the listing journal as it was before its records were read: the state says
    /// the index is in line with it, never with records that came after.
    private func update(
        _ segments: (base: SearchSegment, delta: SearchSegment?)?, changed: [Record],
        removed: [UInt64], journal journalBefore: FileIdentity?, write: Bool,
        known: Incident? = nil
    ) -> SearchIndex {
        if let segments, changed.isEmpty, removed.isEmpty {
            if write { _ = lock.tryWithLock { try writeSearchState(journal: journalBefore) } }
            return Self.index(segments.base, segments.delta)
        }
        var fresh: [SearchDocument] = []
        var gone = Set(removed)
        for record in changed {
            guard let incident = incident(record.uid, known: known) else {
                gone.insert(searchHash(record.uid.utf8))
                continue
            }
            var document = SearchDocument(incident, signature: record.signature)
            document.number = record.claim
            fresh.append(document)
        }
        var replaced = gone
        for document in fresh { replaced.insert(searchHash(document.uid.utf8)) }

        var baseBytes: [UInt8]?
        var deltaBytes: [UInt8]?
        if let segments {
            var kept: [SearchDocument] = []
            if let delta = segments.delta {
                for d in 0..<delta.docCount where !replaced.contains(delta.uidHash(d)) {
                    if let document = delta.document(d) { kept.append(document) }
                }
            }
            let documents = kept + fresh
            if documents.count > max(Self.searchDeltaLimit, segments.base.docCount / 8) {
                // Merged: the base's documents still current, and the delta's.
                var all: [SearchDocument] = []
                let masked = Set(segments.delta?.masked ?? [])
                var inDelta = Set(documents.map { searchHash($0.uid.utf8) })
                inDelta.formUnion(gone)
                for d in 0..<segments.base.docCount
                where !masked.contains(d) && !inDelta.contains(segments.base.uidHash(d)) {
                    if let document = segments.base.document(d) { all.append(document) }
                }
                baseBytes = SearchSegment.build(all + documents)
            } else {
                var masked = Set(segments.delta?.masked ?? [])
                for hash in replaced {
                    if let d = segments.base.doc(uidHash: hash) { masked.insert(d) }
                }
                for document in kept {
                    if let d = segments.base.doc(uidHash: searchHash(document.uid.utf8)) {
                        masked.insert(d)
                    }
                }
                deltaBytes = SearchSegment.build(documents, masked: masked.sorted())
            }
        } else {
            baseBytes = SearchSegment.build(fresh)
        }
        let written: Bool =
            write
            && lock.tryWithLock {
                try FileSystem.makeDirectory(cacheDirectory)
                if let baseBytes {
                    _ = try FileSystem.replace(
                        directory: cacheDirectory, name: "search-base", with: baseBytes,
                        durable: false)
                    unlink(searchDeltaPath)
                } else if let deltaBytes {
                    _ = try FileSystem.replace(
                        directory: cacheDirectory, name: "search-delta", with: deltaBytes,
                        durable: false)
                }
                try writeSearchState(journal: journalBefore)
                return true
            } == true
        if written, let segments = searchSegments(readSearchState()) {
            return Self.index(segments.base, segments.delta)
        }
        // Not written (the lock was busy, or a quick look): the same, in memory.
        if let baseBytes, let base = SearchSegment(bytes: baseBytes) {
            return Self.index(base, nil)
        }
        if let deltaBytes, let segments, let delta = SearchSegment(bytes: deltaBytes) {
            return Self.index(segments.base, delta)
        }
        if let segments { return Self.index(segments.base, segments.delta) }
        return SearchIndex(segments: [], dead: [])
    }
}
