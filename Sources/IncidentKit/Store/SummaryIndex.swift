import Foundation
import Glibc

/// The store's summary cache, `cache/index`: an append-only journal of one line per incident write,
/// the last line for an incident winning. It is only ever a cache: each record carries the
/// identity of what it was made from (the incident's directory, and for an open incident its
/// files), and a record whose sources changed since is ignored and the files read instead. Delete
/// the cache at will; it is rebuilt.
///
/// A line is tab-separated, with `\\`, `\t`, `\n`, `\r` and the list separator U+001F escaped
/// inside fields, so a reader can split bytes without a JSON parser: that is what keeps `list` fast
/// on 10,000 incidents.
struct SummaryIndex {
    /// The line format; 3 is keyed by uid (store format 2); 4 adds the last status update's time;
    /// 5 adds drills and how an incident was closed.
    static let format = 5
    static let header = "irctl-index\t\(format)\n"
    static let fieldCount = 35

    struct Record {
        var sources: String
        var files: String
        var summary: IncidentSummary
    }

    // MARK: Writing

    static func time(_ date: Date?) -> String {
        date.map { String(Int64($0.timeIntervalSince1970.rounded(.down))) } ?? ""
    }

    static func line(_ summary: IncidentSummary, sources: String, files: String) -> String {
        let fields: [String] = [
            "R", escape(summary.uid), escape(sources), escape(files), String(summary.claim.number),
            time(summary.claimedAt),
            escape(summary.claimHash),
            summary.aliases.map { String($0.number) }.joined(separator: "\u{1F}"),
            escape(summary.title), escape(summary.severity), summary.phase.rawValue,
            time(summary.createdAt), time(summary.startedAt), time(summary.detectedAt),
            time(summary.declaredAt),
            time(summary.containedAt), time(summary.recoveredAt), time(summary.closedAt),
            time(summary.updatedAt),
            String(summary.entryCount),
            escape(summary.roles.commander ?? ""), escape(summary.roles.comms ?? ""),
            escape(summary.roles.tech ?? ""), escape(summary.roles.scribe ?? ""),
            summary.services.map(escape).joined(separator: "\u{1F}"),
            summary.tags.map(escape).joined(separator: "\u{1F}"),
            String(summary.actionItemCount), String(summary.openActionItems),
            summary.openActionItemsDue.map { time($0) }.joined(separator: "\u{1F}"),
            String(summary.schemaVersion), time(summary.nextUpdateAt),
            time(summary.lastUpdateAt), "",
            summary.isDrill ? "1" : "", escape(summary.closedAs?.stored ?? ""),
        ]
        return fields.joined(separator: "\t") + "\n"
    }

    static func escape(_ text: String) -> String {
        guard
            text.utf8.contains(where: {
                $0 == 0x5C || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D || $0 == 0x1F
            })
        else { return text }
        // The escaped bytes are all ASCII, so this works on the UTF-8 bytes.
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 16)
        for byte in text.utf8 {
            switch byte {
            case 0x5C: out += [0x5C, 0x5C]
            case 0x09: out += [0x5C, UInt8(ascii: "t")]
            case 0x0A: out += [0x5C, UInt8(ascii: "n")]
            case 0x0D: out += [0x5C, UInt8(ascii: "r")]
            case 0x1F: out += [0x5C, UInt8(ascii: "u")]
            default: out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: Reading

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
    private static func parseHead(_ line: UnsafeBufferPointer<UInt8>) -> Head? {
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

    // MARK: Reading without strings

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

    /// The one incident whose latest record claims `number`, found without parsing the other
    /// records (a command on one incident must not cost more with more incidents): each line is
    /// looked at only up to its claim. Nil when no record or more than one incident claims it, or
    /// when its record names format-1 sources: the full look decides those.
    static func soleClaimant(of number: Int, in bytes: [UInt8]) -> String? {
        let headerBytes = Array(header.utf8)
        guard bytes.count >= headerBytes.count, Array(bytes[0..<headerBytes.count]) == headerBytes
        else { return nil }
        return bytes.withUnsafeBufferPointer { buffer -> String? in
            let base = buffer.baseAddress!
            func tab(_ from: Int, _ end: Int) -> Int? {
                memchr(base + from, 0x09, end - from).map {
                    UnsafeRawPointer($0).assumingMemoryBound(to: UInt8.self) - base
                }
            }
            // The uids whose latest line claims the number, with that line's sources.
            var candidates: [(uid: Range<Int>, sources: Range<Int>)] = []
            var start = headerBytes.count
            while start < buffer.count {
                // a torn last line
                guard let found = memchr(base + start, 0x0A, buffer.count - start) else { break }
                let end = UnsafeRawPointer(found).assumingMemoryBound(to: UInt8.self) - base
                defer { start = end + 1 }
                guard end - start > 2, buffer[start] == UInt8(ascii: "R"),
                    buffer[start + 1] == 0x09,
                    let t1 = tab(start + 2, end)
                else { continue }
                let uid = (start + 2)..<t1
                let claims: Bool
                if let t2 = tab(t1 + 1, end), let t3 = tab(t2 + 1, end), let t4 = tab(t3 + 1, end),
                    integer(UnsafeBufferPointer(rebasing: buffer[(t3 + 1)..<t4])) == Int64(number)
                {
                    // A line `parseHead` refuses is no record.
                    guard parseHead(UnsafeBufferPointer(rebasing: buffer[start..<end])) != nil
                    else { continue }
                    claims = true
                    candidates.removeAll {
                        $0.uid.count == uid.count
                            && memcmp(base + $0.uid.lowerBound, base + uid.lowerBound, uid.count)
                                == 0
                    }
                    candidates.append((uid, (t1 + 1)..<t2))
                } else {
                    claims = false
                }
                // A later record of a candidate that claims another number (it was renumbered)
                // wins.
                func same(_ c: (uid: Range<Int>, sources: Range<Int>)) -> Bool {
                    c.uid.count == uid.count
                        && memcmp(base + c.uid.lowerBound, base + uid.lowerBound, uid.count) == 0
                }
                if !claims, candidates.contains(where: same),
                    parseHead(UnsafeBufferPointer(rebasing: buffer[start..<end])) != nil
                {
                    candidates.removeAll(where: same)
                }
            }
            guard candidates.count == 1, directoryIdentity(buffer, candidates[0].sources) != nil
            else { return nil }
            let uid = String(
                decoding: UnsafeBufferPointer(rebasing: buffer[candidates[0].uid]), as: UTF8.self)
            return uid.utf8.contains(0x5C) ? unescape(uid) : uid
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
    private static func directoryIdentity(
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

    static func integer(_ f: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard let base = f.baseAddress, !f.isEmpty else { return nil }
        var index = 0
        let negative = base[0] == UInt8(ascii: "-")
        if negative { index = 1 }
        // At most 18 digits: no overflow, and more than any time or number here needs.
        guard f.count - index >= 1, f.count - index <= 18 else { return nil }
        var value: Int64 = 0
        while index < f.count {
            let digit = base[index] &- 0x30
            guard digit <= 9 else { return nil }
            value = value &* 10 &+ Int64(digit)
            index += 1
        }
        return negative ? -value : value
    }

    static func parseLine(_ line: UnsafeBufferPointer<UInt8>) -> Record? {
        var fields: [UnsafeBufferPointer<UInt8>] = []
        fields.reserveCapacity(fieldCount)
        var start = 0
        for i in 0..<line.count where line[i] == 0x09 {
            fields.append(UnsafeBufferPointer(rebasing: line[start..<i]))
            start = i + 1
        }
        fields.append(UnsafeBufferPointer(rebasing: line[start..<line.count]))
        guard fields.count == fieldCount, fields[0].count == 1, fields[0][0] == UInt8(ascii: "R")
        else { return nil }

        func int(_ i: Int) -> Int64? { integer(fields[i]) }
        func date(_ i: Int) -> Date? { int(i).map { Date(timeIntervalSince1970: Double($0)) } }
        func text(_ f: UnsafeBufferPointer<UInt8>) -> String {
            let raw = String(decoding: f, as: UTF8.self)
            return f.contains(0x5C) ? unescape(raw) : raw
        }
        func string(_ i: Int) -> String { text(fields[i]) }
        func optional(_ i: Int) -> String? { fields[i].isEmpty ? nil : string(i) }
        func list(_ i: Int) -> [String] {
            guard !fields[i].isEmpty else { return [] }
            return fields[i].split(separator: 0x1F, omittingEmptySubsequences: false).map {
                text(UnsafeBufferPointer(rebasing: $0))
            }
        }

        guard let claimNumber = int(4), let claim = IncidentID(number: Int(claimNumber)),
            let claimedAt = date(5),
            let phase = Phase(rawValue: string(10)), let created = date(11),
            let detected = date(13),
            let updated = date(18), let entries = int(19), let items = int(26),
            let openItems = int(27),
            let schema = int(29)
        else { return nil }
        let due = list(28).compactMap { Int64($0).map { Date(timeIntervalSince1970: Double($0)) } }
        let aliases = list(7).compactMap { Int($0).flatMap(IncidentID.init(number:)) }
        let summary = IncidentSummary(
            id: claim, uid: string(1), claim: claim, claimedAt: claimedAt, claimHash: string(6),
            aliases: aliases,
            title: string(8), severity: string(9), phase: phase,
            roles: Roles(
                commander: optional(20), comms: optional(21), tech: optional(22),
                scribe: optional(23)),
            services: list(24), tags: list(25), createdAt: created, startedAt: date(12),
            detectedAt: detected,
            declaredAt: date(14), containedAt: date(15), recoveredAt: date(16), closedAt: date(17),
            updatedAt: updated,
            entryCount: Int(entries), actionItemCount: Int(items), openActionItems: Int(openItems),
            openActionItemsDue: due, schemaVersion: Int(schema), nextUpdateAt: date(30),
            lastUpdateAt: date(31), isDrill: !fields[33].isEmpty,
            closedAs: ClosedAs(stored: string(34)))
        return Record(sources: string(2), files: string(3), summary: summary)
    }

    /// Escapes are ASCII, so this works on the UTF-8 bytes: a byte at a time, no scalar decoding.
    static func unescape(_ text: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        var escaping = false
        for byte in text.utf8 {
            if escaping {
                switch byte {
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "u"): out.append(0x1F)
                default: out.append(byte)
                }
                escaping = false
            } else if byte == 0x5C {
                escaping = true
            } else {
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
