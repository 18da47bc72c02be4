import Foundation
import Glibc

/// A real server a test runs on loopback (Prometheus, Alertmanager): started from its own
/// binary, waited for until `/-/ready` answers, its log kept for failure messages, stopped
/// when the test is done with it.
final class LoopbackServer {
    let name: String
    let pid: pid_t
    let port: UInt16
    let logPath: String
    private var stopped = false

    /// Starts `arguments` (the binary first) in `directory`, its standard error in
    /// `directory/NAME.log`.
    init(name: String, port: UInt16, arguments: [String], directory: String) throws {
        self.name = name
        self.port = port
        logPath = directory + "/\(name).log"
        pid = try Shell.spawn(
            arguments, environment: ["PATH": "/usr/bin:/bin", "HOME": directory],
            stdout: directory + "/\(name).out", stderr: logPath)
    }

    deinit { stop() }

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// SIGTERM, and SIGKILL when it has not ended `within` seconds later.
    func stop(within seconds: Double = 30) {
        guard !stopped else { return }
        stopped = true
        kill(pid, SIGTERM)
        if Shell.wait(pid, timeout: seconds) == nil { kill(pid, SIGKILL) }
    }

    /// Waits, at most `seconds` (a loaded machine starts servers slowly), for `/-/ready`.
    func waitUntilReady(within seconds: Double) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let client = try? RawClient(port: port) {
                client.send("GET /-/ready HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                if client.response(timeout: 5).status == 200 { return }
            }
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                stopped = true
                throw ServeProcess.ServeError(message: "\(name) exited at start:\n\(log)")
            }
            usleep(200_000)
        }
        throw ServeProcess.ServeError(
            message: "\(name) was not ready within \(Int(seconds))s:\n\(log)")
    }

    /// The first of `names` found on `PATH` or in the usual binary folders.
    static func binary(named names: [String]) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let directories =
            path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin"]
        for name in names {
            for directory in directories
            where FileManager.default.isExecutableFile(atPath: directory + "/" + name) {
                return directory + "/" + name
            }
        }
        return nil
    }

    /// A port nobody listens on now: bound, read back, released.
    static func freePort() throws -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Int32 in
                guard bind(fd, pointer, length) == 0 else { return -1 }
                return getsockname(fd, pointer, &length)
            }
        }
        guard bound == 0 else {
            throw ServeProcess.ServeError(
                message: "no free port: \(String(cString: strerror(errno)))")
        }
        return UInt16(bigEndian: address.sin_port)
    }
}
