import Testing

@testable import IncidentKit

@Suite struct SearchTokenizerTests {
    @Test(arguments: [
        ("Checkout returns 5xx", ["checkout", "return", "5xx"]),
        ("DB-Primary-01 failover", ["db", "primary", "01", "failover"]),
        ("Réseau SATURÉ à Zürich", ["reseau", "sature", "a", "zurich"]),
        ("ÉCHEC du déploiement", ["echec", "du", "deploiement"]),
        ("pod's OOMKilled; can't restart", ["pod", "oomkill", "cant", "restart"]),
        ("10.0.0.12:5432", ["10", "0", "0", "12", "5432"]),
        ("connection_pool exhausted!!!", ["connect", "pool", "exhaust"]),
        ("timeouts timed-out failing failed", ["timeout", "tim", "out", "fail", "fail"]),
        ("stopped stops stopping", ["stop", "stop", "stop"]),
        ("queries replicas", ["query", "replica"]),
        ("evictions evicted evicting", ["evict", "evict", "evict"]),
        ("Postgres postgres", ["postgre", "postgre"]),
        ("数据库连接失败", ["数", "据", "库", "连", "接", "失", "败"]),
        ("ＡＢＣ full width", ["abc", "full", "width"]),
        ("emoji 🚨 alert", ["emoji", "alert"]),
        ("", []),
        ("  \t\n ", []),
    ])
    func terms(_ text: String, _ expected: [String]) {
        #expect(SearchTokenizer.terms(text) == expected)
    }

    @Test func aPrefixIsCutToWhatItsStemmedWordsKeep() {
        #expect(SearchTokenizer.stemmedPrefix("timeouts") == "timeout")
        #expect(SearchTokenizer.stemmedPrefix("postgres") == "postgre")
        #expect(SearchTokenizer.stemmedPrefix("conn") == "conn")
    }

    @Test func unstemmedTermsKeepTheirEndings() {
        #expect(SearchTokenizer.terms("Timeouts failing", stem: false) == ["timeouts", "failing"])
    }

    @Test func rangesPointAtTheWordsInTheText() {
        let text = "Réseau down: pgbouncer"
        let bytes = Array(text.utf8)
        let words = SearchTokenizer.tokens(text).map {
            String(decoding: bytes[$0.range], as: UTF8.self)
        }
        #expect(words == ["Réseau", "down", "pgbouncer"])
    }

    @Test func aVeryLongWordIsCut() {
        let word = String(repeating: "a", count: 500)
        #expect(SearchTokenizer.terms(word).first?.utf8.count == SearchTokenizer.maxWordBytes)
    }

    @Test func aHugeTextSplitsQuickly() {
        let text = String(repeating: "connection pool exhausted on db-primary ", count: 20_000)
        #expect(SearchTokenizer.terms(text).count == 120_000)
    }
}
