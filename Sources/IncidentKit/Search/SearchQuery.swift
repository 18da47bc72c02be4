import Foundation

/// A parsed search query: words, "exact phrases", prefix*, -excluded parts and field filters.
///
/// ## Usage
/// ```swift
/// let query = try SearchQuery("postgres \"pool exhausted\" -replica service:db conn*")
/// ```
public struct SearchQuery: Hashable, Sendable {
    /// A filter on a field of the incident rather than its text.
    public enum Field: String, Hashable, Sendable, CaseIterable {
        case service, tag
        case severity = "sev"
        case phase
    }

    public enum Clause: Hashable, Sendable {
        /// One word (folded and stemmed).
        case term(String)
        /// Words that must follow each other.
        case phrase([String])
        /// Any word starting with this (folded, not stemmed).
        case prefix(String)
        /// The incident's field has this value (folded).
        case field(Field, String)
    }

    /// What a hit must match (words, phrases, prefixes rank it; fields filter).
    public var clauses: [Clause] = []
    /// What a hit must not match.
    public var excluded: [Clause] = []

    static let maxCharacters = 1_000
    static let maxClauses = 32

    public init(clauses: [Clause] = [], excluded: [Clause] = []) {
        self.clauses = clauses
        self.excluded = excluded
    }

    /// Parses what a person typed; `text` is the words of the command line joined by spaces.
    public init(_ text: String) throws(SearchError) {
        let count = text.unicodeScalars.count
        guard count <= Self.maxCharacters else {
            throw .queryTooLong(characters: count, limit: Self.maxCharacters)
        }
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if v == 0x09 || v == 0x0A || v == 0x0D { continue }
            if v < 0x20 || (0x7F...0x9F).contains(v) { throw .controlCharacter(scalar: v) }
        }
        let scalars = Array(text.unicodeScalars)
        var i = 0
        func isSpace(_ s: Unicode.Scalar) -> Bool { s.properties.isWhitespace }
        while i < scalars.count {
            if isSpace(scalars[i]) {
                i += 1
                continue
            }
            var negated = false
            if scalars[i] == "-" {
                negated = true
                i += 1
                guard i < scalars.count, !isSpace(scalars[i]) else { throw .strayMinus }
            }
            let clause: Clause?
            if scalars[i] == "\"" {
                i += 1
                var phrase = String.UnicodeScalarView()
                while i < scalars.count, scalars[i] != "\"" {
                    phrase.append(scalars[i])
                    i += 1
                }
                guard i < scalars.count else { throw .unmatchedQuote }
                i += 1
                clause = Self.words(String(phrase))
            } else {
                var word = String.UnicodeScalarView()
                while i < scalars.count, !isSpace(scalars[i]) {
                    if scalars[i] == "\"" { throw .unmatchedQuote }
                    word.append(scalars[i])
                    i += 1
                }
                clause = try Self.clause(String(word))
            }
            guard let clause else { continue }
            if negated { excluded.append(clause) } else { clauses.append(clause) }
            let total = clauses.count + excluded.count
            if total > Self.maxClauses { throw .tooManyWords(count: total, limit: Self.maxClauses) }
        }
        if clauses.isEmpty { throw excluded.isEmpty ? .emptyQuery : .onlyExclusions }
    }

    /// Whether anything ranks hits (a query of filters alone lists the newest first).
    var hasText: Bool {
        clauses.contains { if case .field = $0 { false } else { true } }
    }

    /// One unquoted word: a field filter, a prefix, or words.
    private static func clause(_ word: String) throws(SearchError) -> Clause? {
        if let colon = word.firstIndex(of: ":") {
            let name = word[..<colon].lowercased()
            let value = String(word[word.index(after: colon)...])
            let field: Field? =
                switch name {
                case "service", "svc": .service
                case "tag": .tag
                case "sev", "severity": .severity
                case "phase": .phase
                default: nil
                }
            if let field {
                guard !value.isEmpty else { throw .emptyFieldValue(field: name) }
                return .field(field, fieldValue(value))
            }
        }
        if word.hasSuffix("*") {
            let stem = String(word.dropLast()).trimmingTrailing("*")
            let terms = SearchTokenizer.terms(stem, stem: false)
            guard let last = terms.last else { throw .prefixTooShort(stem) }
            if terms.count == 1 {
                guard last.unicodeScalars.count >= 2 else { throw .prefixTooShort(stem) }
                return .prefix(SearchTokenizer.stemmedPrefix(last))
            }
            // "db-prim*": the words before the prefix must be there too; the prefix ranks.
            return words(stem)
        }
        return words(word)
    }

    private static func words(_ text: String) -> Clause? {
        let terms = SearchTokenizer.terms(text)
        switch terms.count {
        case 0: return nil
        case 1: return .term(terms[0])
        default: return .phrase(terms)
        }
    }

    /// A field's value as the index keeps it: case folded, spaces kept.
    public static func fieldValue(_ value: String) -> String {
        value.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil).lowercased()
    }
}

extension String {
    fileprivate func trimmingTrailing(_ character: Character) -> String {
        var result = self
        while result.last == character { result.removeLast() }
        return result
    }
}
