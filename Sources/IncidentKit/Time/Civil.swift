import Foundation

/// Proleptic Gregorian calendar arithmetic on plain integers.
///
/// Howard Hinnant's `days_from_civil` / `civil_from_days`
/// (http://howardhinnant.github.io/date_algorithms.html): a handful of integer operations per date,
/// where Calendar and DateFormatter cost microseconds and `list` formats thousands of dates per
/// command.
enum Civil {
    static let secondsPerDay = 86_400

    /// Seconds kept when turning a `Date` into integers: about ±950,000 years. Clamping here
    /// keeps `Int(_:)` from trapping on absurd or infinite dates; real dates never come near it.
    static let secondLimit = 30_000_000_000_000.0

    /// Days since 1970-01-01 of a civil date; `month` 1...12, `day` 1...31.
    static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400  // 0...399
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The civil date of a day count since 1970-01-01.
    static func date(days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097  // 0...146096
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153  // March = 0
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    static func isLeapYear(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Whether the fields name a real date and time of day (no leap seconds, no 24:00).
    static func isValid(
        year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0
    ) -> Bool {
        (1...9999).contains(year) && (1...12).contains(month)
            && day >= 1 && day <= daysInMonth(year: year, month: month)
            && (0...23).contains(hour) && (0...59).contains(minute) && (0...59).contains(second)
    }

    /// Whole seconds since 1970 of `date`, rounded toward the past; NaN counts as the epoch.
    static func seconds(_ date: Date) -> Int {
        let t = date.timeIntervalSince1970
        guard !t.isNaN else { return 0 }
        return Int(min(max(t.rounded(.down), -secondLimit), secondLimit))
    }

    /// The Date `seconds` + `fraction` (0 ≤ fraction < 1) since 1970, never in the next second:
    /// a Double holds about 0.2 µs today, so `.999999999` would otherwise round up.
    static func date(seconds: Int, fraction: Double) -> Date {
        let whole = Double(seconds)
        let value = whole + fraction
        return Date(timeIntervalSince1970: value < whole + 1 ? value : (whole + 1).nextDown)
    }

    /// Division rounding toward negative infinity, so times before 1970 land on the right day.
    @inline(__always)
    static func floorDiv(_ a: Int, _ b: Int) -> (quotient: Int, remainder: Int) {
        let q = a / b
        let r = a % b
        return r < 0 ? (q - 1, r + b) : (q, r)
    }

    /// The UTC instant (seconds since 1970) at which clocks in `timeZone` show local time `local`
    /// (local wall-clock seconds counted as if that zone were UTC).
    ///
    /// Around a transition the rule is always "use the offset in force *before* the transition",
    /// the same rule as java.time and Foundation's Calendar:
    /// - in an overlap (clocks go back; 01:30 happens twice) this is the earlier of the two
    ///   instants;
    /// - in a gap (clocks go forward; 02:30 never happens) the time is read with the old offset,
    ///   which lands just after the gap (02:30 EST → 03:30 EDT), never before the input.
    static func instant(local: Int, in timeZone: TimeZone) -> Int {
        // Offsets a day either side of the local time bracket any transition near it.
        let before = offset(at: local - secondsPerDay, in: timeZone)
        let after = offset(at: local + secondsPerDay, in: timeZone)
        let early = local - before
        if before == after || offset(at: early, in: timeZone) == before { return early }
        let late = local - after
        if offset(at: late, in: timeZone) == after { return late }
        return early  // a gap: no wall clock showed `local`; keep the pre-transition offset
    }

    /// The zone's offset from UTC, in seconds, at a UTC instant.
    @inline(__always)
    static func offset(at seconds: Int, in timeZone: TimeZone) -> Int {
        timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(seconds)))
    }
}
