/// Picks the piece of an incident's text that best shows why it matched, and marks the words.
enum SearchSnippetMaker {
    /// Bytes of context before the first match, and the most a snippet holds.
    static let before = 40
    static let width = 160

    static func hit(_ document: SearchDocument, score: Double, terms: Set<String>) -> SearchHit {
        var best: (text: SearchDocument.Text, tokens: [SearchToken], rank: Int)?
        var titleMarks: [Range<Int>] = []
        for text in document.texts where !terms.isEmpty {
            let matched = SearchTokenizer.tokens(text.text).filter { terms.contains($0.term) }
            if text.source == .title {
                titleMarks = matched.map(\.range)
                continue
            }
            guard !matched.isEmpty else { continue }
            // Most distinct words first; then narrative over timeline, then more matches.
            let bonus = text.source == .narrative ? 1 : 0
            let rank = Set(matched.map(\.term)).count * 1_000 + bonus * 100 + min(matched.count, 99)
            if best == nil || rank > best!.rank { best = (text, matched, rank) }
        }
        let snippet = best.map { cut($0.text, matches: $0.tokens) }
        return SearchHit(
            uid: document.uid, number: document.number, severity: document.severity,
            phase: document.phase, date: document.date, title: document.title,
            services: document.services, tags: document.tags, score: score,
            titleMarks: titleMarks, snippet: snippet, rootCause: document.rootCause,
            resolution: document.resolution)
    }

    /// The text around the first match, on one line, cut at spaces, with "…" where it was cut.
    static func cut(_ text: SearchDocument.Text, matches: [SearchToken]) -> SearchSnippet {
        let bytes = Array(text.text.utf8).map { $0 == 0x0A || $0 == 0x0D || $0 == 0x09 ? 0x20 : $0 }
        let first = matches[0].range.lowerBound
        var start = max(0, first - before)
        if start > 0 {
            // At the start of a word after a space, else at a character boundary.
            if let space = bytes[start..<first].firstIndex(of: 0x20) { start = space + 1 }
            while start < first, bytes[start] & 0xC0 == 0x80 { start += 1 }
        }
        var end = min(bytes.count, start + width)
        if end < bytes.count {
            if let space = bytes[first..<end].lastIndex(of: 0x20),
                space > matches[0].range.upperBound
            {
                end = space
            }
            while end > start, end < bytes.count, bytes[end] & 0xC0 == 0x80 { end -= 1 }
        }
        let lead = start > 0 ? "…" : ""
        let shift = lead.utf8.count - start
        var body = lead + String(decoding: bytes[start..<end], as: UTF8.self)
        if end < bytes.count { body += "…" }
        let marks = matches.filter { $0.range.lowerBound >= start && $0.range.upperBound <= end }
            .map { ($0.range.lowerBound + shift)..<($0.range.upperBound + shift) }
        return SearchSnippet(source: text.source.name, label: text.label, text: body, marks: marks)
    }
}
