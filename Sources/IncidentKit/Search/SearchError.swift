/// Why a query can't be run; each message names the offending part and how to fix it.
public enum SearchError: DescribedError, Hashable, Sendable {
    case emptyQuery
    case queryTooLong(characters: Int, limit: Int)
    case tooManyWords(count: Int, limit: Int)
    case controlCharacter(scalar: UInt32)
    case unmatchedQuote
    case strayMinus
    case onlyExclusions
    case prefixTooShort(String)
    case emptyFieldValue(field: String)
    case badFieldValue(field: String, value: String, expected: String)
}

extension SearchError: CustomStringConvertible {
    public var description: String { message }
    /// Every one is a query typed wrong: exit 2.
    public var isUsageError: Bool { true }

    public var message: String {
        switch self {
        case .emptyQuery:
            "the query has no word to look for; give one, e.g. irctl search \"connection pool\""
        case .queryTooLong(let characters, let limit):
            "the query is \(characters) characters long; at most \(limit), so give the few words "
                + "that matter"
        case .tooManyWords(let count, let limit):
            "the query has \(count) words; at most \(limit), so give the few that matter"
        case .controlCharacter(let scalar):
            "the query holds the control character U+\(Self.hex(scalar)); type words, quotes, "
                + "'*', '-' and field:value only"
        case .unmatchedQuote:
            "the query has an unmatched '\"'; close the phrase, e.g. \"connection reset\""
        case .strayMinus:
            "a '-' on its own leaves nothing out; write -WORD (no space) to leave out incidents "
                + "that mention WORD"
        case .onlyExclusions:
            "the query only says what to leave out; add a word to look for, e.g. "
                + "postgres -replica"
        case .prefixTooShort(let prefix):
            "'\(ValueError.shown(prefix))*' is too short a prefix; give at least 2 letters "
                + "before '*'"
        case .emptyFieldValue(let field):
            "'\(field):' needs a value, e.g. \(field):\(Self.example(field))"
        case .badFieldValue(let field, let value, let expected):
            "'\(field):\(ValueError.shown(value))' is not a valid filter; \(expected)"
        }
    }

    private static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    private static func example(_ field: String) -> String {
        switch field {
        case "service": "postgres"
        case "tag": "db"
        case "sev", "severity": "1"
        default: "recover"
        }
    }
}
