import Foundation

/// A piece of an incident's text around what matched, with the matched words' byte ranges.
public struct SearchSnippet: Hashable, Sendable {
    /// Where the text came from: "timeline", "narrative", "action item", "alert", "service" …
    public var source: String
    /// The narrative field ("rootCause") or the entry's kind ("note"), when there is one.
    public var label: String
    /// One line; "…" where it was cut.
    public var text: String
    /// UTF-8 byte ranges of `text` that matched.
    public var marks: [Range<Int>]
}

/// One incident a search found.
public struct SearchHit: Hashable, Sendable {
    public var uid: String
    public var number: Int
    public var severity: String
    public var phase: String
    public var date: Date
    public var title: String
    public var services: [String]
    public var tags: [String]
    public var score: Double
    /// UTF-8 byte ranges of `title` that matched.
    public var titleMarks: [Range<Int>]
    public var snippet: SearchSnippet?
    public var rootCause: String?
    public var resolution: String?

    public var isOpen: Bool { phase != Phase.closed.rawValue }

    /// For a closed incident, what the team found: its root cause, else its resolution.
    public var answer: (label: String, text: String)? {
        guard !isOpen else { return nil }
        if let rootCause { return ("root cause", rootCause) }
        if let resolution { return ("resolution", resolution) }
        return nil
    }
}

/// What a search found.
public struct SearchResult: Hashable, Sendable {
    public var hits: [SearchHit]
    /// How many incidents matched, shown or not.
    public var total: Int
    /// No incident matched every word, and these match some of them.
    public var partial: Bool
}

/// What narrows a search beyond its query.
public struct SearchOptions: Hashable, Sendable {
    /// At most this many hits; nil for all.
    public var limit: Int?
    /// Only incidents detected at or after this.
    public var since: Date?
    /// Leave this incident out (`similar` leaves out the incident itself).
    var excludingUID: String?
    /// Every word must match (else those matching most come first, marked partial); false
    /// ranks by any of them.
    public var matchAll = true
    /// Whether hits carry a snippet (the one-line hints need none).
    var snippets = true
    /// In a store of 1,000 incidents or more, words in more than half of them are left out of
    /// the ranking (`similar`: they say nothing about likeness, and cost a pass over them all).
    var skipCommon = false

    public init(limit: Int? = 10, since: Date? = nil, excludingUID: String? = nil) {
        self.limit = limit
        self.since = since
        self.excludingUID = excludingUID
    }
}
