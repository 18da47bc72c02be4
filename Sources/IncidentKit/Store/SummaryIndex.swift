import Foundation
import Glibc

/// The store's summary cache, `cache/index`: an append-only journal of one line per incident write,
/// the last line for an incident winning. It is only ever a cache: each record carries the
/// identity of what it was made from (the incident's directory, and for an open incident its
/// files), and a record whose sources changed since is ignored and the files read instead. Delete
/// the cache at will; it is rebuilt.
///
/// A line is tab-separated, with `\\`, `\t`, `\n`, `\r` and the list separator U+001F escaped inside
/// fields, so a reader can split bytes without a JSON parser: that is what keeps `list` fast on
/// 10,000 incidents.
struct SummaryIndex {
    /// The line format; 3 is keyed by uid (store format 2).
    static let format = 3
    static let header = "irctl-index\t\(format)\n"
    static let fieldCount = 33

    struct Record {
        var sources: String
        var files: String
        var summary: IncidentSummary
    }

    // MARK: Writing

    static func time(_ date: Date?) -> String { date.map { String(Int64($0.timeIntervalSince1970.rounded(.down))) } ?? "" }

    static func line(_ summary: IncidentSummary, sources: String, files: String) -> String {
        let fields: [String] = [
            "R", escape(summary.uid), escape(sources), escape(files), String(summary.claim.number), time(summary.claimedAt),
            escape(summary.claimHash), summary.aliases.map { String($0.number) }.joined(separator: "\u{1F}"),
            escape(summary.title), escape(summary.severity), summary.phase.rawValue,
            time(summary.createdAt), time(summary.startedAt), time(summary.detectedAt), time(summary.declaredAt),
            time(summary.containedAt), time(summary.recoveredAt), time(summary.closedAt), time(summary.updatedAt),
            String(summary.entryCount),
            escape(summary.roles.commander ?? ""), escape(summary.roles.comms ?? ""),
            escape(summary.roles.tech ?? ""), escape(summary.roles.scribe ?? ""),
            summary.services.map(escape).joined(separator: "\u{1F}"), summary.tags.map(escape).joined(separator: "\u{1F}"),
            String(summary.actionItemCount), String(summary.openActionItems),
            summary.openActionItemsDue.map { time($0) }.joined(separator: "\u{1F}"),
            String(summary.schemaVersion), time(summary.nextUpdateAt), "", "",
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
        guard bytes.count >= headerBytes.count, Array(bytes[0..<headerBytes.count]) == headerBytes else {
            return Snapshot(bytes: [], heads: [:])
        }
        heads.reserveCapacity(bytes.count / 200)
        bytes.withUnsafeBufferPointer { buffer in
            let base = buffer.baseAddress!
            var start = headerBytes.count
            while start < buffer.count {
                // memchr: the journal is megabytes, and this loop is much of what `list` costs.
                guard let found = memchr(base + start, 0x0A, buffer.count - start) else { break }  // a torn last line
                let end = UnsafeRawPointer(found).assumingMemoryBound(to: UInt8.self) - base
                if var head = parseHead(UnsafeBufferPointer(start: base + start, count: end - start)) {
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
        guard let base = line.baseAddress, line.count > 2, base[0] == UInt8(ascii: "R"), base[1] == 0x09 else { return nil }
        let end = base + line.count
        var cursor = base + 2
        func next() -> UnsafeBufferPointer<UInt8>? {
            guard cursor <= end else { return nil }
            let tab = memchr(cursor, 0x09, end - cursor).map { UnsafeRawPointer($0).assumingMemoryBound(to: UInt8.self) } ?? end
            let field = UnsafeBufferPointer(start: cursor, count: tab - cursor)
            cursor = tab + 1
            return field
        }
        func text(_ f: UnsafeBufferPointer<UInt8>) -> String {
            let raw = String(decoding: f, as: UTF8.self)
            return f.contains(0x5C) ? unescape(raw) : raw
        }
        guard let uid = next().map(text), let sources = next().map(text), let files = next().map(text),
              let claim = next().flatMap(integer), let claimedAt = next().flatMap(integer), let hash = next().map(text),
              let aliases = next(), next() != nil, next() != nil,  // title, severity
              let phase = next() else { return nil }
        let aliasNumbers = aliases.isEmpty ? [] : aliases.split(separator: 0x1F).compactMap { integer(UnsafeBufferPointer(rebasing: $0)).map(Int.init) }
        let closed = phase.count == 6 && phase[0] == 0x63 && phase[1] == 0x6C && phase[5] == 0x64  // "closed"
        return Head(uid: uid, sources: sources, files: files, claim: Int(claim), claimedAt: claimedAt, claimHash: hash,
                    aliases: aliasNumbers, closed: closed, line: 0..<0)
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
        guard fields.count == fieldCount, fields[0].count == 1, fields[0][0] == UInt8(ascii: "R") else { return nil }

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

        guard let claimNumber = int(4), let claim = IncidentID(number: Int(claimNumber)), let claimedAt = date(5),
              let phase = Phase(rawValue: string(10)), let created = date(11), let detected = date(13),
              let updated = date(18), let entries = int(19), let items = int(26), let openItems = int(27),
              let schema = int(29) else { return nil }
        let due = list(28).compactMap { Int64($0).map { Date(timeIntervalSince1970: Double($0)) } }
        let aliases = list(7).compactMap { Int($0).flatMap(IncidentID.init(number:)) }
        let summary = IncidentSummary(
            id: claim, uid: string(1), claim: claim, claimedAt: claimedAt, claimHash: string(6), aliases: aliases,
            title: string(8), severity: string(9), phase: phase,
            roles: Roles(commander: optional(20), comms: optional(21), tech: optional(22), scribe: optional(23)),
            services: list(24), tags: list(25), createdAt: created, startedAt: date(12), detectedAt: detected,
            declaredAt: date(14), containedAt: date(15), recoveredAt: date(16), closedAt: date(17), updatedAt: updated,
            entryCount: Int(entries), actionItemCount: Int(items), openActionItems: Int(openItems),
            openActionItemsDue: due, schemaVersion: Int(schema), nextUpdateAt: date(30))
        return Record(sources: string(2), files: string(3), summary: summary)
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
