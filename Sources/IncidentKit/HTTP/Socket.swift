import Glibc

/// Why the server could not start or serve.
public struct SocketError: DescribedError, Hashable, Sendable {
    public var operation: String
    public var code: Int32
    public init(_ operation: String, code: Int32 = errno) {
        self.operation = operation
        self.code = code
    }
    public var message: String {
        let reason = String(cString: strerror(code))
        return code == EADDRINUSE
            ? "could not \(operation): \(reason); another program listens there: stop it or choose "
                + "another --listen port"
            : code == EACCES
                ? "could not \(operation): \(reason); ports below 1024 need privileges: choose a "
                    + "higher port"
                : "could not \(operation): \(reason)"
    }
}

/// A TCP socket that owns its descriptor: closed when the last reference goes.
public final class Socket: Sendable {
    public let fd: Int32
    /// The other end, `127.0.0.1:50312`, for a connection; the bound address for a listener.
    public let address: String

    init(fd: Int32, address: String) {
        self.fd = fd
        self.address = address
    }

    deinit { Glibc.close(fd) }

    /// Binds and listens; port 0 picks a free port, which ``address`` then names.
    public static func listen(
        on address: ListenAddress, backlog: Int32 = 128
    ) throws(SocketError) -> Socket {
        let family = address.isIPv6 ? AF_INET6 : AF_INET
        let fd = Glibc.socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SocketError("create a socket") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var storage = sockaddr_storage()
        let length = Self.fill(&storage, address)
        let bound = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(fd, $0, length) }
        }
        guard bound == 0 else {
            let code = errno
            Glibc.close(fd)
            throw SocketError("listen on \(address)", code: code)
        }
        guard Glibc.listen(fd, backlog) == 0 else {
            let code = errno
            Glibc.close(fd)
            throw SocketError("listen on \(address)", code: code)
        }
        var actual = sockaddr_storage()
        var actualLength = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                getsockname(fd, $0, &actualLength)
            }
        }
        return Socket(fd: fd, address: Self.describe(actual))
    }

    /// Accepts one connection, or nil when none is waiting (or it failed: the caller polls again).
    public func accept() -> Socket? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let client = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.accept(fd, $0, &length) }
        }
        guard client >= 0 else { return nil }
        _ = fcntl(client, F_SETFD, FD_CLOEXEC)
        return Socket(fd: client, address: Self.describe(storage))
    }

    public enum ReadResult: Equatable, Sendable {
        case bytes(Int)
        case closed
        case timedOut
        case failed
    }

    /// Reads what has arrived into `buffer`, waiting at most `milliseconds`.
    public func read(
        into buffer: inout [UInt8], max: Int = 65536, waiting milliseconds: Int32
    ) -> ReadResult {
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let ready = poll(&poller, 1, milliseconds)
        if ready == 0 { return .timedOut }
        if ready < 0 { return errno == EINTR ? .timedOut : .failed }
        var chunk = [UInt8](repeating: 0, count: max)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n == 0 { return .closed }
        if n < 0 { return errno == EINTR || errno == EAGAIN ? .timedOut : .failed }
        buffer += chunk[0..<n]
        return .bytes(n)
    }

    /// Writes everything, giving up after `milliseconds` without progress (a client that stopped
    /// reading). Returns false when the bytes could not all be written.
    @discardableResult
    public func write(_ bytes: [UInt8], waiting milliseconds: Int32 = 5000) -> Bool {
        var offset = 0
        while offset < bytes.count {
            var poller = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            guard poll(&poller, 1, milliseconds) > 0 else { return false }
            let n = bytes.withUnsafeBytes {
                send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL))
            }
            if n < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                return false
            }
            offset += n
        }
        return true
    }

    /// No more writes from this side: the client sees the end of the response.
    public func shutdownWrite() { Glibc.shutdown(fd, Int32(SHUT_WR)) }

    private static func fill(
        _ storage: inout sockaddr_storage, _ address: ListenAddress
    ) -> socklen_t {
        withUnsafeMutablePointer(to: &storage) { pointer in
            if address.isIPv6 {
                return pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { sin6 in
                    sin6.pointee.sin6_family = sa_family_t(AF_INET6)
                    sin6.pointee.sin6_port = address.port.bigEndian
                    _ = inet_pton(AF_INET6, address.host, &sin6.pointee.sin6_addr)
                    return socklen_t(MemoryLayout<sockaddr_in6>.size)
                }
            }
            return pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { sin in
                sin.pointee.sin_family = sa_family_t(AF_INET)
                sin.pointee.sin_port = address.port.bigEndian
                _ = inet_pton(AF_INET, address.host, &sin.pointee.sin_addr)
                return socklen_t(MemoryLayout<sockaddr_in>.size)
            }
        }
    }

    private static func describe(_ storage: sockaddr_storage) -> String {
        var storage = storage
        let family = Int32(storage.ss_family)
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        return withUnsafePointer(to: &storage) { pointer in
            if family == AF_INET6 {
                return pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { sin6 in
                    var addr = sin6.pointee.sin6_addr
                    inet_ntop(AF_INET6, &addr, &text, socklen_t(text.count))
                    return "[\(Self.string(text))]:\(UInt16(bigEndian: sin6.pointee.sin6_port))"
                }
            }
            return pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { sin in
                var addr = sin.pointee.sin_addr
                inet_ntop(AF_INET, &addr, &text, socklen_t(text.count))
                return "\(Self.string(text)):\(UInt16(bigEndian: sin.pointee.sin_port))"
            }
        }
    }

    /// A NUL-terminated C string in a buffer, as text.
    private static func string(_ buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
