import Testing

@testable import IncidentKit

@Suite struct SearchQueryTests {
    typealias Clause = SearchQuery.Clause

    @Test(arguments: [
        ("postgres", [Clause.term("postgre")], [Clause]()),
        ("Postgres Timeouts", [.term("postgre"), .term("timeout")], []),
        ("Timeouts*", [.prefix("timeout")], []),
        ("\"pool exhausted\"", [.phrase(["pool", "exhaust"])], []),
        ("conn*", [.prefix("conn")], []),
        ("Réso*", [.prefix("reso")], []),
        ("db -replica", [.term("db")], [.term("replica")]),
        ("db -\"read replica\"", [.term("db")], [.phrase(["read", "replica"])]),
        (
            "service:Postgres tag:db sev:1 phase:closed",
            [
                .field(.service, "postgres"), .field(.tag, "db"), .field(.severity, "1"),
                .field(.phase, "closed"),
            ], []
        ),
        ("pool -service:checkout", [.term("pool")], [.field(.service, "checkout")]),
        ("db-primary", [.phrase(["db", "primary"])], []),
        ("error:timeout", [.phrase(["error", "timeout"])], []),
        ("!!! pool ???", [.term("pool")], []),
        ("pool\texhausted\nagain", [.term("pool"), .term("exhaust"), .term("again")], []),
    ])
    func parses(_ text: String, _ clauses: [Clause], _ excluded: [Clause]) throws {
        let query = try SearchQuery(text)
        #expect(query.clauses == clauses)
        #expect(query.excluded == excluded)
    }

    @Test(arguments: [
        ("", SearchError.emptyQuery),
        ("   ", .emptyQuery),
        ("!!!", .emptyQuery),
        ("\"", .unmatchedQuote),
        ("\"pool exhausted", .unmatchedQuote),
        ("pool\"exhausted", .unmatchedQuote),
        ("-", .strayMinus),
        ("pool - replica", .strayMinus),
        ("pool -", .strayMinus),
        ("-replica", .onlyExclusions),
        ("c*", .prefixTooShort("c")),
        ("*", .prefixTooShort("")),
        ("service:", .emptyFieldValue(field: "service")),
        ("pool\u{7}", .controlCharacter(scalar: 7)),
        ("pool\u{1B}[31m", .controlCharacter(scalar: 0x1B)),
        ("pool\u{85}", .controlCharacter(scalar: 0x85)),
    ])
    func refuses(_ text: String, _ error: SearchError) {
        #expect(throws: error) { try SearchQuery(text) }
    }

    @Test func aLongQueryIsRefusedWithItsLength() {
        let text = String(repeating: "a", count: 10_000)
        #expect(throws: SearchError.queryTooLong(characters: 10_000, limit: 1_000)) {
            try SearchQuery(text)
        }
        let words = Array(repeating: "pool", count: 40).joined(separator: " ")
        #expect(throws: SearchError.tooManyWords(count: 33, limit: 32)) { try SearchQuery(words) }
    }

    @Test func messagesSayWhatToDo() {
        #expect(SearchError.emptyQuery.message.contains("irctl search \"connection pool\""))
        #expect(SearchError.strayMinus.message.contains("-WORD"))
        #expect(SearchError.unmatchedQuote.message.contains("close the phrase"))
        #expect(SearchError.controlCharacter(scalar: 7).message.contains("U+0007"))
        #expect(
            SearchError.queryTooLong(characters: 10_000, limit: 1_000).message.contains("10000"))
        #expect(SearchError.emptyQuery.isUsageError)
    }

    @Test func filtersAloneHaveNoText() throws {
        #expect(try SearchQuery("service:db").hasText == false)
        #expect(try SearchQuery("service:db pool").hasText)
    }
}
