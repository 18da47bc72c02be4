import Foundation
import Glibc

/// Incidents as a listing shows them, read straight from the cache's bytes when the cache is
/// trusted: a row is numbers and byte ranges into the cache, no strings, so that listing 10,000
/// incidents costs little more than writing the rows out.
///
/// A field's bytes are as the cache keeps them: `\` escapes, and U+001F between the items of a
/// list. `isPlain` tells when they are the text itself (printable ASCII, nothing escaped), the
/// common case; `text` unescapes any field.
public struct Listing: Sendable {
    public struct Row: Sendable {
        public var number: Int
        public var title: Range<Int>
        public var severity: Range<Int>
        public var phase: Phase
        /// Seconds since 1970.
        public var detectedAt: Int64
        public var commander: Range<Int>
        /// Service names, U+001F between them.
        public var services: Range<Int>
        /// Tags, U+001F between them.
        public var tags: Range<Int>
        /// When the next status update is due (seconds since 1970), if one was promised.
        public var nextUpdateAt: Int64?
        /// What the title is shown after: `[drill] `, `[false alarm] `, or nothing.
        public var marker: String
        /// The record's whole line in the cache, for what a listing rarely needs (`SummaryJSON`).
        var line: Range<Int>

        public var isOpen: Bool { phase != .closed }
        public var isActive: Bool { phase < .review }
    }

    public let bytes: [UInt8]
    public let rows: [Row]

    /// The text of a field, unescaped.
    public func text(_ range: Range<Int>) -> String {
        bytes.withUnsafeBufferPointer { buffer in
            let field = UnsafeBufferPointer(rebasing: buffer[range])
            let raw = String(decoding: field, as: UTF8.self)
            return field.contains(0x5C) ? SummaryIndex.unescape(raw) : raw
        }
    }

    /// The items of a list field (services, tags), unescaped.
    public func items(_ range: Range<Int>) -> [String] {
        guard !range.isEmpty else { return [] }
        var result: [String] = []
        var start = range.lowerBound
        for i in range where bytes[i] == 0x1F {
            result.append(text(start..<i))
            start = i + 1
        }
        result.append(text(start..<range.upperBound))
        return result
    }

    /// Whether a field's bytes are its text, one terminal column each: printable ASCII with no
    /// escape (and no list separator).
    public func isPlain(_ range: Range<Int>) -> Bool {
        guard range.lowerBound >= 0, range.upperBound <= bytes.count else { return false }
        return bytes.withUnsafeBufferPointer { buffer in
            let start = buffer.baseAddress! + range.lowerBound
            var plain = true
            for i in 0..<range.count {
                let byte = start[i]
                // 0x20...0x7E but not `\`, without a branch a byte.
                plain = plain && (byte &- 0x20) < 0x5F && byte != 0x5C
            }
            return plain
        }
    }

    /// Whether a field is exactly `text`, compared without unescaping when it has no escape.
    public func field(_ range: Range<Int>, is text: String) -> Bool {
        var text = text
        return text.withUTF8 { wanted in
            bytes.withUnsafeBufferPointer { buffer in
                guard !buffer[range].contains(0x5C) else {
                    return self.text(range) == String(decoding: wanted, as: UTF8.self)
                }
                return range.count == wanted.count
                    && (wanted.isEmpty
                        || memcmp(
                            buffer.baseAddress! + range.lowerBound, wanted.baseAddress!, range.count
                        ) == 0)
            }
        }
    }

    /// Whether two fields have the same bytes.
    public func sameBytes(_ a: Range<Int>, _ b: Range<Int>) -> Bool {
        guard a.count == b.count else { return false }
        return bytes.withUnsafeBufferPointer { buffer in
            a.isEmpty
                || memcmp(
                    buffer.baseAddress! + a.lowerBound, buffer.baseAddress! + b.lowerBound, a.count)
                    == 0
        }
    }

    /// Whether a list field holds `item`.
    public func list(_ range: Range<Int>, contains item: String) -> Bool {
        guard !range.isEmpty else { return false }
        var start = range.lowerBound
        for i in range where bytes[i] == 0x1F {
            if field(start..<i, is: item) { return true }
            start = i + 1
        }
        return field(start..<range.upperBound, is: item)
    }

    /// Reads the rows of a journal (the open ones unless `includeClosed`), the last line of an
    /// incident winning; `index`, when the journal was parsed already, says which lines those
    /// are. Nil when a record can't be read this way (then summaries decide).
    static func rows(
        of bytes: [UInt8], index: SummaryIndex.Compact?, includeClosed: Bool
    ) -> Listing? {
        let header = Array(SummaryIndex.header.utf8)
        guard bytes.count >= header.count, bytes[0..<header.count].elementsEqual(header) else {
            return nil
        }
        var rows: [Row] = []
        rows.reserveCapacity(index?.heads.count ?? bytes.count / 300)
        let ok: Bool = bytes.withUnsafeBufferPointer { buffer in
            if let index {
                for head in index.heads where includeClosed || !head.closed {
                    guard let row = row(buffer, head.line) else { return false }
                    rows.append(row.row)
                }
                return true
            }
            // uid hash → row; a later line of the same incident replaces the earlier one.
            var seen: [UInt64: Int] = [:]
            seen.reserveCapacity(buffer.count / 300)
            var uids: [Range<Int>] = []
            uids.reserveCapacity(buffer.count / 300)
            let base = buffer.baseAddress!
            var start = header.count
            while start < buffer.count {
                // No newline: a torn last line.
                guard let found = memchr(base + start, 0x0A, buffer.count - start) else { break }
                let end = UnsafeRawPointer(found).assumingMemoryBound(to: UInt8.self) - base
                defer { start = end + 1 }
                guard let (row, uid) = row(buffer, start..<end) else { return false }
                let key = SummaryIndex.hash(UnsafeBufferPointer(rebasing: buffer[uid]))
                guard let i = seen[key] else {
                    seen[key] = rows.count
                    rows.append(row)
                    uids.append(uid)
                    continue
                }
                // Two uids that hash alike: the summaries decide.
                guard uids[i].count == uid.count,
                    memcmp(base + uids[i].lowerBound, base + uid.lowerBound, uid.count) == 0
                else { return false }
                rows[i] = row
            }
            if !includeClosed { rows.removeAll { !$0.isOpen } }
            return true
        }
        return ok ? Listing(bytes: bytes, rows: rows) : nil
    }

    /// Where each of a journal line's 33 fields starts (the first is the record marker `R`), and
    /// one past the end of the last, into `starts` (34 places); false unless there are exactly 33.
    static func split(
        _ buffer: UnsafeBufferPointer<UInt8>, _ line: Range<Int>,
        into starts: UnsafeMutableBufferPointer<Int>
    ) -> Bool {
        let base = buffer.baseAddress!
        var n = 0
        var cursor = line.lowerBound
        while n < SummaryIndex.fieldCount {
            starts[n] = cursor
            n += 1
            guard let tab = memchr(base + cursor, 0x09, line.upperBound - cursor) else { break }
            cursor = UnsafeRawPointer(tab).assumingMemoryBound(to: UInt8.self) - base + 1
        }
        starts[n] = line.upperBound + 1
        // Exactly 33, as `SummaryIndex.parseLine` wants them.
        return n == SummaryIndex.fieldCount
            && memchr(base + cursor, 0x09, line.upperBound - cursor) == nil
    }

    /// The fields of one journal line that a listing shows (`SummaryIndex.line` has their order).
    private static func row(
        _ buffer: UnsafeBufferPointer<UInt8>, _ line: Range<Int>
    ) -> (row: Row, uid: Range<Int>)? {
        let base = buffer.baseAddress!
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: SummaryIndex.fieldCount + 1) {
            starts in
            guard split(buffer, line, into: starts) else { return nil }
            func field(_ i: Int) -> Range<Int> { starts[i]..<(starts[i + 1] - 1) }
            func number(_ i: Int) -> Int64? {
                SummaryIndex.integer(UnsafeBufferPointer(rebasing: buffer[field(i)]))
            }
            guard let claim = number(4), let detected = number(13),
                let phase = Phase(bytes: UnsafeBufferPointer(rebasing: buffer[field(10)]))
            else { return nil }
            guard base[line.lowerBound] == UInt8(ascii: "R"), field(0).count == 1 else {
                return nil
            }
            let row = Row(
                number: Int(claim), title: field(8), severity: field(9), phase: phase,
                detectedAt: detected, commander: field(20), services: field(24),
                tags: field(25), nextUpdateAt: field(30).isEmpty ? nil : number(30),
                marker: field(33).isEmpty && field(34).isEmpty
                    ? ""
                    : ClosedAs.marker(
                        drill: !field(33).isEmpty,
                        closedAs: ClosedAs(
                            stored: String(decoding: buffer[field(34)], as: UTF8.self))),
                line: line)
            return (row, field(1))
        }
    }
}

extension Phase {
    /// The phase whose name these bytes are, without making a string.
    init?(bytes: UnsafeBufferPointer<UInt8>) {
        guard let first = bytes.first else { return nil }
        let phase: Phase
        switch (first, bytes.count) {
        case (UInt8(ascii: "d"), 6): phase = .detect
        case (UInt8(ascii: "d"), 7): phase = .declare
        case (UInt8(ascii: "c"), 7): phase = .contain
        case (UInt8(ascii: "c"), 6): phase = .closed
        case (UInt8(ascii: "e"), 9): phase = .eradicate
        case (UInt8(ascii: "r"), 7): phase = .recover
        case (UInt8(ascii: "r"), 6): phase = .review
        default: return nil
        }
        // The guess above looked at a byte or two: the whole name must match.
        var i = 0
        for byte in phase.rawValue.utf8 {
            guard bytes[i] == byte else { return nil }
            i += 1
        }
        self = phase
    }
}

extension Store {
    /// The incidents a listing shows (the open ones unless `includeClosed`), straight from the
    /// cache when it provably tells it all; nil otherwise, and `summaries` reads what is needed.
    public func listing(includeClosed: Bool) -> Listing? {
        guard let records = trustedRecords(includeClosed: includeClosed) else { return nil }
        return Listing.rows(of: records.bytes, index: records.index, includeClosed: includeClosed)
    }
}
