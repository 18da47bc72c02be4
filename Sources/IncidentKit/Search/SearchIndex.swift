import Foundation

/// The segments of the index, oldest first, each with the documents later segments replaced,
/// and the ranking: BM25 over fields weighted by where a word stands (a title word counts
/// three times a timeline word), the newest incident first among equals.
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

    func isLive(_ key: Key) -> Bool { !dead[key.segment].contains(key.doc) }

    /// The live document with this uid.
    func key(uid: String) -> Key? {
        let hash = searchHash(uid.utf8)
        for s in segments.indices.reversed() {
            if let d = segments[s].doc(uidHash: hash), !dead[s].contains(d) { return Key(segment: s, doc: d) }
        }
        return nil
    }

    func document(_ key: Key) -> SearchDocument? { segments[key.segment].document(key.doc) }

    // MARK: Matching

    /// The documents a clause matches, with weighted counts, and the index terms that matched.
    struct Match {
        var tf: [Key: Double] = [:]
        var terms: Set<String> = []
    }

    private func term(_ term: String, into match: inout Match, factor: Double = 1) {
        for (s, segment) in segments.enumerated() {
            guard let t = segment.find(term) else { continue }
            match.terms.insert(term)
            segment.postings(t, positions: false) { doc, tf, _ in
                guard !dead[s].contains(doc) else { return }
                match.tf[Key(segment: s, doc: doc), default: 0] += Double(tf) / 2 * factor
            }
        }
    }

    func match(_ clause: SearchQuery.Clause, fuzzy: Bool = true) -> Match {
        var match = Match()
        switch clause {
        case .term(let word):
            term(word, into: &match)
            // Nothing has the word: a typo ("postgress", "timout") finds its neighbours.
            if match.tf.isEmpty, fuzzy, word.unicodeScalars.count >= 4 {
                for neighbour in neighbours(of: word) { term(neighbour, into: &match, factor: 0.7) }
            }
        case .prefix(let prefix):
            for (s, segment) in segments.enumerated() {
                for t in segment.terms(prefix: prefix, limit: Self.prefixLimit) {
                    match.terms.insert(segment.term(t))
                    segment.postings(t, positions: false) { doc, tf, _ in
                        guard !dead[s].contains(doc) else { return }
                        match.tf[Key(segment: s, doc: doc), default: 0] += Double(tf) / 2
                    }
                }
            }
        case .phrase(let words):
            match = phrase(words)
        case .field(let field, let value):
            for (s, segment) in segments.enumerated() {
                guard let t = segment.find(SearchDocument.fieldTerm(field, value)) else { continue }
                segment.postings(t, positions: false) { doc, _, _ in
                    guard !dead[s].contains(doc) else { return }
                    match.tf[Key(segment: s, doc: doc)] = 0
                }
            }
        }
        return match
    }

    private func phrase(_ words: [String]) -> Match {
        var match = Match()
        for (s, segment) in segments.enumerated() {
            let ids = words.map { segment.find($0) }
            guard !ids.contains(nil) else { continue }
            // Start from the rarest word: its documents are the only candidates.
            let order = ids.indices.sorted { segment.documentFrequency(ids[$0]!) < segment.documentFrequency(ids[$1]!) }
            var starts: [Int: Set<UInt32>] = [:]
            var first = true
            for k in order {
                var next: [Int: Set<UInt32>] = [:]
                segment.postings(ids[k]!, positions: true) { doc, _, positions in
                    guard !dead[s].contains(doc) else { return }
                    let candidates = positions.compactMap { $0 >= UInt32(k) ? $0 - UInt32(k) : nil }
                    if first {
                        next[doc] = Set(candidates)
                    } else if let previous = starts[doc] {
                        let kept = previous.intersection(candidates)
                        if !kept.isEmpty { next[doc] = kept }
                    }
                }
                starts = next
                first = false
                if starts.isEmpty { break }
            }
            for (doc, found) in starts where !found.isEmpty {
                match.tf[Key(segment: s, doc: doc)] = Double(found.count) * 1.5
            }
        }
        if !match.tf.isEmpty { match.terms.formUnion(words) }
        return match
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
                      Self.distance(letters, other, limit: allowed) <= allowed else { continue }
                found.insert(candidate)
            }
        }
        return found.sorted()
    }

    /// Optimal string alignment distance (a swap of neighbours is one edit), stopping early
    /// past `limit`.
    static func distance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar], limit: Int) -> Int {
        if a == b { return 0 }
        var previous2 = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            current[0] = i
            var best = i
            for j in 1...max(b.count, 1) where !b.isEmpty {
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
        return a.isEmpty ? b.count : previous[b.count]
    }

    // MARK: Ranking

    func search(_ query: SearchQuery, options: SearchOptions) -> SearchResult {
        let text = query.clauses.filter { if case .field = $0 { false } else { true } }
        // Filters: any value of one field, every field.
        var fields: [SearchQuery.Field: Set<Key>] = [:]
        for clause in query.clauses {
            if case .field(let field, _) = clause { fields[field, default: []].formUnion(match(clause).tf.keys) }
        }
        var excluded = Set<Key>()
        for clause in query.excluded { excluded.formUnion(match(clause, fuzzy: false).tf.keys) }
        let excludedKey = options.excludingUID.flatMap { key(uid: $0) }
        let since = options.since.map { Int64($0.timeIntervalSince1970.rounded(.down)) }
        func allowed(_ key: Key) -> Bool {
            if excluded.contains(key) || key == excludedKey { return false }
            for keys in fields.values where !keys.contains(key) { return false }
            if let since, segments[key.segment].date(key.doc) < since { return false }
            return true
        }

        var scores: [Key: (score: Double, matched: Int)] = [:]
        var matchedTerms = Set<String>()
        if text.isEmpty {
            // Filters alone: every incident they let through, the newest first.
            let candidates = fields.values.min { $0.count < $1.count } ?? []
            for key in candidates where allowed(key) { scores[key] = (0, 0) }
        } else {
            let n = Double(liveCount)
            let average = averageLength
            for clause in text {
                let found = match(clause)
                matchedTerms.formUnion(found.terms)
                let df = Double(found.tf.count)
                let idf = log(1 + (n - df + 0.5) / (df + 0.5))
                for (key, tf) in found.tf where allowed(key) {
                    let ratio = Double(segments[key.segment].length(key.doc)) / average
                    let norm = tf * (Self.k1 + 1) / (tf + Self.k1 * (1 - Self.b + Self.b * ratio))
                    scores[key, default: (0, 0)].score += idf * norm
                    scores[key, default: (0, 0)].matched += 1
                }
            }
        }
        var partial = false
        if text.count > 1, options.matchAll {
            let all = scores.filter { $0.value.matched == text.count }
            if all.isEmpty {
                partial = !scores.isEmpty
                // Those matching more of the words first.
                for (key, value) in scores {
                    scores[key]!.score = value.score * Double(value.matched) / Double(text.count)
                }
            } else {
                scores = all
            }
        }
        let ranked = scores.map { (key: $0.key, score: $0.value.score) }.sorted { a, b in
            if a.score != b.score { return a.score > b.score }
            let da = segments[a.key.segment].date(a.key.doc), db = segments[b.key.segment].date(b.key.doc)
            if da != db { return da > db }
            return segments[a.key.segment].number(a.key.doc) > segments[b.key.segment].number(b.key.doc)
        }
        let shown = options.limit.map { Array(ranked.prefix($0)) } ?? ranked
        let hits = shown.compactMap { entry -> SearchHit? in
            guard let document = document(entry.key) else { return nil }
            return SearchSnippetMaker.hit(document, score: entry.score,
                                          terms: options.snippets ? matchedTerms : [])
        }
        return SearchResult(hits: hits, total: ranked.count, partial: partial)
    }
}
