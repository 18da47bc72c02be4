import Foundation
import Testing

@testable import IncidentKit

/// Relevance on the corpus: precision at 3 (of the incidents a responder wants, how many are
/// in the first three, out of at most three) and mean reciprocal rank (1 / the rank of the first
/// wanted one). The floors are what the ranking reaches now, so a change that makes it worse
/// fails here; Sources/irctl-bench/README.md reports the figures this test prints.
@Suite struct SearchRelevanceTests {
    @Test func precisionAndReciprocalRankStayAboveTheirFloors() throws {
        let index = SearchCorpus.index()
        var precision = 0.0
        var reciprocal = 0.0
        var misses: [String] = []
        for (text, wanted) in SearchCorpus.queries {
            let query = try SearchQuery(text)
            let numbers = index.search(query, options: SearchOptions(limit: 10)).hits.map(\.number)
            let top = Set(numbers.prefix(3))
            precision += Double(top.intersection(wanted).count) / Double(min(3, wanted.count))
            let rank = numbers.firstIndex(where: wanted.contains).map { $0 + 1 }
            reciprocal += rank.map { 1 / Double($0) } ?? 0
            if rank != 1 {
                misses.append("\(text) → \(numbers.prefix(5)) (want \(wanted.sorted()))")
            }
        }
        let count = Double(SearchCorpus.queries.count)
        let p3 = precision / count
        let mrr = reciprocal / count
        print(
            String(
                format: "search relevance: %d queries, %d incidents, P@3 %.3f, MRR %.3f",
                SearchCorpus.queries.count, SearchCorpus.stories.count, p3, mrr))
        for miss in misses { print("  not first: " + miss) }
        #expect(p3 >= 0.9, "P@3 \(p3); \(misses)")
        #expect(mrr >= 0.95, "MRR \(mrr); \(misses)")
    }
}
