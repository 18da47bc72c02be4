/// What a server does with requests: a plain value, unit-tested without a socket.
public protocol HTTPHandler: Sendable {
    /// Checks the credentials of an `Authorization` header line as soon as it arrives, before the
    /// rest of the head: a client that can't authenticate is answered at once, and one that can
    /// is kept when room must be made.
    func authenticate(authorization: String) -> HTTPAuthentication
    /// Refuses a request from its head alone, before its body is read (wrong path, method,
    /// credentials or content type); nil to read the body and go on.
    func admit(_ head: HTTPRequestHead) -> HTTPResponse?
    /// Answers a whole request.
    func respond(to request: HTTPRequest) -> HTTPResponse
}

/// What an `Authorization` header line says about a client.
public enum HTTPAuthentication: Sendable {
    /// The handler asks for no credentials: a client is trusted once its head is admitted.
    case notRequired
    case accepted
    /// Wrong credentials: answered with this response and closed.
    case refused(HTTPResponse)
}

extension HTTPHandler {
    public func authenticate(authorization: String) -> HTTPAuthentication { .notRequired }
}
