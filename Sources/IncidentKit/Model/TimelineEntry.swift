import Foundation

/// One line of an incident's timeline. The timeline is append-only: a correction is a new entry.
public struct TimelineEntry: Hashable, Sendable {
    /// 1, 2, 3 … in the order entries were written.
    public var seq: Int
    /// When it happened (may be given in the past).
    public var at: Date
    /// When it was written.
    public var recordedAt: Date
    public var author: String
    public var kind: EntryKind
    public var text: String
    /// Structured details, such as a phase change's `from` and `to` or a command's `exitStatus`.
    public var data: [String: String]
    /// SHA-256 over this entry's canonical fields and the previous entry's hash (see `EntryHash`).
    public var hash: String
    /// Fields written by a newer irctl, kept through rewrites.
    var unknownFields: [String: JSONValue] = [:]

    public init(seq: Int, at: Date, recordedAt: Date, author: String, kind: EntryKind, text: String,
                data: [String: String] = [:], hash: String = "") {
        self.seq = seq
        self.at = at
        self.recordedAt = recordedAt
        self.author = author
        self.kind = kind
        self.text = text
        self.data = data
        self.hash = hash
    }
}

extension TimelineEntry: Codable {
    private static let known: Set<String> = ["seq", "at", "recordedAt", "author", "kind", "text", "data", "hash"]

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        seq = try c.decode(Int.self, forKey: AnyCodingKey("seq"))
        at = try c.decode(StoredDate.self, forKey: AnyCodingKey("at")).date
        recordedAt = try c.decode(StoredDate.self, forKey: AnyCodingKey("recordedAt")).date
        author = try c.decode(String.self, forKey: AnyCodingKey("author"))
        kind = try c.decode(EntryKind.self, forKey: AnyCodingKey("kind"))
        text = try c.decode(String.self, forKey: AnyCodingKey("text"))
        data = try c.decodeIfPresent([String: String].self, forKey: AnyCodingKey("data")) ?? [:]
        hash = try c.decodeIfPresent(String.self, forKey: AnyCodingKey("hash")) ?? ""
        unknownFields = try c.unknownFields(known: Self.known)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyCodingKey.self)
        try c.encodeUnknown(unknownFields)
        try c.encode(seq, forKey: AnyCodingKey("seq"))
        try c.encode(StoredDate(at), forKey: AnyCodingKey("at"))
        try c.encode(StoredDate(recordedAt), forKey: AnyCodingKey("recordedAt"))
        try c.encode(author, forKey: AnyCodingKey("author"))
        try c.encode(kind, forKey: AnyCodingKey("kind"))
        try c.encode(text, forKey: AnyCodingKey("text"))
        if !data.isEmpty { try c.encode(data, forKey: AnyCodingKey("data")) }
        try c.encode(hash, forKey: AnyCodingKey("hash"))
    }
}

/// A date as the store writes it: UTC ISO 8601 to the second, independent of any encoder setting.
struct StoredDate: Codable, Hashable, Sendable {
    var date: Date
    init(_ date: Date) { self.date = date }

    init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let date = Timestamp.parse(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "invalid time '\(text)'"))
        }
        self.date = date
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(Timestamp.format(date))
    }
}
