import Foundation

/// One line of an incident's timeline. The timeline is append-only: a correction is a new entry.
///
/// In a store of format 2 each entry belongs to the chain of the replica (the clone) that wrote it,
/// names the entries it had seen (`parents`), and an incident's state is the projection of all its
/// entries. Entries converted from format 1 keep their original hash (`isLegacy`).
public struct TimelineEntry: Hashable, Sendable {
    /// 1, 2, 3 … in the incident's timeline order: the number `show` prints.
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
    /// SHA-256 over this entry's canonical fields and the hashes it follows (see `EntryHash`).
    public var hash: String
    /// The replica whose chain holds this entry (`legacy-…` for entries converted from format 1).
    public var replica: String
    /// The position in its replica's chain: 1, 2, 3 …
    public var replicaSeq: Int
    /// The newest entries of other chains this one had seen when it was written.
    public var parents: [String]
    /// Written by a format-1 irctl: hashed with the version-1 rule, chained by `seq` alone.
    var isLegacy: Bool
    /// The hash of the previous entry in the same replica's chain ("" for the first).
    public var previous: String
    /// Fields written by a newer irctl, kept through rewrites.
    var unknownFields: [String: JSONValue] = [:]

    public init(
        seq: Int, at: Date, recordedAt: Date, author: String, kind: EntryKind, text: String,
        data: [String: String] = [:], hash: String = "", replica: String = "",
        replicaSeq: Int? = nil,
        parents: [String] = [], isLegacy: Bool = false, previous: String = ""
    ) {
        self.seq = seq
        self.at = at
        self.recordedAt = recordedAt
        self.author = author
        self.kind = kind
        self.text = text
        self.data = data
        self.hash = hash
        self.replica = replica
        self.replicaSeq = replicaSeq ?? seq
        self.parents = parents
        self.isLegacy = isLegacy
        self.previous = previous
    }

    /// The hash this entry should carry, by the rule of its version.
    func expectedHash(incident uid: String) -> String {
        isLegacy
            ? EntryHash.hash(of: self, previous: previous)
            : EntryHash.hashV2(of: self, incident: uid)
    }
}

extension TimelineEntry: Codable {
    private static let known: Set<String> = [
        "seq", "at", "recordedAt", "author", "kind", "text", "data", "hash",
        "replica", "replicaSeq", "parents", "storedText",
    ]

    /// Decodes an entry of a format-1 incident file (`seq` is its chain position there).
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
        replica = ""
        replicaSeq = seq
        parents = []
        isLegacy = true
        previous = ""
        unknownFields = try c.unknownFields(known: Self.known)
    }

    /// The `show --json` shape: the stored fields, plus where the entry sits in the graph.
    public func encode(to encoder: any Encoder) throws {
        try encode(to: encoder, shownText: text)
    }

    /// The same with `text` as shown (an action-item entry names its item's settled number);
    /// the stored text follows as `storedText` when it differs, so the hash can be checked.
    func encode(to encoder: any Encoder, shownText: String) throws {
        var c = encoder.container(keyedBy: AnyCodingKey.self)
        try c.encodeUnknown(unknownFields)
        try c.encode(seq, forKey: AnyCodingKey("seq"))
        try c.encode(StoredDate(at), forKey: AnyCodingKey("at"))
        try c.encode(StoredDate(recordedAt), forKey: AnyCodingKey("recordedAt"))
        try c.encode(author, forKey: AnyCodingKey("author"))
        try c.encode(kind, forKey: AnyCodingKey("kind"))
        try c.encode(shownText, forKey: AnyCodingKey("text"))
        if shownText != text { try c.encode(text, forKey: AnyCodingKey("storedText")) }
        if !data.isEmpty { try c.encode(data, forKey: AnyCodingKey("data")) }
        try c.encode(hash, forKey: AnyCodingKey("hash"))
        if !replica.isEmpty {
            try c.encode(replica, forKey: AnyCodingKey("replica"))
            try c.encode(replicaSeq, forKey: AnyCodingKey("replicaSeq"))
        }
        if !isLegacy { try c.encode(parents, forKey: AnyCodingKey("parents")) }
    }
}

/// A date as the store writes it: UTC ISO 8601 to the second, independent of any encoder setting.
struct StoredDate: Codable, Hashable, Sendable {
    var date: Date
    init(_ date: Date) { self.date = date }

    init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let date = Timestamp.parse(text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "invalid time '\(text)'"))
        }
        self.date = date
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(Timestamp.format(date))
    }
}

/// An entry as `--json` shows it: with its shown text.
struct ShownEntry: Encodable {
    var entry: TimelineEntry
    var text: String

    func encode(to encoder: any Encoder) throws {
        try entry.encode(to: encoder, shownText: text)
    }
}
