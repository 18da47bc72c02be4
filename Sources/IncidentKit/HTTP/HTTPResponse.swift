/// A response: a status, a one-line reason in a plain-text body, and what the log line says.
public struct HTTPResponse: Hashable, Sendable {
    public var status: Int
    public var headers: [String: String]
    public var body: [UInt8]
    /// What the server's log line adds after the status (the incident changed, the refusal).
    public var note: String

    public init(status: Int, headers: [String: String] = [:], body: [UInt8] = [], note: String = "")
    {
        self.status = status
        self.headers = headers
        self.body = body
        self.note = note
    }

    /// A plain-text response of one line, which is also what the log says.
    public static func text(
        _ status: Int, _ line: String, headers: [String: String] = [:]
    ) -> HTTPResponse {
        var headers = headers
        headers["Content-Type"] = "text/plain; charset=utf-8"
        return HTTPResponse(
            status: status, headers: headers, body: Array((line + "\n").utf8), note: line)
    }

    static func reasonPhrase(_ status: Int) -> String {
        switch status {
        case 100: "Continue"
        case 200: "OK"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 408: "Request Timeout"
        case 411: "Length Required"
        case 413: "Content Too Large"
        case 415: "Unsupported Media Type"
        case 431: "Request Header Fields Too Large"
        case 500: "Internal Server Error"
        case 503: "Service Unavailable"
        case 505: "HTTP Version Not Supported"
        default: "Status \(status)"
        }
    }

    /// The bytes on the wire; `keepAlive` false adds `Connection: close`.
    func serialized(keepAlive: Bool) -> [UInt8] {
        var head = "HTTP/1.1 \(status) \(Self.reasonPhrase(status))\r\n"
        var headers = self.headers
        headers["Content-Length"] = String(body.count)
        headers["Connection"] = keepAlive ? "keep-alive" : "close"
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) {
            head += "\(name): \(value)\r\n"
        }
        head += "\r\n"
        return Array(head.utf8) + body
    }
}
