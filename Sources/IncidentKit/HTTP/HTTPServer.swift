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
    /// Connections served at once. Clients that have not authenticated yet (no valid
    /// `Authorization` line, or no request head admitted when no token is asked) may hold only
    /// ``maxUnauthenticated`` of them, and ``maxUnauthenticatedPerPeer`` from one address: past
    /// that, the oldest of them is closed to make room. When every slot holds an authenticated
    /// client, a new connection is answered 503 at once and closed.
    public var maxConnections: Int
    public var maxUnauthenticated: Int { max(1, maxConnections - maxConnections / 4) }
    public var maxUnauthenticatedPerPeer: Int { max(1, maxConnections / 4) }
    /// Seconds a new connection has to authenticate before it may be closed to make room: a real
    /// client sends its whole head at once, so only one that holds a slot without it is closed.
    public static var evictionGrace: Double { 1 }
    /// Receives one line per request (and a line when the server stops).
    public var log: @Sendable (String) -> Void

    public init(
        handler: Handler, limits: HTTPLimits = HTTPLimits(), requestTimeout: Double = 10,
        idleTimeout: Double = 120,
        maxConnections: Int = 32, log: @escaping @Sendable (String) -> Void
    ) {
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
                if let id = state.enter(
                    peer: Self.host(connection.address),
                    limit: maxConnections,
                    unauthenticated: maxUnauthenticated,
                    perPeer: maxUnauthenticatedPerPeer,
                    grace: Self.evictionGrace)
                {
                    let server = self
                    let thread = Thread {
                        server.serve(connection, id: id, state: state)
                        state.leave(id)
                    }
                    thread.stackSize = 1 << 20
                    thread.start()
                } else {
                    let response = HTTPResponse.text(
                        503, "too many connections (\(maxConnections)); retry")
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
        let name =
            received == SIGTERM ? "SIGTERM" : received == SIGINT ? "SIGINT" : "signal \(received)"
        log(
            "\(Timestamp.format(Date())) stopped on \(name)"
                + (state.active > 0 ? " (\(state.active) connections cut)" : ""))
        return received
    }

    /// The address part of `host:port` (`[::1]` for IPv6).
    static func host(_ address: String) -> String {
        address.lastIndex(of: ":").map { String(address[..<$0]) } ?? address
    }

    /// One connection: requests one after another while the client keeps it alive.
    func serve(_ connection: Socket, id: Int, state: ServerState) {
        var buffer: [UInt8] = []
        var requestStarted: Date? = Date()  // a new connection must send its first request in time
        var idleSince = Date()
        var authenticated = false
        while true {
            // The head.
            var decoded: (HTTPRequestHead, Int)?
            while decoded == nil {
                if let reason = state.evicted(id) {
                    finish(
                        connection, .text(503, reason), method: "-", target: "-",
                        started: requestStarted ?? Date())
                    return
                }
                // Credentials count as soon as their line is in, before the rest of the head.
                if !authenticated,
                    let line = HTTPRequestDecoder.earlyHeader(
                        "authorization", in: buffer,
                        limits: limits)
                {
                    switch handler.authenticate(authorization: line) {
                    case .accepted:
                        authenticated = true
                        state.authenticate(id)
                    case .refused(let response):
                        finish(
                            connection, response, method: "-", target: "-",
                            started: requestStarted ?? Date())
                        return
                    case .notRequired:
                        break
                    }
                }
                do {
                    decoded = try HTTPRequestDecoder.decodeHead(buffer, limits: limits)
                } catch {
                    finish(
                        connection, error.response, method: "-", target: "-",
                        started: requestStarted ?? Date())
                    return
                }
                if decoded != nil { break }
                let now = Date()
                if let started = requestStarted {
                    if now.timeIntervalSince(started) > requestTimeout {
                        finish(
                            connection,
                            .text(408, "request not received within \(Int(requestTimeout))s"),
                            method: "-", target: "-", started: started)
                        return
                    }
                } else if state.stopping || now.timeIntervalSince(idleSince) > idleTimeout {
                    return
                }
                if buffer.isEmpty, state.stopping { return }
                let wait = requestStarted.map { requestTimeout - now.timeIntervalSince($0) } ?? 0.25
                switch connection.read(
                    into: &buffer, waiting: Int32(max(1, min(wait, 0.25) * 1000)))
                {
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
            // Admitted: its credentials held, or none are asked for.
            if !authenticated {
                authenticated = true
                state.authenticate(id)
            }
            let length: Int
            do {
                length = try HTTPRequestDecoder.bodyLength(head, limits: limits)
            } catch {
                finish(
                    connection, error.response, method: head.method, target: target,
                    started: started)
                return
            }
            if head.header("expect")?.lowercased() == "100-continue",
                buffer.count - consumed < length
            {
                connection.write(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))
            }
            // The body, within the same deadline.
            while buffer.count - consumed < length {
                let remaining = requestTimeout - Date().timeIntervalSince(started)
                guard remaining > 0 else {
                    finish(
                        connection,
                        .text(408, "request body not received within \(Int(requestTimeout))s"),
                        method: head.method, target: target, started: started)
                    return
                }
                switch connection.read(
                    into: &buffer, max: min(65536, length - (buffer.count - consumed)),
                    waiting: Int32(max(1, min(remaining, 0.25) * 1000)))
                {
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
    private func finish(
        _ connection: Socket, _ response: HTTPResponse, method: String, target: String,
        started: Date
    ) {
        connection.write(response.serialized(keepAlive: false))
        connection.shutdownWrite()
        logLine(connection.address, method, target, response, started: started)
        // Let the client read the answer before the close resets the connection on unread input.
        var sink: [UInt8] = []
        _ = connection.read(into: &sink, max: 4096, waiting: 50)
    }

    private func logLine(
        _ peer: String, _ method: String, _ target: String, _ response: HTTPResponse, started: Date
    ) {
        let milliseconds = Int(Date().timeIntervalSince(started) * 1000)
        let method = TerminalText.singleLine(String(method.prefix(16)))
        var line =
            "\(Timestamp.format(Date())) \(peer) \(method) \(target) \(response.status) "
            + "\(milliseconds)ms"
        if !response.note.isEmpty { line += " " + TerminalText.singleLine(response.note) }
        log(line)
    }
}

/// What the accept loop and the connection threads share: the connections served, which of them
/// have authenticated, and whether the server is stopping. Every access holds the lock.
final class ServerState: @unchecked Sendable {
    private struct Connection {
        var peer: String
        var since: Date
        var authenticated = false
    }

    private let lock = NSLock()
    private var connections: [Int: Connection] = [:]
    /// Connections closed to make room, with the reason, until their thread sees it.
    private var evictions: [Int: String] = [:]
    private var threads = 0
    private var nextID = 0
    private var stopRequested = false

    /// Threads still serving a connection (closed-to-make-room ones included, until they end).
    var active: Int { lock.withLock { threads } }
    var stopping: Bool { lock.withLock { stopRequested } }

    /// Takes a slot for a connection from `peer`, or returns nil when there is no room. Makes room
    /// by closing the oldest connection that has not authenticated within `grace` seconds: the
    /// peer's own when it holds `perPeer` of them, else one of the peer that holds the most when
    /// all `limit` slots, or `unauthenticated` of them, are taken.
    func enter(
        peer: String, limit: Int, unauthenticated: Int, perPeer: Int,
        grace: Double
    ) -> Int? {
        lock.withLock {
            let now = Date()
            let waiting = connections.filter { !$0.value.authenticated }
            let stale = waiting.filter { now.timeIntervalSince($0.value.since) >= grace }
            let fromPeer = waiting.filter { $0.value.peer == peer }
            let full = connections.count >= limit || waiting.count >= unauthenticated
            if fromPeer.count >= perPeer,
                let oldest = stale.filter({ $0.value.peer == peer }).keys.min()
            {
                evict(
                    oldest,
                    "closed to make room: at most \(perPeer) connections from \(peer) "
                        + "that have not authenticated are kept; send the request with its "
                        + "Authorization header at once")
            } else if full {
                var counts: [String: Int] = [:]
                for connection in stale.values { counts[connection.peer, default: 0] += 1 }
                let busiest = counts.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key
                guard let busiest,
                    let oldest = stale.filter({ $0.value.peer == busiest }).keys.min()
                else { return nil }
                evict(
                    oldest,
                    "closed to make room for authenticated clients: at most "
                        + "\(unauthenticated) "
                        + "connections that have not authenticated are kept; send the request at "
                        + "once"
                )
            }
            nextID += 1
            connections[nextID] = Connection(peer: peer, since: now)
            threads += 1
            return nextID
        }
    }

    private func evict(_ id: Int, _ reason: String) {
        connections[id] = nil
        evictions[id] = reason
    }

    /// Why the connection was closed to make room, once: its thread answers and ends.
    func evicted(_ id: Int) -> String? {
        lock.withLock { evictions.removeValue(forKey: id) }
    }

    func authenticate(_ id: Int) { lock.withLock { connections[id]?.authenticated = true } }

    func leave(_ id: Int) {
        lock.withLock {
            connections[id] = nil
            evictions[id] = nil
            threads -= 1
        }
    }

    func stop() { lock.withLock { stopRequested = true } }
}
