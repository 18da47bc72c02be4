import Foundation
import Glibc

/// A small HTTP/1.1 server on plain sockets: one thread per connection, a bounded number of
/// connections, explicit limits on what a client may send, a whole-request deadline, keep-alive,
/// one log line per request, and a clean stop on SIGTERM or SIGINT.
///
/// Three layers, each testable alone: ``Socket`` owns a descriptor, ``HTTPRequestDecoder``
/// reads requests within ``HTTPLimits``, and an ``HTTPHandler`` answers them.
public struct HTTPServer<Handler: HTTPHandler>: Sendable {
    public var handler: Handler
    public var limits: HTTPLimits
    /// Seconds a client has to send a whole request, from its first byte (or from connecting).
    public var requestTimeout: Double
    /// Seconds an idle keep-alive connection is kept open between requests. Longer than the 90 s
    /// after which Go's HTTP client (Alertmanager's) drops idle connections, so that the client
    /// always closes first and never posts on a connection the server is closing.
    public var idleTimeout: Double
    /// Connections served at once; more are answered 503 at once and closed.
    public var maxConnections: Int
    /// Receives one line per request (and a line when the server stops).
    public var log: @Sendable (String) -> Void

    public init(handler: Handler, limits: HTTPLimits = HTTPLimits(), requestTimeout: Double = 10, idleTimeout: Double = 120,
                maxConnections: Int = 32, log: @escaping @Sendable (String) -> Void) {
        self.handler = handler
        self.limits = limits
        self.requestTimeout = requestTimeout
        self.idleTimeout = idleTimeout
        self.maxConnections = maxConnections
        self.log = log
    }

    /// The signals that stop the server. Call ``blockStopSignals()`` before any thread starts, so
    /// that every thread inherits the mask and the signals wait for ``run(on:)`` to take them.
    public static var stopSignals: [Int32] { [SIGTERM, SIGINT] }

    public static func blockStopSignals() {
        var set = sigset_t()
        sigemptyset(&set)
        for signal in stopSignals { sigaddset(&set, signal) }
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    /// Serves until SIGTERM or SIGINT arrives, then stops accepting, lets the requests under way
    /// finish (within the request deadline), and returns the signal's number.
    public func run(on listener: Socket) -> Int32 {
        Self.blockStopSignals()
        var stopSet = sigset_t()
        sigemptyset(&stopSet)
        for signal in Self.stopSignals { sigaddset(&stopSet, signal) }
        let state = ServerState()
        var received: Int32 = 0
        while received == 0 {
            var poller = pollfd(fd: listener.fd, events: Int16(POLLIN), revents: 0)
            if poll(&poller, 1, 200) > 0, let connection = listener.accept() {
                if state.enter(limit: maxConnections) {
                    let server = self
                    let thread = Thread {
                        server.serve(connection, state: state)
                        state.leave()
                    }
                    thread.stackSize = 1 << 20
                    thread.start()
                } else {
                    let response = HTTPResponse.text(503, "too many connections (\(maxConnections)); retry")
                    connection.write(response.serialized(keepAlive: false), waiting: 100)
                    logLine(connection.address, "-", "-", response, started: Date())
                }
            }
            var zero = timespec(tv_sec: 0, tv_nsec: 0)
            let signal = sigtimedwait(&stopSet, nil, &zero)
            if signal > 0 { received = signal }
        }
        state.stop()
        let deadline = Date().addingTimeInterval(requestTimeout + 2)
        while state.active > 0, Date() < deadline { usleep(20_000) }
        let name = received == SIGTERM ? "SIGTERM" : received == SIGINT ? "SIGINT" : "signal \(received)"
        log("\(Timestamp.format(Date())) stopped on \(name)" + (state.active > 0 ? " (\(state.active) connections cut)" : ""))
        return received
    }

    /// One connection: requests one after another while the client keeps it alive.
    func serve(_ connection: Socket, state: ServerState) {
        var buffer: [UInt8] = []
        var requestStarted: Date? = Date()  // a new connection must send its first request in time
        var idleSince = Date()
        while true {
            // The head.
            var decoded: (HTTPRequestHead, Int)?
            while decoded == nil {
                do {
                    decoded = try HTTPRequestDecoder.decodeHead(buffer, limits: limits)
                } catch {
                    finish(connection, error.response, method: "-", target: "-", started: requestStarted ?? Date())
                    return
                }
                if decoded != nil { break }
                let now = Date()
                if let started = requestStarted {
                    if now.timeIntervalSince(started) > requestTimeout {
                        finish(connection, .text(408, "request not received within \(Int(requestTimeout))s"), method: "-", target: "-", started: started)
                        return
                    }
                } else if state.stopping || now.timeIntervalSince(idleSince) > idleTimeout {
                    return
                }
                if buffer.isEmpty, state.stopping { return }
                let wait = requestStarted.map { requestTimeout - now.timeIntervalSince($0) } ?? 0.25
                switch connection.read(into: &buffer, waiting: Int32(max(1, min(wait, 0.25) * 1000))) {
                case .bytes: if requestStarted == nil { requestStarted = Date() }
                case .timedOut: continue
                case .closed, .failed: return
                }
            }
            let (head, consumed) = decoded!
            let started = requestStarted ?? Date()
            let target = TerminalText.singleLine(String(head.path.prefix(100)))
            if let refusal = handler.admit(head) {
                finish(connection, refusal, method: head.method, target: target, started: started)
                return
            }
            let length: Int
            do {
                length = try HTTPRequestDecoder.bodyLength(head, limits: limits)
            } catch {
                finish(connection, error.response, method: head.method, target: target, started: started)
                return
            }
            if head.header("expect")?.lowercased() == "100-continue", buffer.count - consumed < length {
                connection.write(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))
            }
            // The body, within the same deadline.
            while buffer.count - consumed < length {
                let remaining = requestTimeout - Date().timeIntervalSince(started)
                guard remaining > 0 else {
                    finish(connection, .text(408, "request body not received within \(Int(requestTimeout))s"),
                           method: head.method, target: target, started: started)
                    return
                }
                switch connection.read(into: &buffer, max: min(65536, length - (buffer.count - consumed)),
                                       waiting: Int32(max(1, min(remaining, 0.25) * 1000))) {
                case .bytes, .timedOut: continue
                case .closed, .failed: return
                }
            }
            let body = Array(buffer[consumed..<(consumed + length)])
            buffer.removeFirst(consumed + length)
            let response = handler.respond(to: HTTPRequest(head: head, body: body))
            let keepAlive = head.keepAlive && response.status < 400 && !state.stopping
            guard connection.write(response.serialized(keepAlive: keepAlive)) else { return }
            logLine(connection.address, head.method, target, response, started: started)
            guard keepAlive else {
                connection.shutdownWrite()
                return
            }
            requestStarted = buffer.isEmpty ? nil : Date()
            idleSince = Date()
        }
    }

    /// Answers with `response`, closes, and logs.
    private func finish(_ connection: Socket, _ response: HTTPResponse, method: String, target: String, started: Date) {
        connection.write(response.serialized(keepAlive: false))
        connection.shutdownWrite()
        logLine(connection.address, method, target, response, started: started)
        // Let the client read the answer before the close resets the connection on unread input.
        var sink: [UInt8] = []
        _ = connection.read(into: &sink, max: 4096, waiting: 50)
    }

    private func logLine(_ peer: String, _ method: String, _ target: String, _ response: HTTPResponse, started: Date) {
        let milliseconds = Int(Date().timeIntervalSince(started) * 1000)
        let method = TerminalText.singleLine(String(method.prefix(16)))
        var line = "\(Timestamp.format(Date())) \(peer) \(method) \(target) \(response.status) \(milliseconds)ms"
        if !response.note.isEmpty { line += " " + TerminalText.singleLine(response.note) }
        log(line)
    }
}

/// What the accept loop and the connection threads share: how many connections are served, and
/// whether the server is stopping. Every access holds the lock.
final class ServerState: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    private var stopRequested = false

    var active: Int { lock.withLock { count } }
    var stopping: Bool { lock.withLock { stopRequested } }

    /// Takes a connection slot, or returns false when all are taken.
    func enter(limit: Int) -> Bool {
        lock.withLock {
            guard count < limit else { return false }
            count += 1
            return true
        }
    }

    func leave() { lock.withLock { count -= 1 } }
    func stop() { lock.withLock { stopRequested = true } }
}
