import Foundation

/// Dates as the store writes them (UTC ISO 8601), and unknown fields kept through rewrites.
extension ActionItem: Codable {
    private static let known: Set<String> = [
        "id", "text", "owner", "due", "type", "priority",
        "status", "createdAt", "doneAt", "note", "aliases",
    ]

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        func key(_ name: String) -> AnyCodingKey { AnyCodingKey(name) }
        id = try c.decode(String.self, forKey: key("id"))
        text = try c.decode(String.self, forKey: key("text"))
        owner = try c.decodeIfPresent(String.self, forKey: key("owner"))
        due = try c.decodeIfPresent(StoredDate.self, forKey: key("due"))?.date
        // A type this version does not know is dropped from the typed field but kept verbatim.
        let typeText = try c.decodeIfPresent(String.self, forKey: key("type"))
        type = typeText.flatMap(ItemType.init(rawValue:))
        priority = try c.decodeIfPresent(String.self, forKey: key("priority"))
        status = try c.decodeIfPresent(Status.self, forKey: key("status")) ?? .open
        createdAt = try c.decode(StoredDate.self, forKey: key("createdAt")).date
        doneAt = try c.decodeIfPresent(StoredDate.self, forKey: key("doneAt"))?.date
        note = try c.decodeIfPresent(String.self, forKey: key("note"))
        aliases = try c.decodeIfPresent([String].self, forKey: key("aliases")) ?? []
        var known = Self.known
        if type == nil { known.remove("type") }
        unknownFields = try c.unknownFields(known: known)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyCodingKey.self)
        func key(_ name: String) -> AnyCodingKey { AnyCodingKey(name) }
        try c.encodeUnknown(unknownFields)
        try c.encode(id, forKey: key("id"))
        try c.encode(text, forKey: key("text"))
        try c.encodeIfPresent(owner, forKey: key("owner"))
        try c.encodeIfPresent(due.map(StoredDate.init), forKey: key("due"))
        try c.encodeIfPresent(type, forKey: key("type"))
        try c.encodeIfPresent(priority, forKey: key("priority"))
        try c.encode(status, forKey: key("status"))
        try c.encode(StoredDate(createdAt), forKey: key("createdAt"))
        try c.encodeIfPresent(doneAt.map(StoredDate.init), forKey: key("doneAt"))
        try c.encodeIfPresent(note, forKey: key("note"))
        if !aliases.isEmpty { try c.encode(aliases, forKey: key("aliases")) }
    }
}
