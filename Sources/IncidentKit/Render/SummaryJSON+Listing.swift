import Foundation

extension SummaryJSON {
    /// `list --json` from a listing, byte for byte what `encode` makes of the same incidents'
    /// summaries: a field copied from the cache as it is when it needs no JSON escape, so that
    /// 10,000 incidents cost what they print. `order` is the rows to write, in order. Nil when a
    /// record can't be read this way (then the summaries are encoded instead).
    public static func encode(_ listing: Listing, order: [Int]) -> [UInt8]? {
        guard !order.isEmpty else { return Array("[\n\n]".utf8) }
        let out = ByteBuffer(capacity: order.count * 760 + 8)
        out.append("[\n")
        let ok = listing.bytes.withUnsafeBufferPointer { buffer in
            withUnsafeTemporaryAllocation(of: Int.self, capacity: SummaryIndex.fieldCount + 1) {
                starts in
                for (index, r) in order.enumerated() {
                    guard Listing.split(buffer, listing.rows[r].line, into: starts),
                        append(listing, row: listing.rows[r], buffer, starts, to: out)
                    else { return false }
                    if index != order.count - 1 { out.append(0x2C) }
                    out.append(0x0A)
                }
                return true
            }
        }
        guard ok else { return nil }
        out.append(0x5D)
        return out.bytes
    }

    private static func append(
        _ listing: Listing, row: Listing.Row, _ buffer: UnsafeBufferPointer<UInt8>,
        _ starts: UnsafeMutableBufferPointer<Int>, to out: ByteBuffer
    ) -> Bool {
        func field(_ i: Int) -> Range<Int> { starts[i]..<(starts[i + 1] - 1) }
        func number(_ i: Int) -> Int64? {
            SummaryIndex.integer(UnsafeBufferPointer(rebasing: buffer[field(i)]))
        }
        // What `SummaryIndex.parseLine` insists on, so that this writes only what it would read.
        guard let created = number(11), let updated = number(18), let entries = number(19),
            number(5) != nil, number(26) != nil, let openItems = number(27), number(29) != nil
        else { return false }

        func raw(_ text: StaticString) { out.append(text) }
        raw("  {\n")
        var first = true
        func key(_ name: StaticString) {
            if !first {
                out.append(0x2C)
                out.append(0x0A)
            }
            first = false
            raw("    \"")
            raw(name)
            raw("\" : ")
        }
        /// A cache field as a JSON string: its bytes when nothing in them needs an escape.
        func text(_ range: Range<Int>) {
            let bytes = UnsafeBufferPointer(rebasing: buffer[range])
            if !bytes.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) {
                out.append(0x22)
                out.append(bytes)
                out.append(0x22)
            } else {
                var escaped: [UInt8] = []
                JSONString.append(listing.text(range), to: &escaped)
                out.append(escaped)
            }
        }
        func string(_ name: StaticString, _ range: Range<Int>) {
            key(name)
            text(range)
        }
        func date(_ name: StaticString, _ seconds: Int64?) {
            guard let seconds else { return }
            key(name)
            Timestamp.appendQuoted(seconds: seconds, to: out)
        }
        func date(_ name: StaticString, field i: Int) {
            date(name, field(i).isEmpty ? nil : number(i))
        }
        func bool(_ name: StaticString, _ value: Bool) {
            key(name)
            out.append(value ? "true" as StaticString : "false")
        }
        func int(_ name: StaticString, _ value: Int64) {
            key(name)
            out.append(String(value))
        }
        func strings(_ name: StaticString, _ range: Range<Int>) {
            key(name)
            guard !range.isEmpty else {
                raw("[\n\n    ]")
                return
            }
            raw("[\n")
            var start = range.lowerBound
            for i in range.lowerBound...range.upperBound
            where i == range.upperBound || buffer[i] == 0x1F {
                raw("      ")
                text(start..<i)
                raw(i == range.upperBound ? "\n" : ",\n")
                start = i + 1
            }
            raw("    ]")
        }
        // Keys in sorted order, as the encoder's .sortedKeys writes them.
        bool("active", row.isActive)
        // `duplicate:UID` in the cache is `closedAs` and `duplicateOf` here.
        let closedAs = field(34)
        let duplicatePrefix = Array("duplicate:".utf8)
        let isDuplicate =
            closedAs.count > duplicatePrefix.count
            && buffer[closedAs.lowerBound..<closedAs.lowerBound + duplicatePrefix.count]
                .elementsEqual(duplicatePrefix)
        if isDuplicate {
            key("closedAs")
            raw("\"duplicate\"")
        } else if !closedAs.isEmpty {
            string("closedAs", closedAs)
        }
        date("closedAt", field: 17)
        date("containedAt", field: 15)
        date("createdAt", created)
        date("declaredAt", field: 14)
        date("detectedAt", row.detectedAt)
        if !field(33).isEmpty { bool("drill", true) }
        if isDuplicate {
            string("duplicateOf", closedAs.lowerBound + duplicatePrefix.count..<closedAs.upperBound)
        }
        int("entryCount", entries)
        key("id")
        raw("\"INC-")
        out.append(String(row.number))
        out.append(0x22)
        bool("open", row.isOpen)
        int("openActionItems", openItems)
        key("phase")
        out.append(0x22)
        out.append(row.phase.rawValue)
        out.append(0x22)
        date("recoveredAt", field: 16)
        key("roles")
        // Sorted by name: commander, comms, scribe, tech; an empty field is no role.
        var held: [(StaticString, Int)] = []
        for (name, i) in [("commander", 20), ("comms", 21), ("scribe", 23), ("tech", 22)]
            as [(StaticString, Int)] where !field(i).isEmpty
        {
            held.append((name, i))
        }
        if held.isEmpty {
            raw("{\n\n    }")
        } else {
            raw("{\n")
            for (index, (name, i)) in held.enumerated() {
                raw("      \"")
                raw(name)
                raw("\" : ")
                text(field(i))
                raw(index == held.count - 1 ? "\n" : ",\n")
            }
            raw("    }")
        }
        strings("services", field(24))
        string("severity", field(9))
        date("startedAt", field: 12)
        strings("tags", field(25))
        string("title", field(8))
        string("uid", field(1))
        date("updatedAt", updated)
        raw("\n  }")
        return true
    }
}
