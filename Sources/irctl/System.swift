import Foundation
import Glibc
import IncidentKit

/// Everything irctl takes from the outside world, passed in so the runner can be driven by tests.
struct System {
    var environment: [String: String]
    var workingDirectory: String
    var now: Date
    var stdinIsTerminal: Bool
    var stdoutIsTerminal: Bool
    /// Whether stderr is a terminal: progress lines go there only then.
    var stderrIsTerminal = false
    /// Width of the terminal stdout is on, if it is on one.
    var terminalWidth: Int?
    /// Reads standard input, up to `limit` bytes (more is an error).
    var readInput: (_ limit: Int) throws -> [UInt8]
    var writeOutput: (_ text: String) throws -> Void
    /// Writes bytes known to be UTF-8 as they are (a long listing: no second pass to check them);
    /// nil: through `writeOutput`.
    var writeOutputBytes: ((_ bytes: [UInt8]) throws -> Void)? = nil
    var writeError: (_ text: String) -> Void
    /// This irctl binary, so that the `irctl` a runbook step runs is this one.
    var executablePath: String? = nil

    static func live() -> System {
        let environment = ProcessInfo.processInfo.environment
        var now = Date()
        // A fixed clock for reproducible demos, golden files and the benchmark.
        if let fixed = environment["IRCTL_NOW"], let date = Timestamp.parse(fixed) { now = date }
        var size = winsize()
        let width =
            isatty(1) == 1 && ioctl(1, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 0
            ? Int(size.ws_col) : nil
        return System(
            environment: environment,
            workingDirectory: FileManager.default.currentDirectoryPath,
            now: now,
            stdinIsTerminal: isatty(0) == 1,
            stdoutIsTerminal: isatty(1) == 1,
            stderrIsTerminal: isatty(2) == 1,
            terminalWidth: width,
            readInput: readStandardInput,
            writeOutput: { text in try writeAll(1, text) },
            writeOutputBytes: { bytes in try writeAll(1, bytes) },
            writeError: { text in try? writeAll(2, text) },
            executablePath: ownPath()
        )
    }
}

struct OutputError: DescribedError {
    var reason: String
    /// The errno, when a write failed.
    var code: Int32 = 0
    var message: String { "could not write the output: \(reason)" }
    /// The reader went away (`irctl show 1 | head`): not a failure to report, as for any filter.
    var isClosedPipe: Bool { code == EPIPE }
}

/// The running binary's path (`/proc/self/exe`), nil where there is no such thing.
private func ownPath() -> String? {
    var buffer = [CChar](repeating: 0, count: 4096)
    let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
    guard n > 0 else { return nil }
    return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

private func writeAll(_ fd: Int32, _ text: String) throws {
    try writeAll(fd, Array(text.utf8))
}

private func writeAll(_ fd: Int32, _ bytes: [UInt8]) throws {
    var bytes = bytes
    var offset = 0
    while offset < bytes.count {
        let n = bytes.withUnsafeMutableBytes {
            write(fd, $0.baseAddress! + offset, $0.count - offset)
        }
        if n < 0 {
            if errno == EINTR { continue }
            throw OutputError(reason: String(cString: strerror(errno)), code: errno)
        }
        offset += n
    }
    bytes.removeAll()
}

/// Reads stdin without ever holding more than `limit` + one chunk: a huge input is refused early.
private func readStandardInput(limit: Int) throws -> [UInt8] {
    var data: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = chunk.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
        if n < 0 {
            if errno == EINTR { continue }
            if errno == EBADF { return data }  // no stdin at all
            throw OutputError(reason: "reading standard input: " + String(cString: strerror(errno)))
        }
        if n == 0 { return data }
        data += chunk[0..<n]
        if data.count > limit { throw ValueError.tooLarge(what: "standard input", limit: limit) }
    }
}
