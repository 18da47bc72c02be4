/// A link from an incident to somewhere else: a dashboard, a chat channel, a ticket.
public struct Link: Codable, Hashable, Sendable {
    public var label: String
    public var url: String
    public init(label: String, url: String) {
        self.label = label
        self.url = url
    }
}
