import Foundation
import TestSupport
import Testing

@testable import IncidentKit

@Suite struct SearchRankingTests {
    static func document(
        _ number: Int, _ title: String, notes: [String] = [], services: [String] = [],
        severity: String = "SEV3", phase: String = "closed", day: Int = 0,
        rootCause: String? = nil
    ) -> SearchDocument {
        var texts: [SearchDocument.Text] = [.init(source: .title, label: "", text: title)]
        if !services.isEmpty {
            texts.append(.init(source: .service, label: "", text: services.joined(separator: " ")))
        }
        if let rootCause {
            texts.append(.init(source: .narrative, label: "rootCause", text: rootCause))
        }
        texts += notes.map { .init(source: .timeline, label: "note", text: $0) }
        return SearchDocument(
            uid: SearchCorpus.uid(number), number: number, signature: UInt64(number),
            severity: severity, phase: phase,
            date: Date(timeIntervalSince1970: 1_767_225_600 + Double(day) * 86_400),
            title: title, services: services, tags: [], rootCause: rootCause,
            resolution: nil, texts: texts)
    }

    static func numbers(
        _ index: SearchIndex, _ text: String, _ options: SearchOptions = SearchOptions()
    ) throws -> [Int] {
        index.search(try SearchQuery(text), options: options).hits.map(\.number)
    }

    @Test func aTitleWordOutranksTheSameWordInTheTimeline() throws {
        let index = SearchCorpus.index([
            Self.document(
                1, "Checkout slow", notes: ["saw redis latency", "more redis noise here"]),
            Self.document(2, "Redis down", notes: ["checked"]),
        ])
        #expect(try Self.numbers(index, "redis") == [2, 1])
    }

    @Test func recencyBreaksTies() throws {
        let index = SearchCorpus.index([
            Self.document(1, "Disk full", day: 1), Self.document(2, "Disk full", day: 3),
            Self.document(3, "Disk full", day: 2),
        ])
        #expect(try Self.numbers(index, "disk") == [2, 3, 1])
    }

    @Test func everyWordMustMatchUnlessNoIncidentHasThemAll() throws {
        let index = SearchCorpus.index([
            Self.document(1, "Kafka lag"), Self.document(2, "Kafka disk full"),
            Self.document(3, "Lag in search"),
        ])
        let both = index.search(try SearchQuery("kafka lag"), options: SearchOptions())
        #expect(both.hits.map(\.number) == [1])
        #expect(!both.partial)
        let some = index.search(try SearchQuery("kafka zebra"), options: SearchOptions())
        #expect(Set(some.hits.map(\.number)) == [1, 2])
        #expect(some.partial)
    }

    @Test func aPhraseNeedsItsWordsInOrderInOneText() throws {
        let index = SearchCorpus.index([
            Self.document(1, "Pool exhausted on db"),
            Self.document(2, "Exhausted pool", notes: ["pool was fine"]),
            Self.document(3, "Connection pool", notes: ["exhausted retries"]),
        ])
        #expect(try Self.numbers(index, "\"pool exhausted\"") == [1])
        #expect(try Set(Self.numbers(index, "pool exhausted")) == [1, 2, 3])
    }

    @Test func exclusionsPrefixesAndTypos() throws {
        let index = SearchCorpus.index([
            Self.document(1, "Postgres replica lag"), Self.document(2, "Postgres primary down"),
            Self.document(3, "Connection refused"), Self.document(4, "Connections maxed"),
        ])
        #expect(try Self.numbers(index, "postgres -replica") == [2])
        #expect(try Self.numbers(index, "postgres -\"replica lag\"") == [2])
        #expect(try Set(Self.numbers(index, "conn*")) == [3, 4])
        #expect(try Set(Self.numbers(index, "postgress")) == [1, 2])
        #expect(try Set(Self.numbers(index, "conection")) == [3, 4])
        // An exclusion is taken as written: a typo in it leaves nothing out.
        #expect(try Set(Self.numbers(index, "postgres -replcia")) == [1, 2])
    }

    @Test func fieldFiltersNarrowAndAnyValueOfOneFieldMatches() throws {
        let index = SearchCorpus.index([
            Self.document(1, "Slow", services: ["db"], severity: "SEV1"),
            Self.document(2, "Slow", services: ["api"], severity: "SEV2", phase: "contain"),
            Self.document(3, "Slow", services: ["Search Engine"], severity: "SEV2"),
        ])
        #expect(try Self.numbers(index, "slow service:DB") == [1])
        #expect(try Set(Self.numbers(index, "slow sev:sev1 sev:sev2")) == [1, 2, 3])
        #expect(try Self.numbers(index, "slow phase:contain") == [2])
        #expect(try Set(Self.numbers(index, "slow -phase:contain")) == [1, 3])
        #expect(try Self.numbers(index, "service:db sev:sev2").isEmpty)
        // Filters alone list the newest first.
        #expect(try Self.numbers(index, "sev:sev2") == [2, 3].sorted(by: >).map { $0 })
    }

    @Test func sinceLimitAndExcludedIncident() throws {
        let index = SearchCorpus.index((1...5).map { Self.document($0, "Disk full", day: $0) })
        let since = Date(timeIntervalSince1970: 1_767_225_600 + 3 * 86_400)
        #expect(try Self.numbers(index, "disk", SearchOptions(since: since)) == [5, 4, 3])
        let limited = index.search(try SearchQuery("disk"), options: SearchOptions(limit: 2))
        #expect(limited.hits.map(\.number) == [5, 4])
        #expect(limited.total == 5)
        #expect(
            try Self.numbers(
                index, "disk", SearchOptions(limit: nil, excludingUID: SearchCorpus.uid(5))) == [
                    4, 3, 2, 1,
                ])
    }

    @Test func theSnippetMarksTheMatchedWordsOfTheBestText() throws {
        let index = SearchCorpus.index([
            Self.document(
                1, "Checkout down",
                notes: ["nothing here", "the pgbouncer pool was exhausted by workers"],
                rootCause: "Too many workers")
        ])
        let hit = try #require(
            index.search(try SearchQuery("pool exhausted"), options: SearchOptions()).hits.first)
        let snippet = try #require(hit.snippet)
        #expect(snippet.source == "timeline")
        let bytes = Array(snippet.text.utf8)
        #expect(
            snippet.marks.map { String(decoding: bytes[$0], as: UTF8.self) } == [
                "pool", "exhausted",
            ])
        #expect(hit.answer?.label == "root cause")
        #expect(hit.answer?.text == "Too many workers")
    }

    @Test func aLongTextIsCutAroundTheMatch() throws {
        let long =
            String(repeating: "filler words ", count: 40) + "the Réseau broke "
            + String(repeating: "more ", count: 60)
        let index = SearchCorpus.index([Self.document(1, "Network", notes: [long])])
        let snippet = try #require(
            index.search(try SearchQuery("reseau"), options: SearchOptions()).hits.first?.snippet)
        #expect(snippet.text.hasPrefix("…"))
        #expect(snippet.text.hasSuffix("…"))
        #expect(snippet.text.utf8.count <= SearchSnippetMaker.width + 8)
        let bytes = Array(snippet.text.utf8)
        #expect(snippet.marks.map { String(decoding: bytes[$0], as: UTF8.self) } == ["Réseau"])
    }

    @Test func aLaterSegmentReplacesAndRemovesDocumentsOfTheBase() throws {
        let base = SearchSegment(
            bytes: SearchSegment.build([
                Self.document(1, "Redis down"), Self.document(2, "Redis slow"),
                Self.document(3, "Disk full"),
            ]))!
        // Incident 1 was rewritten (no longer about redis), incident 3 removed.
        let delta = SearchSegment(
            bytes: SearchSegment.build([Self.document(1, "Kafka lag")], masked: [0, 2]))!
        let index = SearchIndex(segments: [base, delta], dead: [Set(delta.masked), []])
        #expect(try Self.numbers(index, "redis") == [2])
        #expect(try Self.numbers(index, "kafka") == [1])
        #expect(try Self.numbers(index, "disk").isEmpty)
        #expect(index.liveCount == 2)
    }

    @Test func aDocumentRoundTripsThroughItsSegment() throws {
        let document = Self.document(
            7, "Réseau 数据库 down", notes: ["a\nb"], services: ["db", "api"],
            rootCause: "cause")
        let segment = try #require(SearchSegment(bytes: SearchSegment.build([document])))
        #expect(segment.document(0) == document)
        #expect(segment.doc(uidHash: searchHash(document.uid.utf8)) == 0)
    }

    @Test func damagedSegmentBytesNeverCrash() throws {
        let bytes = SearchSegment.build(SearchCorpus.documents)
        var random = SplitMix64(seed: 7)
        for round in 0..<300 {
            var damaged = bytes
            if round % 3 == 0 {
                damaged = Array(damaged.prefix(Int(random.next() % UInt64(damaged.count))))
            } else {
                for _ in 0..<8 {
                    damaged[Int(random.next() % UInt64(damaged.count))] = UInt8(
                        truncatingIfNeeded: random.next())
                }
            }
            guard let segment = SearchSegment(bytes: damaged) else { continue }
            let index = SearchIndex(segments: [segment], dead: [[]])
            _ = index.search(
                try SearchQuery("pool exhausted conn*"), options: SearchOptions(limit: nil))
            _ = index.search(
                try SearchQuery("\"connection pool\" service:postgres"),
                options: SearchOptions(limit: nil))
        }
    }
}
