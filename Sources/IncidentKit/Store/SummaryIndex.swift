import Foundation
import Glibc

/// The store's summary cache, `cache/index`: an append-only journal of one line per incident write,
/// the last line for an incident winning. It is only ever a cache: each record carries the identity
/// (inode, ctime, size) of the file it was made from, and a record whose file has changed since is
/// ignored and the file read instead. Delete the cache at will; it is rebuilt.
///
/// A line is tab-separated, with `\\`, `\t`, `\n`, `\r` and the list separator U+001F escaped inside
/// fields, so a reader can split bytes without a JSON parser: that is what keeps `list` fast on
/// 10,000 incidents.
struct SummaryIndex {
    /// The line format; 2 records the ctime where 1 recorded the mtime.
    static let format = 2
    static let header = "irctl-index\t\(format)\n"
    struct Record {
        var identity: FileIdentity
        var summary: IncidentSummary
    }

    // MARK: Writing

    static func line(_ summary: IncidentSummary, identity: FileIdentity) -> String {
        func time(_ date: Date?) -> String { date.map { String(Int64($0.timeIntervalSince1970.rounded(.down))) } ?? "" }
        let fields: [String] = [
            "R", String(summary.id.number), String(identity.inode), String(identity.changedNanoseconds), String(identity.size),
            escape(summary.uid), escape(summary.title), escape(summary.severity), summary.phase.rawValue,
            time(summary.createdAt), time(summary.startedAt), time(summary.detectedAt), time(summary.declaredAt),
            time(summary.containedAt), time(summary.recoveredAt), time(summary.closedAt), time(summary.updatedAt),
            String(summary.entryCount),
            escape(summary.roles.commander ?? ""), escape(summary.roles.comms ?? ""),
            escape(summary.roles.tech ?? ""), escape(summary.roles.scribe ?? ""),
            summary.services.map(escape).joined(separator: "\u{1F}"), summary.tags.map(escape).joined(separator: "\u{1F}"),
            String(summary.actionItemCount), String(summary.openActionItems),
            summary.openActionItemsDue.map { time($0) }.joined(separator: "\u{1F}"),
            String(summary.schemaVersion),
        ]
        return fields.joined(separator: "\t") + "\n"
    }

    static func escape(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x5C || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D || $0 == 0x1F }) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\u{1F}": out += "\\u"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    // MARK: Reading

    /// A journal read but not yet decoded: for each incident, the identity its last record was made
    /// from, whether it was closed, and where the line is, so only the records a command needs are
    /// decoded in full.
    struct Snapshot {
        struct Slot {
            var identity: FileIdentity
            var closed: Bool
            var line: Range<Int>
        }
        var bytes: [UInt8]
        var slots: [Int: Slot]

        func summary(_ slot: Slot) -> IncidentSummary? {
            bytes.withUnsafeBufferPointer { buffer in
                SummaryIndex.parseLine(UnsafeBufferPointer(rebasing: buffer[slot.line]))?.summary
            }
        }
    }

    /// Scans a journal; malformed or torn lines are skipped (their files are read instead).
    static func snapshot(_ bytes: [UInt8]) -> Snapshot {
        var slots: [Int: Snapshot.Slot] = [:]
        let headerBytes = Array(header.utf8)
        guard bytes.count >= headerBytes.count, Array(bytes[0..<headerBytes.count]) == headerBytes else {
            return Snapshot(bytes: [], slots: [:])
        }
        slots.reserveCapacity(bytes.count / 200)
        bytes.withUnsafeBufferPointer { buffer in
            let base = buffer.baseAddress!
            var start = headerBytes.count
            while start < buffer.count {
                // memchr: the journal is megabytes, and this loop is most of what `list` costs.
                guard let found = memchr(base + start, 0x0A, buffer.count - start) else { break }  // a torn last line
                let end = UnsafeRawPointer(found).assumingMemoryBound(to: UInt8.self) - base
                if let head = parseHead(UnsafeBufferPointer(start: base + start, count: end - start)) {
                    slots[head.number] = Snapshot.Slot(identity: head.identity, closed: head.closed, line: start..<end)
                }
                start = end + 1
            }
        }
        return Snapshot(bytes: bytes, slots: slots)
    }

    /// Parses every record in full (tests and rebuilds).
    static func parse(_ bytes: [UInt8]) -> [Int: Record] {
        let snapshot = snapshot(bytes)
        var records: [Int: Record] = [:]
        for (number, slot) in snapshot.slots {
            if let summary = snapshot.summary(slot) { records[number] = Record(identity: slot.identity, summary: summary) }
        }
        return records
    }

    /// The first fields of a line: `R`, number, inode, ctime, size; and whether the phase is closed.
    private static func parseHead(_ line: UnsafeBufferPointer<UInt8>) -> (number: Int, identity: FileIdentity, closed: Bool)? {
        guard let base = line.baseAddress, line.count > 2, base[0] == UInt8(ascii: "R"), base[1] == 0x09 else { return nil }
        let end = base + line.count
        var cursor = base + 2
        /// The next field, found with memchr rather than a byte loop: this runs once per incident.
        func next() -> UnsafeBufferPointer<UInt8>? {
            guard cursor <= end else { return nil }
            let tab = memchr(cursor, 0x09, end - cursor).map { UnsafeRawPointer($0).assumingMemoryBound(to: UInt8.self) } ?? end
            let field = UnsafeBufferPointer(start: cursor, count: tab - cursor)
            cursor = tab + 1
            return field
        }
        guard let number = next().flatMap(integer), let inode = next().flatMap(integer),
              let ctime = next().flatMap(integer), let size = next().flatMap(integer),
              next() != nil, next() != nil, next() != nil,  // uid, title, severity
              let phase = next(), let id = Int(exactly: number) else { return nil }
        let closed = phase.count == 6 && phase[0] == 0x63 && phase[1] == 0x6C && phase[5] == 0x64  // "closed"
        return (id, FileIdentity(inode: UInt64(bitPattern: inode), changedNanoseconds: ctime, size: size), closed)
    }

    static func integer(_ f: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard let base = f.baseAddress, !f.isEmpty else { return nil }
        var index = 0
        let negative = base[0] == UInt8(ascii: "-")
        if negative { index = 1 }
        // At most 19 digits fit a UInt64 without overflow; the Int64 range is checked at the end.
        guard f.count - index >= 1, f.count - index <= 19 else { return nil }
        var value: UInt64 = 0
        while index < f.count {
            let digit = base[index] &- 0x30
            guard digit <= 9 else { return nil }
            value = value &* 10 &+ UInt64(digit)
            index += 1
        }
        guard value <= UInt64(Int64.max) else { return nil }
        return negative ? -Int64(value) : Int64(value)
    }

    static func parseLine(_ line: UnsafeBufferPointer<UInt8>) -> Record? {
        var fields: [UnsafeBufferPointer<UInt8>] = []
        fields.reserveCapacity(28)
        var start = 0
        for i in 0..<line.count where line[i] == 0x09 {
            fields.append(UnsafeBufferPointer(rebasing: line[start..<i]))
            start = i + 1
        }
        fields.append(UnsafeBufferPointer(rebasing: line[start..<line.count]))
        guard fields.count == 28, fields[0].count == 1, fields[0][0] == UInt8(ascii: "R") else { return nil }

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
            return fields[i].split(separator: 0x1F, omittingEmptySubsequences: false).map { text(UnsafeBufferPointer(rebasing: $0)) }
        }

        guard let number = int(1), let id = IncidentID(number: Int(number)),
              let inode = int(2), let ctime = int(3), let size = int(4),
              let phase = Phase(rawValue: string(8)), let created = date(9), let detected = date(11),
              let updated = date(16), let entries = int(17), let items = int(24), let openItems = int(25),
              let schema = int(27) else { return nil }
        let due = list(26).compactMap { Int64($0).map { Date(timeIntervalSince1970: Double($0)) } }
        let summary = IncidentSummary(
            id: id, uid: string(5), title: string(6), severity: string(7), phase: phase,
            roles: Roles(commander: optional(18), comms: optional(19), tech: optional(20), scribe: optional(21)),
            services: list(22), tags: list(23), createdAt: created, startedAt: date(10), detectedAt: detected,
            declaredAt: date(12), containedAt: date(13), recoveredAt: date(14), closedAt: date(15), updatedAt: updated,
            entryCount: Int(entries), actionItemCount: Int(items), openActionItems: Int(openItems),
            openActionItemsDue: due, schemaVersion: Int(schema))
        return Record(identity: FileIdentity(inode: UInt64(bitPattern: inode), changedNanoseconds: ctime, size: size),
                      summary: summary)
    }

    static func unescape(_ text: String) -> String {
        var out = ""
        var escaping = false
        for scalar in text.unicodeScalars {
            if escaping {
                switch scalar {
                case "t": out += "\t"
                case "n": out += "\n"
                case "r": out += "\r"
                case "u": out += "\u{1F}"
                default: out.unicodeScalars.append(scalar)
                }
                escaping = false
            } else if scalar == "\\" {
                escaping = true
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
