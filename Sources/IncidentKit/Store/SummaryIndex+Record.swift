import Foundation

// The reader of one whole record.
extension SummaryIndex {
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
}
