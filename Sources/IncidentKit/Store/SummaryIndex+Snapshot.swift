import Foundation

// The reader `list` decides with: every record's head, whole records decoded on demand.
extension SummaryIndex {
    /// What `list` needs of every record before deciding which to decode: its sources, whether it
    /// is closed, and its claim (the numbers of all incidents are settled together).
    struct Head {
        var uid: String
        var sources: String
        var files: String
        var claim: Int
        var claimedAt: Int64
        var claimHash: String
        var aliases: [Int]
        var closed: Bool
        var line: Range<Int>
    }

    /// A journal read but not yet decoded in full.
    struct Snapshot {
        var bytes: [UInt8]
        var heads: [String: Head]

        func summary(_ head: Head) -> IncidentSummary? {
            bytes.withUnsafeBufferPointer { buffer in
                SummaryIndex.parseLine(UnsafeBufferPointer(rebasing: buffer[head.line]))?.summary
            }
        }
    }

    /// Scans a journal; malformed or torn lines are skipped (their files are read instead).
    static func snapshot(_ bytes: [UInt8]) -> Snapshot {
        var heads: [String: Head] = [:]
        let headerBytes = Array(header.utf8)
        guard bytes.count >= headerBytes.count, Array(bytes[0..<headerBytes.count]) == headerBytes
        else {
            return Snapshot(bytes: [], heads: [:])
        }
        heads.reserveCapacity(bytes.count / 200)
        bytes.withUnsafeBufferPointer { buffer in
            let base = buffer.baseAddress!
            var start = headerBytes.count
            while start < buffer.count {
                // memchr: the journal is megabytes, and this loop is much of what `list` costs.
                // a torn last line
                guard let found = memchr(base + start, 0x0A, buffer.count - start) else { break }
                let end = UnsafeRawPointer(found).assumingMemoryBound(to: UInt8.self) - base
                if var head = parseHead(
                    UnsafeBufferPointer(start: base + start, count: end - start))
                {
                    head.line = start..<end
                    heads[head.uid] = head
                }
                start = end + 1
            }
        }
        return Snapshot(bytes: bytes, heads: heads)
    }

    /// The first fields of a line, up to the phase.
    static func parseHead(_ line: UnsafeBufferPointer<UInt8>) -> Head? {
        guard let base = line.baseAddress, line.count > 2, base[0] == UInt8(ascii: "R"),
            base[1] == 0x09
        else { return nil }
        let end = base + line.count
        var cursor = base + 2
        func next() -> UnsafeBufferPointer<UInt8>? {
            guard cursor <= end else { return nil }
            let tab =
                memchr(cursor, 0x09, end - cursor).map {
                    UnsafeRawPointer($0).assumingMemoryBound(to: UInt8.self)
                } ?? end
            let field = UnsafeBufferPointer(start: cursor, count: tab - cursor)
            cursor = tab + 1
            return field
        }
        func text(_ f: UnsafeBufferPointer<UInt8>) -> String {
            let raw = String(decoding: f, as: UTF8.self)
            return f.contains(0x5C) ? unescape(raw) : raw
        }
        guard let uid = next().map(text), let sources = next().map(text),
            let files = next().map(text),
            let claim = next().flatMap(integer), let claimedAt = next().flatMap(integer),
            let hash = next().map(text),
            let aliases = next(), next() != nil, next() != nil,  // title, severity
            let phase = next()
        else { return nil }
        let aliasNumbers =
            aliases.isEmpty
            ? []
            : aliases.split(separator: 0x1F).compactMap {
                integer(UnsafeBufferPointer(rebasing: $0)).map(Int.init)
            }
        // "closed"
        let closed = phase.count == 6 && phase[0] == 0x63 && phase[1] == 0x6C && phase[5] == 0x64
        return Head(
            uid: uid, sources: sources, files: files, claim: Int(claim), claimedAt: claimedAt,
            claimHash: hash,
            aliases: aliasNumbers, closed: closed, line: 0..<0)
    }
}
