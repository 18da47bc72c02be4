import Foundation

/// The store's summary cache, `cache/index`: an append-only journal of one line per incident write,
/// the last line for an incident winning. It is only ever a cache: each record carries the identity
/// (inode, mtime, size) of the file it was made from, and a record whose file has changed since is
/// ignored and the file read instead. Delete the cache at will; it is rebuilt.
///
/// A line is tab-separated, with `\\`, `\t`, `\n`, `\r` and the list separator U+001F escaped inside
/// fields, so a reader can split bytes without a JSON parser: that is what keeps `list` fast on
/// 10,000 incidents.
struct SummaryIndex {
    static let header = "irctl-index\t1\n"
    struct Record {
        var identity: FileIdentity
        var summary: IncidentSummary
    }

    // MARK: Writing

    static func line(_ summary: IncidentSummary, identity: FileIdentity) -> String {
        func time(_ date: Date?) -> String { date.map { String(Int64($0.timeIntervalSince1970.rounded(.down))) } ?? "" }
        let fields: [String] = [
            "R", String(summary.id.number), String(identity.inode), String(identity.modifiedNanoseconds), String(identity.size),
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

    /// Parses a journal; malformed or torn lines are skipped (their files are read instead).
    static func parse(_ bytes: [UInt8]) -> [Int: Record] {
        var records: [Int: Record] = [:]
        let headerBytes = Array(header.utf8)
        guard bytes.count >= headerBytes.count, Array(bytes[0..<headerBytes.count]) == headerBytes else { return [:] }
        records.reserveCapacity(bytes.count / 200)
        bytes.withUnsafeBufferPointer { buffer in
            var start = headerBytes.count
            while start < buffer.count {
                guard let end = buffer[start...].firstIndex(of: 0x0A) else { break }  // a torn last line
                if let record = parseLine(UnsafeBufferPointer(rebasing: buffer[start..<end])) {
                    records[record.summary.id.number] = record
                }
                start = end + 1
            }
        }
        return records
    }

    private static func parseLine(_ line: UnsafeBufferPointer<UInt8>) -> Record? {
        var fields: [UnsafeBufferPointer<UInt8>] = []
        fields.reserveCapacity(28)
        var start = 0
        for i in 0..<line.count where line[i] == 0x09 {
            fields.append(UnsafeBufferPointer(rebasing: line[start..<i]))
            start = i + 1
        }
        fields.append(UnsafeBufferPointer(rebasing: line[start..<line.count]))
        guard fields.count == 28, fields[0].count == 1, fields[0][0] == UInt8(ascii: "R") else { return nil }

        func int(_ i: Int) -> Int64? {
            let f = fields[i]
            guard !f.isEmpty else { return nil }
            var value: Int64 = 0
            var negative = false
            for (n, byte) in f.enumerated() {
                if n == 0, byte == UInt8(ascii: "-") { negative = true; continue }
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                let (m, o1) = value.multipliedReportingOverflow(by: 10)
                let (s, o2) = m.addingReportingOverflow(Int64(byte - 0x30))
                guard !o1, !o2 else { return nil }
                value = s
            }
            return negative ? -value : value
        }
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
              let inode = int(2), let mtime = int(3), let size = int(4),
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
        return Record(identity: FileIdentity(inode: UInt64(bitPattern: inode), modifiedNanoseconds: mtime, size: size),
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
