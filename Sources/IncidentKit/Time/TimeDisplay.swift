import Foundation

/// Human time output, in the user's local time zone or in UTC (`--utc`).
///
/// Times are truncated to the minute or second shown, never rounded up, so a displayed time
/// never lies in the future of the stored one.
public struct TimeDisplay: Sendable {
    public let timeZone: TimeZone
    public let utc: Bool

    /// A display in `timeZone`, or in UTC when `utc` is true (full forms then end in "Z").
    public init(timeZone: TimeZone, utc: Bool) {
        self.timeZone = timeZone
        self.utc = utc
    }

    private static let monthNames: [StaticString] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]

    /// `2026-11-21 14:02` in local time, or `2026-11-21 14:02Z` in UTC mode.
    public func dateTime(_ date: Date) -> String {
        full(date, seconds: false)
    }

    /// `2026-11-21 14:02:05` in local time, or `2026-11-21 14:02:05Z` in UTC mode.
    public func dateTimeSeconds(_ date: Date) -> String {
        full(date, seconds: true)
    }

    /// `14:02`: the time of day alone.
    public func clock(_ date: Date) -> String {
        let (_, secondOfDay) = localDay(date)
        return ASCIIWriter.string(capacity: 8) { $0.clock(secondOfDay, seconds: false) }
    }

    /// `2026-11-21`: the day alone.
    public func date(_ date: Date) -> String {
        let (year, month, day) = Civil.date(days: localDay(date).day)
        return ASCIIWriter.string(capacity: 16) { $0.date(year: year, month: month, day: day) }
    }

    /// Compact: "14:02" when same local day as `relativeTo`, else "Nov 20 14:02", else "2025-11-20"
    /// when another year.
    public func compact(_ date: Date, relativeTo now: Date) -> String {
        let (day, secondOfDay) = localDay(date)
        let today = localDay(now).day
        if day == today {
            return ASCIIWriter.string(capacity: 8) { $0.clock(secondOfDay, seconds: false) }
        }
        let (year, month, dayOfMonth) = Civil.date(days: day)
        // Same year needs a civil conversion of `now`; days more than a year apart cannot share
        // one.
        if abs(day - today) <= 366, Civil.date(days: today).year == year {
            return ASCIIWriter.string(capacity: 16) { w in
                w.ascii(Self.monthNames[month - 1])
                w.byte(UInt8(ascii: " "))
                w.integer(dayOfMonth)
                w.byte(UInt8(ascii: " "))
                w.clock(secondOfDay, seconds: false)
            }
        }
        return ASCIIWriter.string(capacity: 16) {
            $0.date(year: year, month: month, day: dayOfMonth)
        }
    }

    private func full(_ date: Date, seconds: Bool) -> String {
        let (day, secondOfDay) = localDay(date)
        let (year, month, dayOfMonth) = Civil.date(days: day)
        return ASCIIWriter.string(capacity: 32) { w in
            w.date(year: year, month: month, day: dayOfMonth)
            w.byte(UInt8(ascii: " "))
            w.clock(secondOfDay, seconds: seconds)
            if utc { w.byte(UInt8(ascii: "Z")) }
        }
    }

    /// Days since 1970 and seconds into that day, on the wall clock this display shows.
    @inline(__always)
    private func localDay(_ date: Date) -> (day: Int, secondOfDay: Int) {
        let seconds = Civil.seconds(date)
        let local = utc ? seconds : seconds + Civil.offset(at: seconds, in: timeZone)
        let (day, secondOfDay) = Civil.floorDiv(local, Civil.secondsPerDay)
        return (day, secondOfDay)
    }
}
