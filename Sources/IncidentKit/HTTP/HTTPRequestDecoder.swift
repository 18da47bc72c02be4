/// Limits that keep one client from using more than its share: a request is refused as soon as
/// it goes past one of them.
public struct HTTPLimits: Hashable, Sendable {
    /// Request line and headers together.
    public var maxHeadBytes: Int
    public var maxHeaderCount: Int
    /// The largest body accepted (`Content-Length` above it is refused before it is read).
    public var maxBodyBytes: Int

    public init(
        maxHeadBytes: Int = 16 * 1024, maxHeaderCount: Int = 64, maxBodyBytes: Int = 4 * 1024 * 1024
    ) {
        self.maxHeadBytes = maxHeadBytes
        self.maxHeaderCount = maxHeaderCount
        self.maxBodyBytes = maxBodyBytes
    }
}

/// A request the decoder refuses, with the status to answer and a one-line reason.
public struct HTTPError: DescribedError, Hashable, Sendable {
    public var status: Int
    public var reason: String
    public init(_ status: Int, _ reason: String) {
        self.status = status
        self.reason = reason
    }
    public var message: String { reason }
    public var response: HTTPResponse { .text(status, reason) }
}

/// Reads an HTTP/1.1 request head from the bytes received so far, with explicit limits. Pure:
/// the server feeds it bytes, tests feed it strings.
public enum HTTPRequestDecoder {
    /// The head and the number of bytes it took (the body starts there), or nil while the head is
    /// incomplete. Throws for a malformed head or one past the limits.
    public static func decodeHead(
        _ buffer: [UInt8], limits: HTTPLimits = HTTPLimits()
    ) throws(HTTPError) -> (HTTPRequestHead, Int)? {
        // Blank lines before a request are allowed (RFC 9112 §2.2).
        var start = 0
        while start + 1 < buffer.count, buffer[start] == 0x0D, buffer[start + 1] == 0x0A {
            start += 2
        }
        guard let end = headEnd(buffer, from: start) else {
            if buffer.count - start > limits.maxHeadBytes {
                throw HTTPError(431, "request headers larger than \(limits.maxHeadBytes) bytes")
            }
            return nil
        }
        if end - start > limits.maxHeadBytes {
            throw HTTPError(431, "request headers larger than \(limits.maxHeadBytes) bytes")
        }
        guard let text = String(validating: buffer[start..<end], as: UTF8.self) else {
            throw HTTPError(400, "request headers are not valid UTF-8")
        }
        var lines = text.components(separatedBy: "\r\n")
        let requestLine = lines.removeFirst().split(
            separator: " ", omittingEmptySubsequences: false)
        guard requestLine.count == 3, !requestLine[0].isEmpty,
            requestLine[0].allSatisfy({ $0.isASCII && $0.isUppercase }),
            requestLine[1].hasPrefix("/") || requestLine[1] == "*"
        else {
            throw HTTPError(400, "malformed request line")
        }
        let version = String(requestLine[2])
        guard version == "HTTP/1.1" || version == "HTTP/1.0" else {
            throw HTTPError(
                version.hasPrefix("HTTP/") ? 505 : 400,
                "unsupported protocol version '\(version.prefix(20))'; use HTTP/1.1")
        }
        guard lines.count <= limits.maxHeaderCount else {
            throw HTTPError(431, "more than \(limits.maxHeaderCount) request headers")
        }
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else {
                throw HTTPError(400, "malformed header line")
            }
            let name = line[..<colon]
            // No whitespace before the colon, and no obsolete line folding (RFC 9112 §5.1, §5.2).
            guard !name.isEmpty,
                name.allSatisfy({
                    $0.isASCII && !$0.isWhitespace && $0 != "\u{7F}" && $0.asciiValue! > 0x20
                })
            else {
                throw HTTPError(400, "malformed header name")
            }
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            guard
                !value.unicodeScalars.contains(where: {
                    $0.value < 0x20 && $0 != "\t" || $0.value == 0x7F
                })
            else {
                throw HTTPError(400, "control character in header '\(name)'")
            }
            let key = name.lowercased()
            if let old = headers[key] {
                // Two lengths could make us and a proxy in front disagree about where the body
                // ends.
                if key == "content-length" || key == "host" {
                    throw HTTPError(400, "repeated '\(name)' header")
                }
                headers[key] = old + ", " + value
            } else {
                headers[key] = value
            }
        }
        return (
            HTTPRequestHead(
                method: String(requestLine[0]), target: String(requestLine[1]), version: version,
                headers: headers), end + 4
        )
    }

    /// The body length the head announces: `Content-Length` is required (no chunked bodies) and
    /// capped; a GET without one has no body, as clients such as Prometheus send it.
    public static func bodyLength(
        _ head: HTTPRequestHead, limits: HTTPLimits = HTTPLimits()
    ) throws(HTTPError) -> Int {
        if head.header("transfer-encoding") != nil {
            throw HTTPError(411, "chunked bodies are not accepted; send Content-Length")
        }
        guard let text = head.header("content-length") else {
            if head.method == "GET" { return 0 }
            throw HTTPError(411, "Content-Length required")
        }
        guard !text.isEmpty, text.count <= 19, text.allSatisfy({ $0.isASCII && $0.isNumber }),
            let length = Int(text)
        else {
            throw HTTPError(400, "invalid Content-Length '\(text.prefix(20))'")
        }
        guard length <= limits.maxBodyBytes else {
            throw HTTPError(
                413, "body of \(length) bytes is over the limit of \(limits.maxBodyBytes) bytes")
        }
        return length
    }

    /// The value of the first header line named `name` (lowercase) that has arrived whole, from a
    /// head that may not have: so that credentials are checked as soon as their line is in.
    public static func earlyHeader(
        _ name: String, in buffer: [UInt8],
        limits: HTTPLimits = HTTPLimits()
    ) -> String? {
        let prefix = Array((name + ":").utf8)
        let end = min(buffer.count, limits.maxHeadBytes)
        var start = 0
        var first = true
        var i = 0
        while i + 1 < end {
            guard buffer[i] == 0x0D, buffer[i + 1] == 0x0A else {
                i += 1
                continue
            }
            if i == start, !first { return nil }  // the blank line: the head is over
            if !first, i - start > prefix.count,
                zip(buffer[start..<(start + prefix.count)], prefix).allSatisfy({ $0 | 0x20 == $1 }),
                let value = String(validating: buffer[(start + prefix.count)..<i], as: UTF8.self)
            {
                return value.trimmingCharacters(in: .whitespaces)
            }
            if i > start { first = false }  // blank lines before the request line are skipped
            i += 2
            start = i
        }
        return nil
    }

    /// Where `\r\n\r\n` starts, if it has arrived.
    private static func headEnd(_ buffer: [UInt8], from start: Int) -> Int? {
        guard buffer.count >= start + 4 else { return nil }
        var i = start
        while i + 3 < buffer.count {
            if buffer[i] == 0x0D, buffer[i + 1] == 0x0A, buffer[i + 2] == 0x0D,
                buffer[i + 3] == 0x0A
            {
                return i
            }
            i += 1
        }
        return nil
    }
}
