import Foundation

// Written by hand so that times are stored like every other time in the file (UTC ISO 8601,
// not seconds since 2001) and fields from a newer irctl survive a rewrite.

extension Checklist: Codable {
    private static let known: Set<String> = ["name", "title", "source", "attachedAt", "steps"]

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        name = try c.decode(String.self, forKey: AnyCodingKey("name"))
        title = try c.decode(String.self, forKey: AnyCodingKey("title"))
        source = try c.decodeIfPresent(String.self, forKey: AnyCodingKey("source")) ?? ""
        attachedAt = try c.decode(StoredDate.self, forKey: AnyCodingKey("attachedAt")).date
        steps = try c.decodeIfPresent([Step].self, forKey: AnyCodingKey("steps")) ?? []
        unknownFields = try c.unknownFields(known: Self.known)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyCodingKey.self)
        try c.encodeUnknown(unknownFields)
        try c.encode(name, forKey: AnyCodingKey("name"))
        try c.encode(title, forKey: AnyCodingKey("title"))
        try c.encode(source, forKey: AnyCodingKey("source"))
        try c.encode(StoredDate(attachedAt), forKey: AnyCodingKey("attachedAt"))
        try c.encode(steps, forKey: AnyCodingKey("steps"))
    }
}

extension Checklist.Step: Codable {
    private static let known: Set<String> = [
        "number", "text", "command", "status", "at", "by", "note",
    ]

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        number = try c.decode(Int.self, forKey: AnyCodingKey("number"))
        text = try c.decode(String.self, forKey: AnyCodingKey("text"))
        command = try c.decodeIfPresent(String.self, forKey: AnyCodingKey("command"))
        status = try c.decodeIfPresent(Status.self, forKey: AnyCodingKey("status")) ?? .pending
        at = try c.decodeIfPresent(StoredDate.self, forKey: AnyCodingKey("at"))?.date
        by = try c.decodeIfPresent(String.self, forKey: AnyCodingKey("by"))
        note = try c.decodeIfPresent(String.self, forKey: AnyCodingKey("note"))
        unknownFields = try c.unknownFields(known: Self.known)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyCodingKey.self)
        try c.encodeUnknown(unknownFields)
        try c.encode(number, forKey: AnyCodingKey("number"))
        try c.encode(text, forKey: AnyCodingKey("text"))
        try c.encodeIfPresent(command, forKey: AnyCodingKey("command"))
        try c.encode(status, forKey: AnyCodingKey("status"))
        try c.encodeIfPresent(at.map(StoredDate.init), forKey: AnyCodingKey("at"))
        try c.encodeIfPresent(by, forKey: AnyCodingKey("by"))
        try c.encodeIfPresent(note, forKey: AnyCodingKey("note"))
    }
}
