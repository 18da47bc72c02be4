/// A link from an incident to somewhere else: a dashboard, a chat channel, a ticket.
public struct Link: Hashable, Sendable {
    public var label: String
    public var url: String
    /// Fields written by a newer irctl, kept through rewrites.
    var unknownFields: [String: JSONValue] = [:]

    public init(label: String, url: String) {
        self.label = label
        self.url = url
    }
}

extension Link: Codable {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        label = try c.decode(String.self, forKey: AnyCodingKey("label"))
        url = try c.decode(String.self, forKey: AnyCodingKey("url"))
        unknownFields = try c.unknownFields(known: ["label", "url"])
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyCodingKey.self)
        try c.encodeUnknown(unknownFields)
        try c.encode(label, forKey: AnyCodingKey("label"))
        try c.encode(url, forKey: AnyCodingKey("url"))
    }
}
