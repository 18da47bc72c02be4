/// The last lines of a command's output, bounded in memory however much the command prints:
/// what a `command` entry keeps (the whole output went to the terminal).
public struct OutputTail: Sendable {
    public let maxLines: Int
    public let maxBytes: Int
    private var buffer: [UInt8] = []
    /// Every byte seen, kept or not.
    public private(set) var totalBytes = 0
    private var droppedFront = false

    public init(maxLines: Int = 50, maxBytes: Int = 8 * 1024) {
        self.maxLines = max(1, maxLines)
        self.maxBytes = max(16, maxBytes)
    }

    /// Adds bytes as they arrive. Memory stays below twice `maxBytes` plus one chunk: the buffer
    /// is cut back to `maxBytes` whenever it doubles, so the copying is amortised.
    public mutating func append<Bytes: Collection>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        totalBytes += bytes.count
        buffer.append(contentsOf: bytes)
        if buffer.count > 2 * maxBytes {
            buffer.removeFirst(buffer.count - maxBytes)
            droppedFront = true
        }
    }

    /// The kept tail as text: at most `maxLines` whole lines and `maxBytes` bytes, starting at a
    /// line boundary when anything was cut, invalid UTF-8 replaced, no trailing newline.
    public var text: String { render().text }

    /// True when the tail is not the whole output.
    public var isTruncated: Bool { render().truncated }

    private func render() -> (text: String, truncated: Bool) {
        var bytes = buffer[...]
        var truncated = droppedFront
        if bytes.count > maxBytes {
            bytes = bytes.suffix(maxBytes)
            truncated = true
        }
        if truncated, let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) {
            // The first line was cut somewhere in its middle: start at the next whole one.
            bytes = bytes[bytes.index(after: newline)...]
        }
        if bytes.last == UInt8(ascii: "\n") { bytes = bytes.dropLast() }
        var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        if lines.count > maxLines {
            lines = Array(lines.suffix(maxLines))
            truncated = true
        }
        var joined: [UInt8] = []
        for (index, line) in lines.enumerated() {
            if index > 0 { joined.append(UInt8(ascii: "\n")) }
            joined.append(contentsOf: line)
        }
        // A cut can fall inside a multi-byte character: drop its orphaned continuation bytes.
        let start = joined.firstIndex { $0 & 0xC0 != 0x80 } ?? joined.endIndex
        return (String(decoding: joined[start...], as: UTF8.self), truncated)
    }
}
