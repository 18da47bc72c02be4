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

    // MARK: Fields

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
