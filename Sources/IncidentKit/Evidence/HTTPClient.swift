import Foundation
import Glibc

/// A plain `http://host:port/prefix` base URL (TLS belongs to a proxy, as for `serve`).
public struct HTTPBaseURL: Hashable, Sendable, CustomStringConvertible {
    public var host: String
    public var port: UInt16
    /// The path every request starts with, without a trailing slash ("" or "/prometheus").
    public var prefix: String

    public init(_ text: String) throws(EvidenceError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.lowercased().hasPrefix("https://") {
            throw .badURL(
                text,
                reason: "https is not spoken here; reach the server through plain http "
                    + "(a local proxy such as 'kubectl port-forward' or stunnel)")
        }
        guard trimmed.lowercased().hasPrefix("http://") else {
            throw .badURL(text, reason: "it must start with http://, e.g. http://localhost:9090")
        }
        let rest = trimmed.dropFirst(7)
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let path = rest.dropFirst(authority.count)
        guard !authority.contains("@") else {
            throw .badURL(text, reason: "credentials in the URL are not supported")
        }
        guard !path.contains("?"), !path.contains("#") else {
            throw .badURL(text, reason: "give the server's base URL, without a query")
        }
        var hostPart = Substring(authority)
        var portPart: Substring?
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            hostPart = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if after.hasPrefix(":") { portPart = after.dropFirst() }
        } else if let colon = authority.lastIndex(of: ":") {
            hostPart = authority[..<colon]
            portPart = authority[authority.index(after: colon)...]
        }
        guard !hostPart.isEmpty,
            hostPart.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-.:".contains($0)) }
            )
        else { throw .badURL(text, reason: "no host name in it") }
        host = String(hostPart)
        if let portPart {
            guard let number = UInt16(portPart), number > 0 else {
                throw .badURL(text, reason: "the port must be a number from 1 to 65535")
            }
            port = number
        } else {
            port = 80
        }
        var cleaned = String(path)
        while cleaned.hasSuffix("/") { cleaned.removeLast() }
        prefix = cleaned
    }

    public var description: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "http://\(shownHost):\(port)\(prefix)"
    }
}

/// One HTTP/1.1 exchange: a GET with `Connection: close`, the whole answer read within a deadline
/// and a size cap. Enough for a JSON API; no redirects, no TLS, no compression.
struct HTTPClient {
    var base: HTTPBaseURL
    var timeout: Double
    var maxBodyBytes: Int

    struct Response {
        var status: Int
        var headers: [String: String]
        var body: [UInt8]
    }

    func get(_ pathAndQuery: String) throws(EvidenceError) -> Response {
        let deadline = Date().addingTimeInterval(timeout)
        let fd = try connect(deadline: deadline)
        defer { close(fd) }
        let host = base.description.dropFirst("http://".count).prefix { $0 != "/" }
        let request =
            "GET \(base.prefix)\(pathAndQuery) HTTP/1.1\r\nHost: \(host)\r\n"
            + "User-Agent: irctl\r\nAccept: application/json\r\nConnection: close\r\n\r\n"
        try send(fd, Array(request.utf8), deadline: deadline)
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        // The head, the body and chunk framing together stay under the cap plus room for headers.
        let cap = maxBodyBytes + 64 * 1024
        while true {
            try wait(fd, for: Int16(POLLIN), deadline: deadline, doing: "read the answer")
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw .unreachable(base.description, reason: String(cString: strerror(errno)))
            }
            if n == 0 { break }
            bytes += chunk[0..<n]
            if bytes.count > cap { throw .tooLarge(limit: maxBodyBytes) }
        }
        return try Self.parse(bytes, maxBodyBytes: maxBodyBytes, server: base.description)
    }

    /// Splits a whole response into its status, headers and body (`Content-Length`, chunked, or
    /// up to the close).
    static func parse(
        _ bytes: [UInt8], maxBodyBytes: Int, server: String
    ) throws(EvidenceError) -> Response {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard
            let end = bytes.indices.first(where: { i in
                i + 4 <= bytes.count && Array(bytes[i..<(i + 4)]) == separator
            })
        else { throw .badAnswer(server, reason: "the connection closed before a whole answer") }
        let head = String(decoding: bytes[..<end], as: UTF8.self)
        var lines = head.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ", maxSplits: 2)
        guard statusLine.count >= 2, statusLine[0].hasPrefix("HTTP/1."),
            let status = Int(statusLine[1])
        else { throw .badAnswer(server, reason: "not an HTTP/1.1 answer") }
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...]
                .trimmingCharacters(in: .whitespaces)
        }
        var body = Array(bytes[(end + 4)...])
        if headers["transfer-encoding"]?.lowercased().contains("chunked") == true {
            body = try dechunk(body, server: server)
        } else if let length = headers["content-length"].flatMap(Int.init) {
            guard body.count >= length else {
                throw .badAnswer(server, reason: "the answer was cut short")
            }
            body = Array(body[..<length])
        }
        if body.count > maxBodyBytes { throw .tooLarge(limit: maxBodyBytes) }
        return Response(status: status, headers: headers, body: body)
    }

    static func dechunk(_ bytes: [UInt8], server: String) throws(EvidenceError) -> [UInt8] {
        var out: [UInt8] = []
        var index = 0
        while true {
            guard let lineEnd = bytes[index...].firstIndex(of: 10), lineEnd > index else {
                throw .badAnswer(server, reason: "the answer was cut short")
            }
            let sizeText = String(decoding: bytes[index..<lineEnd], as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
                .prefix { $0 != ";" }
            guard let size = Int(sizeText, radix: 16), size >= 0 else {
                throw .badAnswer(server, reason: "a malformed chunk size")
            }
            index = lineEnd + 1
            if size == 0 { return out }
            guard index + size <= bytes.count else {
                throw .badAnswer(server, reason: "the answer was cut short")
            }
            out += bytes[index..<(index + size)]
            index += size
            // The CRLF after the chunk's data.
            while index < bytes.count, bytes[index] == 13 || bytes[index] == 10 {
                index += 1
                if bytes[index - 1] == 10 { break }
            }
        }
    }

    private func connect(deadline: Date) throws(EvidenceError) -> Int32 {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_family = AF_UNSPEC
        var list: UnsafeMutablePointer<addrinfo>?
        let looked = getaddrinfo(base.host, String(base.port), &hints, &list)
        guard looked == 0, let first = list else {
            throw .unreachable(
                base.description,
                reason: "cannot resolve '\(base.host)': "
                    + String(cString: gai_strerror(looked)))
        }
        defer { freeaddrinfo(list) }
        var reason = "no address"
        var current: UnsafeMutablePointer<addrinfo>? = first
        while let info = current {
            current = info.pointee.ai_next
            let fd = socket(
                info.pointee.ai_family,
                Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
                    | Int32(SOCK_NONBLOCK.rawValue), 0)
            guard fd >= 0 else { continue }
            if Glibc.connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 {
                return fd
            }
            guard errno == EINPROGRESS else {
                reason = String(cString: strerror(errno))
                close(fd)
                continue
            }
            do {
                try wait(fd, for: Int16(POLLOUT), deadline: deadline, doing: "connect")
            } catch {
                close(fd)
                throw error
            }
            var code: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &code, &length)
            if code == 0 { return fd }
            reason = String(cString: strerror(code))
            close(fd)
        }
        throw .unreachable(base.description, reason: reason)
    }

    private func send(_ fd: Int32, _ bytes: [UInt8], deadline: Date) throws(EvidenceError) {
        var offset = 0
        while offset < bytes.count {
            try wait(fd, for: Int16(POLLOUT), deadline: deadline, doing: "send the query")
            let n = bytes.withUnsafeBytes {
                Glibc.send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL))
            }
            if n < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw .unreachable(base.description, reason: String(cString: strerror(errno)))
            }
            offset += n
        }
    }

    private func wait(
        _ fd: Int32, for events: Int16, deadline: Date, doing what: String
    ) throws(EvidenceError) {
        while true {
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else { throw .timedOut(base.description, seconds: timeout, doing: what) }
            var poller = pollfd(fd: fd, events: events, revents: 0)
            let ready = poll(&poller, 1, Int32(min(left, 1) * 1000) + 1)
            if ready > 0 { return }
            if ready < 0, errno != EINTR {
                throw .unreachable(base.description, reason: String(cString: strerror(errno)))
            }
        }
    }
}
