/// An HTTP/1.1 request line and its headers, as read before the body.
public struct HTTPRequestHead: Hashable, Sendable {
    public var method: String
    /// The request target as sent: `/alertmanager`, `/alertmanager?x=1`.
    public var target: String
    /// `HTTP/1.1` or `HTTP/1.0`.
    public var version: String
    /// Header names in lowercase; repeated headers joined with ", ".
    public var headers: [String: String]

    public init(
        method: String, target: String, version: String = "HTTP/1.1",
        headers: [String: String] = [:]
    ) {
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
    }

    public func header(_ name: String) -> String? { headers[name.lowercased()] }

    /// The target without its query.
    public var path: String { String(target.prefix { $0 != "?" && $0 != "#" }) }

    /// HTTP/1.1 keeps the connection unless the client says `Connection: close`; 1.0 closes unless
    /// it says `keep-alive`.
    var keepAlive: Bool {
        let connection = header("connection")?.lowercased() ?? ""
        return version == "HTTP/1.1"
            ? !connection.contains("close") : connection.contains("keep-alive")
    }
}

/// A whole request: its head and its body.
public struct HTTPRequest: Hashable, Sendable {
    public var head: HTTPRequestHead
    public var body: [UInt8]

    public init(head: HTTPRequestHead, body: [UInt8] = []) {
        self.head = head
        self.body = body
    }
}
