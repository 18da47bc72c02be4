import Foundation
import Glibc

// The reader the fast paths check the cache with: numbers and byte ranges, no strings.
extension SummaryIndex {
    /// A record as the fast paths need it: numbers and byte ranges into the journal, no strings,
    /// so that checking 10,000 records allocates next to nothing.
    struct CompactHead {
        var uid: Range<Int>
        var claim: Int
        var closed: Bool
        /// Set when the record's sources are exactly one directory identity (`d:<inode>:<ctime>`),
        /// the case the fast paths handle; anything else (format-1 files) sends them to the full
        /// scan.
        var directory: (inode: UInt64, changed: Int64)?
        var files: Range<Int>
        var aliases: Range<Int>
        var line: Range<Int>
    }

    /// The journal's records, the last line for a uid winning, as `snapshot` reads them; nil when
    /// the journal is missing, of another format, or two uids hash alike (the full scan decides).
    struct Compact {
        var bytes: [UInt8]
        var heads: [CompactHead]
        /// uid hash → index in `heads`.
        var byUID: [UInt64: Int]
        /// Whether no two records claim the same number.
        var claimsUnique: Bool

        /// The record of the incident whose uid is these bytes.
        func index(ofUID name: UnsafeBufferPointer<UInt8>) -> Int? {
            guard let i = byUID[SummaryIndex.hash(name)] else { return nil }
            let range = heads[i].uid
            guard range.count == name.count else { return nil }
            return bytes.withUnsafeBufferPointer { buffer in
                memcmp(buffer.baseAddress! + range.lowerBound, name.baseAddress!, name.count) == 0
                    ? i : nil
            }
        }

        func string(_ range: Range<Int>) -> String {
            bytes.withUnsafeBufferPointer { buffer in
                let field = UnsafeBufferPointer(rebasing: buffer[range])
                let raw = String(decoding: field, as: UTF8.self)
                return field.contains(0x5C) ? SummaryIndex.unescape(raw) : raw
            }
        }

        func summary(_ head: CompactHead) -> IncidentSummary? {
            bytes.withUnsafeBufferPointer { buffer in
                SummaryIndex.parseLine(UnsafeBufferPointer(rebasing: buffer[head.line]))?.summary
            }
        }

        /// The numbers a record was known by before (empty for nearly all).
        func aliases(_ head: CompactHead) -> [Int] {
            guard !head.aliases.isEmpty else { return [] }
            return bytes.withUnsafeBufferPointer { buffer in
                UnsafeBufferPointer(rebasing: buffer[head.aliases]).split(separator: 0x1F)
                    .compactMap {
                        SummaryIndex.integer(UnsafeBufferPointer(rebasing: $0)).map(Int.init)
                    }
            }
        }
    }

    /// FNV-1a of a name's bytes.
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return h
    }

    static func compact(_ bytes: [UInt8]) -> Compact? {
        let headerBytes = Array(header.utf8)
        guard bytes.count >= headerBytes.count, Array(bytes[0..<headerBytes.count]) == headerBytes
        else { return nil }
        var heads: [CompactHead] = []
        heads.reserveCapacity(bytes.count / 250)
        var byUID: [UInt64: Int] = [:]
        byUID.reserveCapacity(bytes.count / 250)
        let ok: Bool = bytes.withUnsafeBufferPointer { buffer in
            let base = buffer.baseAddress!
            var start = headerBytes.count
            while start < buffer.count {
                // a torn last line
                guard let found = memchr(base + start, 0x0A, buffer.count - start) else { break }
                let end = UnsafeRawPointer(found).assumingMemoryBound(to: UInt8.self) - base
                if let head = compactHead(buffer, start, end) {
                    let uid = UnsafeBufferPointer(rebasing: buffer[head.uid])
                    let key = hash(uid)
                    if let i = byUID[key] {
                        // The same uid again (a later write): the later line wins, as in
                        // `snapshot`.
                        let other = heads[i].uid
                        guard other.count == uid.count,
                            memcmp(base + other.lowerBound, uid.baseAddress!, uid.count) == 0
                        else { return false }
                        heads[i] = head
                    } else {
                        byUID[key] = heads.count
                        heads.append(head)
                    }
                }
                start = end + 1
            }
            return true
        }
        guard ok else { return nil }
        var claims = Set<Int>(minimumCapacity: heads.count)
        var unique = true
        for head in heads where !claims.insert(head.claim).inserted {
            unique = false
            break
        }
        return Compact(bytes: bytes, heads: heads, byUID: byUID, claimsUnique: unique)
    }

    /// A line's first fields, up to the phase, as ranges and numbers; nil for a line `parseHead`
    /// refuses.
    private static func compactHead(
        _ buffer: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int
    ) -> CompactHead? {
        guard end - start > 2, buffer[start] == UInt8(ascii: "R"), buffer[start + 1] == 0x09 else {
            return nil
        }
        let base = buffer.baseAddress!
        var cursor = start + 2
        var done = false
        func next() -> Range<Int>? {
            guard !done else { return nil }
            let tab =
                memchr(base + cursor, 0x09, end - cursor).map {
                    UnsafeRawPointer($0).assumingMemoryBound(to: UInt8.self) - base
                } ?? end
            if tab == end { done = true }
            let field = cursor..<tab
            cursor = tab + 1
            return field
        }
        func number(_ range: Range<Int>) -> Int64? {
            integer(UnsafeBufferPointer(rebasing: buffer[range]))
        }
        guard let uid = next(), let sources = next(), let files = next(),
            let claim = next().flatMap(number), next().flatMap(number) != nil, next() != nil,
            let aliases = next(), next() != nil, next() != nil,  // title, severity
            let phase = next()
        else { return nil }
        let closed =
            phase.count == 6 && buffer[phase.lowerBound] == 0x63
            && buffer[phase.lowerBound + 1] == 0x6C
            && buffer[phase.lowerBound + 5] == 0x64  // "closed"
        return CompactHead(
            uid: uid, claim: Int(claim), closed: closed,
            directory: directoryIdentity(buffer, sources),
            files: files, aliases: aliases, line: start..<end)
    }

    /// `d:<inode>:<ctime ns>` → its two numbers; nil for any other sources.
    static func directoryIdentity(
        _ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>
    ) -> (inode: UInt64, changed: Int64)? {
        guard range.count > 4, buffer[range.lowerBound] == UInt8(ascii: "d"),
            buffer[range.lowerBound + 1] == UInt8(ascii: ":")
        else { return nil }
        var first: UInt64?
        var value: UInt64 = 0
        var digits = 0
        for i in (range.lowerBound + 2)..<range.upperBound {
            let byte = buffer[i]
            if byte == UInt8(ascii: ":") {
                guard digits > 0, first == nil else { return nil }
                first = value
                value = 0
                digits = 0
                continue
            }
            let digit = byte &- 0x30
            guard digit <= 9 else { return nil }
            let (times, o1) = value.multipliedReportingOverflow(by: 10)
            let (plus, o2) = times.addingReportingOverflow(UInt64(digit))
            guard !o1, !o2 else { return nil }
            value = plus
            digits += 1
        }
        guard let first, digits > 0, value <= UInt64(Int64.max) else { return nil }
        return (first, Int64(value))
    }
}
