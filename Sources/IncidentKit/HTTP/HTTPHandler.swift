/// What a server does with requests: a plain value, unit-tested without a socket.
public protocol HTTPHandler: Sendable {
    /// Refuses a request from its head alone, before its body is read (wrong path, method,
    /// credentials or content type); nil to read the body and go on.
    func admit(_ head: HTTPRequestHead) -> HTTPResponse?
    /// Answers a whole request.
    func respond(to request: HTTPRequest) -> HTTPResponse
}
