import Foundation

/// Machine timestamps: what the store writes. Always UTC, whole seconds, `2026-11-21T14:02:00Z`.
public enum Timestamp {
    /// The stored form of `date`, truncated to whole seconds (toward the past).
    public static func format(_ date: Date) -> String {
        let (day, secondOfDay) = Civil.floorDiv(Civil.seconds(date), Civil.secondsPerDay)
        let (year, month, dayOfMonth) = Civil.date(days: day)
        return ASCIIWriter.string(capacity: 32) { w in
            w.date(year: year, month: month, day: dayOfMonth)
            w.byte(UInt8(ascii: "T"))
            w.clock(secondOfDay, seconds: true)
            w.byte(UInt8(ascii: "Z"))
        }
    }

    /// `format` of a time in whole seconds since 1970, in quotes, appended to JSON being made.
    static func appendQuoted(seconds: Int64, to out: ByteBuffer) {
        let limit = Int64(Civil.secondLimit)
        let clamped = Int(min(max(seconds, -limit), limit))
        let (day, secondOfDay) = Civil.floorDiv(clamped, Civil.secondsPerDay)
        let (year, month, dayOfMonth) = Civil.date(days: day)
        ASCIIWriter.append(capacity: 40, to: out) { w in
            w.byte(0x22)
            w.date(year: year, month: month, day: dayOfMonth)
            w.byte(UInt8(ascii: "T"))
            w.clock(secondOfDay, seconds: true)
            w.byte(UInt8(ascii: "Z"))
            w.byte(0x22)
        }
    }

    /// Parses a stored timestamp: strict ISO 8601 `YYYY-MM-DDTHH:MM:SS[.fff](Z|±hh:mm|±hhmm)`.
    ///
    /// Lenient human input belongs to ``TimeInput``; this refuses anything a store would not
    /// contain.
    public static func parse(_ text: String) -> Date? {
        var text = text
        return text.withUTF8 { parse(bytes: $0) }
    }

    /// `date` floored to whole seconds, as the store keeps it.
    public static func wholeSeconds(_ date: Date) -> Date {
        Date(timeIntervalSince1970: Double(Civil.seconds(date)))
    }

    private static func parse(bytes b: UnsafeBufferPointer<UInt8>) -> Date? {
        guard b.count >= 20, b.count <= 64,
            b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"), b[10] == UInt8(ascii: "T"),
            b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":"),
            let year = digits(b, 0, 4), let month = digits(b, 5, 2), let day = digits(b, 8, 2),
            let hour = digits(b, 11, 2), let minute = digits(b, 14, 2),
            let second = digits(b, 17, 2),
            Civil.isValid(
                year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        else { return nil }

        var i = 19
        var fraction = 0.0
        if b[i] == UInt8(ascii: ".") {
            i += 1
            let start = i
            var value = 0
            var scale = 1
            while i < b.count, let d = digit(b[i]) {
                if i - start < 9 {
                    value = value * 10 + d
                    scale *= 10
                }  // beyond nanoseconds is noise
                i += 1
            }
            guard i > start else { return nil }
            fraction = Double(value) / Double(scale)
        }

        guard i < b.count else { return nil }
        var offset = 0
        switch b[i] {
        case UInt8(ascii: "Z"):
            i += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            let sign = b[i] == UInt8(ascii: "-") ? -1 : 1
            guard let hh = digits(b, i + 1, 2) else { return nil }
            i += 3
            if i < b.count, b[i] == UInt8(ascii: ":") { i += 1 }
            guard let mm = digits(b, i, 2), hh <= 23, mm <= 59 else { return nil }
            i += 2
            offset = sign * (hh * 3600 + mm * 60)
        default:
            return nil
        }
        guard i == b.count else { return nil }

        let seconds =
            Civil.days(year: year, month: month, day: day) * Civil.secondsPerDay
            + hour * 3600 + minute * 60 + second - offset
        return Civil.date(seconds: seconds, fraction: fraction)
    }

    @inline(__always)
    static func digit(_ b: UInt8) -> Int? {
        b >= 48 && b <= 57 ? Int(b - 48) : nil
    }

    /// The value of exactly `count` ASCII digits at `start`, or nil.
    static func digits(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ count: Int) -> Int? {
        guard start >= 0, start + count <= b.count else { return nil }
        var value = 0
        for i in start..<start + count {
            guard let d = digit(b[i]) else { return nil }
            value = value * 10 + d
        }
        return value
    }
}
