/// The last lines of a command's output, bounded in memory however much the command prints:
/// what a `command` entry keeps (the whole output went to the terminal).
///
/// Secrets are redacted before the tail is cut, never after: a private key printed in full is
/// recognised by its BEGIN line even when the 50 lines kept start below it. A window much larger
/// than the tail (64 KiB at least) is kept for that, and a key whose BEGIN line scrolled out of the
/// window is remembered, so its remaining lines are still treated as a key.
public struct OutputTail: Sendable {
    public let maxLines: Int
    public let maxBytes: Int
    /// How much of the output is kept for redaction before the tail is cut from it.
    let windowBytes: Int
    private var buffer: [UInt8] = []
    /// Every byte seen, kept or not.
    public private(set) var totalBytes = 0
    private var droppedFront = false
    /// The window starts in the middle of a line (one longer than the window).
    private var startsMidLine = false
    /// A `-----BEGIN … PRIVATE KEY-----` line was dropped from the window and its END line was not.
    private var startsInsideKey = false

    public init(maxLines: Int = 50, maxBytes: Int = 8 * 1024) {
        self.maxLines = max(1, maxLines)
        self.maxBytes = max(16, maxBytes)
        windowBytes = max(64 * 1024, 4 * self.maxBytes)
    }

    /// Adds bytes as they arrive. Memory stays below twice the window plus one chunk: the buffer
    /// is cut back to the window whenever it doubles, so the copying is amortised.
    public mutating func append<Bytes: Collection>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        totalBytes += bytes.count
        buffer.append(contentsOf: bytes)
        guard buffer.count > 2 * windowBytes else { return }
        // Cut at a line boundary where there is one, so no line is split and key markers stay
        // whole.
        let earliest = buffer.count - windowBytes
        var cut = earliest
        if let newline = buffer[earliest...].firstIndex(of: UInt8(ascii: "\n")),
            newline < buffer.count - 1
        {
            cut = newline + 1
            startsMidLine = false
        } else {
            startsMidLine = true
        }
        noteKeyMarkers(in: buffer[..<cut])
        buffer.removeFirst(cut)
        droppedFront = true
    }

    /// Tracks whether the dropped text left a private key open.
    private mutating func noteKeyMarkers(in dropped: ArraySlice<UInt8>) {
        let text = String(decoding: dropped, as: UTF8.self)
        guard text.contains("PRIVATE KEY") else { return }
        for line in text.split(separator: "\n")
        where line.contains("PRIVATE KEY-----") || line.contains("PRIVATE KEY BLOCK-----") {
            if line.contains("-----BEGIN") { startsInsideKey = true }
            if line.contains("-----END") { startsInsideKey = false }
        }
    }

    /// The kept tail as text: at most `maxLines` whole lines and `maxBytes` bytes, starting at a
    /// line boundary when anything was cut, invalid UTF-8 replaced, no trailing newline. Not
    /// redacted: see ``redacted(by:)``.
    public var text: String { render(redactor: nil).text }

    /// True when the tail is not the whole output.
    public var isTruncated: Bool { render(redactor: nil).truncated }

    /// The tail as it may be stored: the whole kept window redacted first, then cut.
    public func redacted(by redactor: Redactor) -> (text: String, truncated: Bool) {
        render(redactor: redactor)
    }

    private func render(redactor: Redactor?) -> (text: String, truncated: Bool) {
        var window = buffer[...]
        if startsMidLine, let newline = window.firstIndex(of: UInt8(ascii: "\n")) {
            window = window[window.index(after: newline)...]
        }
        var bytes: [UInt8]
        if let redactor {
            var text = String(decoding: window, as: UTF8.self)
            // The key's header scrolled out of the window: put one back so its body is still a key.
            if startsInsideKey { text = "-----BEGIN PRIVATE KEY-----\n" + text }
            bytes = Array(redactor.redact(text).utf8)
        } else {
            bytes = Array(window)
        }
        return Self.cut(bytes[...], maxLines: maxLines, maxBytes: maxBytes, truncated: droppedFront)
    }

    private static func cut(
        _ input: ArraySlice<UInt8>, maxLines: Int, maxBytes: Int, truncated: Bool
    ) -> (text: String, truncated: Bool) {
        var bytes = input
        var truncated = truncated
        var cutInLine = false
        if bytes.count > maxBytes {
            bytes = bytes.suffix(maxBytes)
            truncated = true
            cutInLine = true
        }
        if cutInLine, let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) {
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
