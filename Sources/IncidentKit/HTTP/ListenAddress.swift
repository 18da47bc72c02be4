import Glibc

/// Where the server listens: `127.0.0.1:9095`, `0.0.0.0:9095`, `[::1]:9095`, `localhost:9095`.
/// Port 0 picks a free port (the server says which).
public struct ListenAddress: Hashable, Sendable, CustomStringConvertible {
    public var host: String
    public var port: UInt16
    var isIPv6: Bool { host.contains(":") }

    public static let defaultAddress = ListenAddress(host: "127.0.0.1", port: 9095)

    public init(host: String, port: UInt16) {
        self.host = host
        self.port = port
    }

    /// Parses `ADDR:PORT`; ADDR is an IPv4 address, `[IPv6]`, or `localhost`.
    public init(_ text: String) throws(ValueError) {
        let bad = ValueError.invalidValue(
            option: "--listen", value: text,
            expected: "ADDR:PORT such as 127.0.0.1:9095, 0.0.0.0:9095 or [::1]:9095")
        var host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"),
                text[text.index(after: close)...].hasPrefix(":")
            else { throw bad }
            host = text[text.index(after: text.startIndex)..<close]
            portText = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":") else { throw bad }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        if host == "localhost" { host = "127.0.0.1" }
        guard !portText.isEmpty, portText.allSatisfy({ $0.isASCII && $0.isNumber }),
            portText.count <= 5,
            let port = UInt16(portText)
        else { throw bad }
        var scratch = [UInt8](repeating: 0, count: 16)
        let family = host.contains(":") ? AF_INET6 : AF_INET
        guard inet_pton(family, String(host), &scratch) == 1 else { throw bad }
        self.host = String(host)
        self.port = port
    }

    /// 127.0.0.0/8 and ::1: only this machine can connect.
    public var isLoopback: Bool {
        host.hasPrefix("127.") || host == "::1"
    }

    public var description: String { isIPv6 ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
