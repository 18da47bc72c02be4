import Foundation

/// The segments of the index, oldest first, each with the documents later segments replaced,
/// and the ranking: BM25 over fields weighted by where a word stands (a title word counts
/// three times a timeline word), the newest incident first among equals.
///
/// Per-document figures are kept in arrays as long as each segment, not in dictionaries: a
/// word in every incident costs one pass over an array, which is what keeps a search of
/// 10,000 incidents within a few milliseconds.
struct SearchIndex {
    struct Key: Hashable {
        var segment: Int
        var doc: Int
    }

    var segments: [SearchSegment]
    var dead: [Set<Int>]

    static let k1 = 1.2
    static let b = 0.75
    /// Word-prefix expansions per segment.
    static let prefixLimit = 64

    init(segments: [SearchSegment], dead: [Set<Int>]) {
        self.segments = segments
        self.dead = dead
    }

    var liveCount: Int {
        zip(segments, dead).reduce(0) { $0 + $1.0.docCount - $1.1.count }
    }

    private var averageLength: Double {
        var total = 0.0
        for (s, segment) in segments.enumerated() {
            total += Double(segment.totalLength)
            for d in dead[s] { total -= Double(segment.length(d)) }
        }
        return max(1, total / Double(max(1, liveCount)))
    }

    /// The live document with this uid.
    func key(uid: String) -> Key? {
        let hash = searchHash(uid.utf8)
        for s in segments.indices.reversed() {
            if let d = segments[s].doc(uidHash: hash), !dead[s].contains(d) {
                return Key(segment: s, doc: d)
            }
        }
        return nil
    }

    func document(_ key: Key) -> SearchDocument? { segments[key.segment].document(key.doc) }

    /// A flag per live document; false for replaced ones.
    private func liveMask() -> [[Bool]] {
        segments.enumerated().map { s, segment in
            var mask = [Bool](repeating: true, count: segment.docCount)
            for d in dead[s] where d < mask.count { mask[d] = false }
            return mask
        }
    }

    // MARK: Matching

    /// The documents a clause matches, with weighted counts (-1 where it does not match), how
    /// many it matches, and the index words that matched.
    struct Match {
        var tf: [[Float]]
        var count = 0
        var terms: Set<String> = []

        mutating func add(_ s: Int, _ d: Int, _ value: Float) {
            if tf[s][d] < 0 {
                tf[s][d] = value
                count += 1
            } else {
                tf[s][d] += value
            }
        }
    }

    private func emptyMatch() -> Match {
        Match(tf: segments.map { [Float](repeating: -1, count: $0.docCount) })
    }

    private func term(_ term: String, into match: inout Match, live: [[Bool]], factor: Float = 1) {
        for (s, segment) in segments.enumerated() {
            guard let t = segment.find(term) else { continue }
            match.terms.insert(term)
            segment.postings(t, positions: false) { doc, tf, _ in
                if live[s][doc] { match.add(s, doc, Float(tf) / 2 * factor) }
            }
        }
    }

    /// `allowed`: the documents worth the positions a phrase decodes.
    func match(
        _ clause: SearchQuery.Clause, live: [[Bool]], allowed: [[Bool]]? = nil, fuzzy: Bool = true
    ) -> Match {
        var match = emptyMatch()
        switch clause {
        case .term(let word):
            term(word, into: &match, live: live)
            // Nothing has the word: a typo ("postgress", "timout") finds its neighbours.
            if match.count == 0, fuzzy, word.unicodeScalars.count >= 4 {
                for neighbour in neighbours(of: word) {
                    term(neighbour, into: &match, live: live, factor: 0.7)
                }
            }
        case .prefix(let prefix):
            for (s, segment) in segments.enumerated() {
                for t in segment.terms(prefix: prefix, limit: Self.prefixLimit) {
                    match.terms.insert(segment.term(t))
                    segment.postings(t, positions: false) { doc, tf, _ in
                        if live[s][doc] { match.add(s, doc, Float(tf) / 2) }
                    }
                }
            }
        case .phrase(let words):
            phrase(words, into: &match, allowed: allowed ?? live)
        case .field(let field, let value):
            for (s, segment) in segments.enumerated() {
                guard let t = segment.find(SearchDocument.fieldTerm(field, value)) else { continue }
                segment.postings(t, positions: false) { doc, _, _ in
                    if live[s][doc] { match.add(s, doc, 0) }
                }
            }
        }
        return match
    }

    /// Documents holding the words one after the other: the rarest word's positions, kept where
    /// each other word follows at its distance (sorted lists merged, documents in order).
    private func phrase(_ words: [String], into match: inout Match, allowed: [[Bool]]) {
        for (s, segment) in segments.enumerated() {
            let ids = words.map { segment.find($0) }
            guard !ids.contains(nil) else { continue }
            let order = ids.indices.sorted {
                segment.documentFrequency(ids[$0]!) < segment.documentFrequency(ids[$1]!)
            }
            var docs: [Int] = []
            var starts: [[UInt32]] = []
            for (n, k) in order.enumerated() {
                let offset = UInt32(k)
                if n == 0 {
                    segment.postings(
                        ids[k]!, positions: true, want: { allowed[s][$0] },
                        visit: { doc, _, positions in
                            let shifted = positions.compactMap { $0 >= offset ? $0 - offset : nil }
                            if !shifted.isEmpty {
                                docs.append(doc)
                                starts.append(shifted)
                            }
                        })
                    continue
                }
                var j = 0
                var keptDocs: [Int] = []
                var keptStarts: [[UInt32]] = []
                segment.postings(
                    ids[k]!, positions: true,
                    want: { doc in
                        while j < docs.count, docs[j] < doc { j += 1 }
                        return j < docs.count && docs[j] == doc
                    },
                    visit: { _, _, positions in
                        // Both sorted: a merge.
                        let previous = starts[j]
                        var kept: [UInt32] = []
                        var a = 0
                        var b = 0
                        while a < previous.count, b < positions.count {
                            let p = positions[b]
                            if p < offset {
                                b += 1
                                continue
                            }
                            let start = p - offset
                            if previous[a] == start {
                                kept.append(start)
                                a += 1
                                b += 1
                            } else if previous[a] < start {
                                a += 1
                            } else {
                                b += 1
                            }
                        }
                        if !kept.isEmpty {
                            keptDocs.append(docs[j])
                            keptStarts.append(kept)
                        }
                    })
                docs = keptDocs
                starts = keptStarts
                if docs.isEmpty { break }
            }
            for (doc, found) in zip(docs, starts) { match.add(s, doc, Float(found.count) * 1.5) }
        }
        if match.count > 0 { match.terms.formUnion(words) }
    }

    /// Index words one edit from `word` (two for long words) that share its first letter.
    func neighbours(of word: String) -> [String] {
        let letters = Array(word.unicodeScalars)
        let allowed = letters.count >= 8 ? 2 : 1
        var found = Set<String>()
        for segment in segments {
            for t in segment.terms(prefix: String(letters[0]), limit: 20_000) {
                let candidate = segment.term(t)
                let other = Array(candidate.unicodeScalars)
                guard abs(other.count - letters.count) <= allowed, !candidate.hasPrefix("\u{1}"),
                    Self.distance(letters, other, limit: allowed) <= allowed
                else { continue }
                found.insert(candidate)
            }
        }
        return found.sorted()
    }

    /// Optimal string alignment distance (a swap of neighbours is one edit), stopping early
    /// past `limit`.
    static func distance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar], limit: Int) -> Int {
        if a == b { return 0 }
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var previous2 = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            var best = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    value = min(value, previous2[j - 2] + 1)
                }
                current[j] = value
                best = min(best, value)
            }
            if best > limit { return limit + 1 }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[b.count]
    }

    // MARK: Ranking

    private struct Ranked {
        var score: Double
        var date: Int64
        var number: Int
        var key: Key

        /// Better: higher score, then newer, then the higher number.
        func beats(_ other: Ranked) -> Bool {
            if score != other.score { return score > other.score }
            if date != other.date { return date > other.date }
            return number > other.number
        }
    }

    func search(_ query: SearchQuery, options: SearchOptions) -> SearchResult {
        let live = liveMask()
        var text = query.clauses.filter { if case .field = $0 { false } else { true } }
        // Only where a pass over every incident costs anything: a small store keeps them all.
        if options.skipCommon, liveCount >= 1_000 {
            let half = liveCount / 2
            let rare = text.filter { clause in
                guard case .term(let word) = clause else { return true }
                return segments.reduce(0) { $0 + ($1.find(word).map($1.documentFrequency) ?? 0) }
                    <= half
            }
            if !rare.isEmpty { text = rare }
        }
        // What may be a hit: live, every field filter (any of its values), no exclusion, not
        // before `since`, not the incident left out.
        var allowed = live
        var fieldMatches: [SearchQuery.Field: [[Bool]]] = [:]
        for case .field(let field, let value) in query.clauses {
            let found = match(.field(field, value), live: live)
            var union =
                fieldMatches[field] ?? segments.map { [Bool](repeating: false, count: $0.docCount) }
            for s in segments.indices {
                for d in 0..<segments[s].docCount where found.tf[s][d] >= 0 { union[s][d] = true }
            }
            fieldMatches[field] = union
        }
        for union in fieldMatches.values {
            for s in segments.indices {
                for d in 0..<segments[s].docCount where !union[s][d] { allowed[s][d] = false }
            }
        }
        for clause in query.excluded {
            let found = match(clause, live: live, fuzzy: false)
            for s in segments.indices {
                for d in 0..<segments[s].docCount where found.tf[s][d] >= 0 {
                    allowed[s][d] = false
                }
            }
        }
        if let excluded = options.excludingUID.flatMap({ key(uid: $0) }) {
            allowed[excluded.segment][excluded.doc] = false
        }
        if let since = options.since.map({ Int64($0.timeIntervalSince1970.rounded(.down)) }) {
            for s in segments.indices {
                for d in 0..<segments[s].docCount where allowed[s][d] && segments[s].date(d) < since
                {
                    allowed[s][d] = false
                }
            }
        }

        var scores = segments.map { [Double](repeating: 0, count: $0.docCount) }
        var matched = segments.map { [Int](repeating: 0, count: $0.docCount) }
        var matchedTerms = Set<String>()
        let n = Double(liveCount)
        let average = averageLength
        for clause in text {
            let found = match(clause, live: live, allowed: allowed)
            matchedTerms.formUnion(found.terms)
            let df = Double(found.count)
            let idf = log(1 + (n - df + 0.5) / (df + 0.5))
            for s in segments.indices {
                let segment = segments[s]
                for d in 0..<segment.docCount where allowed[s][d] {
                    let tf = Double(found.tf[s][d])
                    guard tf >= 0 else { continue }
                    let ratio = Double(segment.length(d)) / average
                    scores[s][d] +=
                        idf * tf * (Self.k1 + 1) / (tf + Self.k1 * (1 - Self.b + Self.b * ratio))
                    matched[s][d] += 1
                }
            }
        }
        // Every word when some incident has them all; else those with most of them first.
        var needed = text.isEmpty ? 0 : 1
        var partial = false
        if text.count > 1, options.matchAll {
            let full = matched.contains { $0.contains(text.count) }
            if full {
                needed = text.count
            } else {
                partial = matched.contains { $0.contains { $0 > 0 } }
            }
        }
        let coordinate = !options.matchAll || partial
        // A few best are kept in order as they come; many are sorted once at the end.
        let limit = options.limit ?? Int.max
        let keepSorted = limit <= 1_000
        var top: [Ranked] = []
        var total = 0
        for s in segments.indices {
            let segment = segments[s]
            for d in 0..<segment.docCount where allowed[s][d] && matched[s][d] >= needed {
                // Filters alone: every incident they let through.
                if text.isEmpty, fieldMatches.isEmpty { continue }
                total += 1
                let score =
                    coordinate
                    ? scores[s][d] * Double(matched[s][d]) / Double(text.count) : scores[s][d]
                let candidate = Ranked(
                    score: score, date: segment.date(d), number: segment.number(d),
                    key: Key(segment: s, doc: d))
                guard keepSorted else {
                    top.append(candidate)
                    continue
                }
                if top.count == limit, let last = top.last, !candidate.beats(last) { continue }
                // Kept sorted, best first: a binary search for its place.
                var low = 0
                var high = top.count
                while low < high {
                    let mid = (low + high) / 2
                    if top[mid].beats(candidate) { low = mid + 1 } else { high = mid }
                }
                top.insert(candidate, at: low)
                if top.count > limit { top.removeLast() }
            }
        }
        if !keepSorted { top = Array(top.sorted { $0.beats($1) }.prefix(limit)) }
        let hits = top.compactMap { entry -> SearchHit? in
            guard let document = document(entry.key) else { return nil }
            return SearchSnippetMaker.hit(
                document, score: entry.score,
                terms: options.snippets ? matchedTerms : [])
        }
        return SearchResult(hits: hits, total: total, partial: partial)
    }
}
