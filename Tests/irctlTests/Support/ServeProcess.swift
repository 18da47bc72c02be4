import Foundation
import Glibc
import Testing

/// `irctl serve` running in a sandbox's store on a free loopback port, stopped (SIGTERM, then
/// SIGKILL) when the value goes away, so a failing test never leaves it behind.
final class ServeProcess {
    let pid: pid_t
    let port: UInt16
    let logPath: String
    private var exitStatus: Int32?

    /// Starts `irctl serve --listen 127.0.0.1:0 extra…` and waits (at most 30 s) for its
    /// "listening on" line.
    init(_ box: borrowing Sandbox, _ extra: [String] = [], env: [String: String] = [:]) throws {
        logPath = box.root + "/serve-\(UUID().uuidString.prefix(6)).log"
        var environment = box.environment
        environment.merge(env) { $1 }
        pid = try Shell.spawn(
            [Sandbox.binary, "serve", "--listen", "127.0.0.1:0"] + extra, environment: environment,
            stdout: box.root + "/serve.out", stderr: logPath)
        var found: UInt16?
        let deadline = Date().addingTimeInterval(30)
        while found == nil, Date() < deadline {
            let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            if let range = log.range(of: "listening on 127.0.0.1:") {
                found = UInt16(log[range.upperBound...].prefix { $0.isNumber })
            }
            var status: Int32 = 0
            if found == nil, waitpid(pid, &status, WNOHANG) == pid {
                throw ServeError(message: "irctl serve exited at start: \(log)")
            }
            usleep(20_000)
        }
        guard let found else {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
            throw ServeError(
                message:
                    "irctl serve did not say where it listens within 30s: "
                    + "\((try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "")"
            )
        }
        port = found
    }

    struct ServeError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// Sends `signal` and waits (at most `timeout` s) for the exit status; nil when it did not end.
    func stop(_ signal: Int32 = SIGTERM, timeout: Double = 20) -> Int32? {
        if let exitStatus { return exitStatus }
        kill(pid, signal)
        exitStatus = Shell.wait(pid, timeout: timeout)
        return exitStatus
    }

    deinit {
        if exitStatus == nil { _ = stop(SIGTERM, timeout: 5) }
    }
}

/// A client on a raw socket: exactly the bytes a test wants, sent when it wants.
final class RawClient {
    let fd: Int32

    init(port: UInt16) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            close(fd)
            throw ServeProcess.ServeError(
                message: "connect to port \(port) failed: \(String(cString: strerror(errno)))")
        }
    }

    deinit { close(fd) }

    func send(_ text: String) { send(Array(text.utf8)) }

    func send(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes {
                Glibc.send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL))
            }
            if n <= 0 { return }
            offset += n
        }
    }

    /// Reads until the server closes, or one whole response (by its Content-Length) has arrived,
    /// or `timeout` seconds pass.
    func response(timeout: Double = 20) -> HTTPReply {
        var bytes: [UInt8] = []
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let reply = HTTPReply(bytes), reply.complete { return reply }
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 100) > 0 else { continue }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            bytes += chunk[0..<n]
        }
        return HTTPReply(bytes) ?? HTTPReply(status: 0, headers: [:], body: "", complete: false)
    }

    /// Reads until a response head has arrived (an interim `100 Continue` counts), or `timeout`
    /// seconds pass; its status, or 0.
    func interimStatus(timeout: Double = 20) -> Int {
        var bytes: [UInt8] = []
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let reply = HTTPReply(bytes) { return reply.status }
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 100) > 0 else { continue }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            bytes += chunk[0..<n]
        }
        return HTTPReply(bytes)?.status ?? 0
    }

    /// True when the server has closed this connection (within `timeout` seconds).
    func closedByServer(timeout: Double = 20) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 100) > 0 else { continue }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { return true }
        }
        return false
    }
}

/// A response as the test client read it.
struct HTTPReply {
    var status: Int
    var headers: [String: String]
    var body: String
    var complete: Bool

    init(status: Int, headers: [String: String], body: String, complete: Bool) {
        self.status = status
        self.headers = headers
        self.body = body
        self.complete = complete
    }

    init?(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let end = text.range(of: "\r\n\r\n") else { return nil }
        let lines = text[..<end.lowerBound].components(separatedBy: "\r\n")
        let parts = lines[0].split(separator: " ")
        guard parts.count >= 2, let status = Int(parts[1]) else { return nil }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...]
                .trimmingCharacters(in: .whitespaces)
        }
        let body = String(text[end.upperBound...])
        self.status = status
        self.headers = headers
        self.body = body
        complete = Int(headers["content-length"] ?? "-1").map { body.utf8.count >= $0 } ?? false
    }
}

extension ServeProcess {
    /// Posts `body` to /alertmanager on a new connection and returns the response.
    func post(
        _ body: String, token: String? = nil, path: String = "/alertmanager",
        contentType: String? = "application/json",
        extraHeaders: String = ""
    ) throws -> HTTPReply {
        let client = try RawClient(port: port)
        var head =
            "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: "
            + "\(body.utf8.count)\r\nConnection: close\r\n"
        if let contentType { head += "Content-Type: \(contentType)\r\n" }
        if let token { head += "Authorization: Bearer \(token)\r\n" }
        client.send(head + extraHeaders + "\r\n" + body)
        return client.response()
    }
}
