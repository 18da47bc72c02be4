import Foundation

extension TimeDisplay {
    /// `text` with every time in the stored form (`2026-11-21T14:02:00Z`) shown as this display
    /// shows times (`2026-11-21 15:02` in Europe/Berlin), for messages and entry texts a person
    /// reads: stored data and `--json` keep UTC ISO 8601, people see their own zone.
    public func localizingTimestamps(in text: String) -> String {
        let bytes = Array(text.utf8)
        // `YYYY-MM-DDTHH:MM:SSZ` is 20 bytes with a `T` at 10; most texts have none.
        guard bytes.count >= 20, bytes.contains(UInt8(ascii: "T")) else { return text }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            if i + 20 <= bytes.count, Self.isStoredTimestamp(bytes[i..<i + 20]),
                i == 0 || !Self.isAlphanumeric(bytes[i - 1]),
                i + 20 == bytes.count || !Self.isAlphanumeric(bytes[i + 20]),
                let date = Timestamp.parse(String(decoding: bytes[i..<i + 20], as: UTF8.self))
            {
                let wholeMinute = Int(date.timeIntervalSince1970) % 60 == 0
                out += Array((wholeMinute ? dateTime(date) : dateTimeSeconds(date)).utf8)
                i += 20
                continue
            }
            out.append(bytes[i])
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func isStoredTimestamp(_ b: ArraySlice<UInt8>) -> Bool {
        let s = b.startIndex
        for (offset, byte) in b.enumerated() {
            switch offset {
            case 4, 7: if byte != UInt8(ascii: "-") { return false }
            case 10: if byte != UInt8(ascii: "T") { return false }
            case 13, 16: if byte != UInt8(ascii: ":") { return false }
            case 19: if byte != UInt8(ascii: "Z") { return false }
            default: if !(48...57).contains(b[s + offset]) { return false }
            }
        }
        return true
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (48...57).contains(byte) || (65...90).contains(byte) || (97...122).contains(byte)
    }
}
