/// One way of recognising a secret: a regular expression, the kind it reports, and a keyword
/// pre-filter.
///
/// Rules come built in (``Redactor/standard``) or from a store's `config.json`, so they are
/// `Codable`.
public struct RedactionRule: Codable, Hashable, Sendable {
    /// The stable lowercase name shown in the replacement, e.g. `aws-access-key` →
    /// `[REDACTED:aws-access-key]`.
    public var kind: String
    /// An ICU regular expression; if it has a capture group named `secret` (or else a group 1),
    /// only that group is replaced.
    public var pattern: String
    /// Case-insensitive pre-filter: the expression only runs if one of these occurs in the text
    /// (empty = always).
    public var keywords: [String]

    /// Creates a rule reporting `kind` for matches of `pattern`, run only when one of `keywords`
    /// occurs.
    public init(kind: String, pattern: String, keywords: [String] = []) {
        self.kind = kind
        self.pattern = pattern
        self.keywords = keywords
    }
}

extension RedactionRule {
    // config.json may omit keywords; a rule without them always runs.
    private enum CodingKeys: String, CodingKey { case kind, pattern, keywords }

    /// Decodes a rule, treating missing `keywords` as none.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            kind: try container.decode(String.self, forKey: .kind),
            pattern: try container.decode(String.self, forKey: .pattern),
            keywords: try container.decodeIfPresent([String].self, forKey: .keywords) ?? []
        )
    }
}
