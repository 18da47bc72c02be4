import Foundation

/// Human time input for --at, --started, --detected, --since, --until, --due.
///
/// Accepted, case-insensitive, surrounding spaces ignored:
/// - `now`
/// - ISO 8601 with a zone: `2026-11-21T14:02:00Z`, `2026-11-21T14:02Z`, `2026-11-21
///   14:02:00+01:00`, fractional seconds allowed
/// - local date and time: `2026-11-21T14:02`, `2026-11-21 14:02:30`; a date alone is local midnight
/// - a time today: `14:02`, `9:05`, `14:02:30`; or on a nearby day: `yesterday 23:10`, `today
///   09:00`, `tomorrow 10:00`, or the day alone (local midnight)
/// - the form `show` prints: `Nov 23 14:02`, `nov 23` (this year)
/// - past: `10m ago`, `1h30m ago`, `2 hours ago`, `-10m`; future: `+3d`, `in 3d`, `in 2 hours`
///   (units s, m, h, d, w and their spelled-out forms, largest first)
///
/// Local times use `timeZone`; see `Civil.instant(local:in:)` for DST gaps and overlaps.
///
/// With `pastOnly` (fields where only a past time makes sense: `--at`, `--started`), a bare `14:02`
/// later than now is yesterday's, and `Nov 23 14:02` later than now is last year's.
public struct TimeInput: Sendable {
    public let now: Date
    public let timeZone: TimeZone
    public let pastOnly: Bool

    /// A parser that reads relative and local times against `now` in `timeZone`.
    public init(now: Date, timeZone: TimeZone, pastOnly: Bool = false) {
        self.now = now
        self.timeZone = timeZone
        self.pastOnly = pastOnly
    }

    /// True for a bare time of day (`14:02`, `9:05:30`): the form that `pastOnly` may move to
    /// yesterday.
    public static func isBareClock(_ text: String) -> Bool {
        let t = text.trimmingCharacters(in: .whitespaces)
        guard let colon = t.firstIndex(of: ":") else { return false }
        return !t.isEmpty && (1...2).contains(t.distance(from: t.startIndex, to: colon))
            && t.allSatisfy { $0.isASCII && ($0.isNumber || $0 == ":" || $0 == ".") }
    }

    /// `text` given together with a later time (`--started` with `--detected`): a bare clock time
    /// is read on the later time's day, so a pair of clock times is resolved together (the later
    /// one decides the day); any other form is read as `parse` reads it.
    public func parse(_ text: String, onTheDayOf later: Date) throws(TimeInputError) -> Date {
        guard Self.isBareClock(text) else { return try parse(text) }
        return try TimeInput(now: later, timeZone: timeZone).parse(text)
    }

    /// More than this in the future counts as the future: a minute of clock skew is forgiven.
    static let futureTolerance = 60.0

    /// The instant `text` names.
    public func parse(_ text: String) throws(TimeInputError) -> Date {
        // ASCII-only lowercasing and trimming: every accepted form is ASCII, and anything else
        // fails the grammar below anyway.
        var bytes = text.utf8.map { $0 >= 65 && $0 <= 90 ? $0 | 0x20 : $0 }
        while let last = bytes.last, last.isWhitespace { bytes.removeLast() }
        let leading = bytes.prefix(while: \.isWhitespace).count
        bytes.removeFirst(leading)
        // Nothing accepted is anywhere near this long; refusing early bounds the work.
        guard !bytes.isEmpty, bytes.count <= 64 else { throw .invalid(text) }
        do {
            return try read(bytes)
        } catch .invalid {
            throw .invalid(text)
        } catch .outOfRange {
            throw .outOfRange(text)
        }
    }

    // MARK: - Grammar

    /// Errors inside the grammar carry no text; `parse` attaches the user's input.
    private func read(_ bytes: [UInt8]) throws(TimeInputError) -> Date {
        var s = Scanner(bytes)
        if s.word("now"), s.atEnd { return now }
        s.index = 0

        switch bytes[0] {
        case UInt8(ascii: "-"):
            s.index = 1
            return try relative(&s, sign: -1)
        case UInt8(ascii: "+"):
            s.index = 1
            return try relative(&s, sign: 1)
        default:
            break
        }
        if s.word("in"), s.skipSpaces() > 0 {
            return try relative(&s, sign: 1)
        }
        s.index = 0
        if bytes.count > 4, bytes.suffix(3).elementsEqual("ago".utf8),
            bytes[bytes.count - 4].isSpace
        {
            var inner = Scanner(Array(bytes.dropLast(4)))
            return try relative(&inner, sign: -1)
        }
        for (word, days) in Self.dayWords {
            s.index = 0
            guard s.word(word) else { continue }
            if s.atEnd { return try local(dayOffset: days, secondOfDay: 0, fraction: 0) }
            guard s.skipSpaces() > 0 else { throw .invalid("") }
            let (secondOfDay, fraction) = try clock(&s)
            guard s.atEnd else { throw .invalid("") }
            return try local(dayOffset: days, secondOfDay: secondOfDay, fraction: fraction)
        }
        s.index = 0
        if bytes.count >= 5, bytes[4] == UInt8(ascii: "-") {
            return try dateTime(&s)
        }
        if bytes[0].isLetter {
            return try monthDay(&s)
        }
        let (secondOfDay, fraction) = try clock(&s)
        guard s.atEnd else { throw .invalid("") }
        let today = try local(dayOffset: 0, secondOfDay: secondOfDay, fraction: fraction)
        if pastOnly, today.timeIntervalSince(now) > Self.futureTolerance {
            return try local(dayOffset: -1, secondOfDay: secondOfDay, fraction: fraction)
        }
        return today
    }

    private static let months = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ]
    private static let monthNames = [
        "january", "february", "march", "april", "may", "june", "july", "august",
        "september", "october", "november", "december",
    ]

    /// `Nov 23 14:02` (the form `show` prints), `nov 23`, `November 23 9:05`: this year, or with
    /// `pastOnly` the last year in which it is not in the future.
    private func monthDay(_ s: inout Scanner) throws(TimeInputError) -> Date {
        let name = String(decoding: s.letters(), as: UTF8.self)
        guard
            let index = Self.months.firstIndex(where: { name == $0 })
                ?? Self.monthNames.firstIndex(of: name),
            s.skipSpaces() > 0, let day = s.digits(atMost: 2)
        else { throw .invalid("") }
        var secondOfDay = 0
        var fraction = 0.0
        if !s.atEnd {
            guard s.skipSpaces() > 0 else { throw .invalid("") }
            (secondOfDay, fraction) = try clock(&s)
            guard s.atEnd else { throw .invalid("") }
        }
        let nowSeconds = Civil.seconds(now)
        let today = Civil.floorDiv(
            nowSeconds + Civil.offset(at: nowSeconds, in: timeZone), Civil.secondsPerDay
        ).quotient
        let year = Civil.date(days: today).year
        func instant(_ year: Int) throws(TimeInputError) -> Date {
            guard Civil.isValid(year: year, month: index + 1, day: day) else {
                throw .outOfRange("")
            }
            let local =
                Civil.days(year: year, month: index + 1, day: day) * Civil.secondsPerDay
                + secondOfDay
            return try checked(Civil.instant(local: local, in: timeZone), fraction)
        }
        // Feb 29 exists only in some years: check the year it lands in.
        if pastOnly, let thisYear = try? instant(year),
            thisYear.timeIntervalSince(now) > Self.futureTolerance
        {
            return try instant(year - 1)
        }
        return try instant(year)
    }

    /// `YYYY-MM-DD[(T| )H:MM[:SS[.f]][zone]]`.
    private func dateTime(_ s: inout Scanner) throws(TimeInputError) -> Date {
        guard let year = s.digits(exactly: 4), s.byte("-"),
            let month = s.digits(exactly: 2), s.byte("-"),
            let day = s.digits(exactly: 2)
        else { throw .invalid("") }
        // Range checks come after the whole form is read, so "2026-13-01 garbage" is invalid, not
        // out of range.
        var secondOfDay = 0
        var fraction = 0.0
        var offset: Int? = nil
        if !s.atEnd {
            guard s.byte("t") || s.skipSpaces() > 0 else { throw .invalid("") }
            (secondOfDay, fraction) = try clock(&s)
            offset = try zone(&s)
            guard s.atEnd else { throw .invalid("") }
        }
        guard Civil.isValid(year: year, month: month, day: day) else { throw .outOfRange("") }
        let local =
            Civil.days(year: year, month: month, day: day) * Civil.secondsPerDay + secondOfDay
        let seconds = offset.map { local - $0 } ?? Civil.instant(local: local, in: timeZone)
        return try checked(seconds, fraction)
    }

    /// `H:MM`, `HH:MM`, `HH:MM:SS`, `HH:MM:SS.fff`, as seconds into the day.
    private func clock(
        _ s: inout Scanner
    ) throws(TimeInputError) -> (secondOfDay: Int, fraction: Double) {
        guard let hour = s.digits(atMost: 2), s.byte(":"), let minute = s.digits(exactly: 2) else {
            throw .invalid("")
        }
        var second = 0
        var fraction = 0.0
        if s.byte(":") {
            guard let sec = s.digits(exactly: 2) else { throw .invalid("") }
            second = sec
            if s.byte(".") {
                guard let f = s.fraction() else { throw .invalid("") }
                fraction = f
            }
        }
        if s.peek?.isDigit == true { throw .invalid("") }
        guard hour <= 23, minute <= 59, second <= 59 else { throw .outOfRange("") }
        return (hour * 3600 + minute * 60 + second, fraction)
    }

    /// An optional zone after a time: `z`, `±hh:mm` or `±hhmm`; nil for none (local time).
    private func zone(_ s: inout Scanner) throws(TimeInputError) -> Int? {
        if s.byte("z") { return 0 }
        let sign: Int
        if s.byte("+") { sign = 1 } else if s.byte("-") { sign = -1 } else { return nil }
        // Two digits at a time, not a digit run: "+0100" is hours 01 and minutes 00.
        guard let hours = s.twoDigits() else { throw .invalid("") }
        _ = s.byte(":")
        guard let minutes = s.twoDigits(), s.peek?.isDigit != true else { throw .invalid("") }
        guard hours <= 23, minutes <= 59 else { throw .outOfRange("") }
        return sign * (hours * 3600 + minutes * 60)
    }

    /// A duration such as `10m`, `1h30m`, `2 hours`, `1h 30 min`, read to the end and applied to
    /// `now`.
    private func relative(_ s: inout Scanner, sign: Int) throws(TimeInputError) -> Date {
        var total = 0
        var components = 0
        var largestAllowed = Int.max
        s.skipSpaces()
        while !s.atEnd {
            // Twelve digits of weeks is already far past year 9999; more is out of range, not an
            // overflow.
            guard let (number, length) = s.number() else { throw .invalid("") }
            s.skipSpaces()
            guard let unit = Self.units[String(decoding: s.letters(), as: UTF8.self)] else {
                throw .invalid("")
            }
            // Units largest first, each once: "1h30m", not "30m1h" or "1m1m".
            guard unit < largestAllowed else { throw .invalid("") }
            largestAllowed = unit
            guard length <= 12 else { throw .outOfRange("") }
            total += number * unit
            components += 1
            s.skipSpaces()
        }
        guard components > 0 else { throw .invalid("") }
        return try checked(now.timeIntervalSince1970 + Double(sign * total))
    }

    private static let dayWords: [(StaticString, Int)] = [
        ("yesterday", -1), ("today", 0), ("tomorrow", 1),
    ]

    static let units: [String: Int] = {
        var table: [String: Int] = [:]
        for (names, seconds) in [
            (["s", "sec", "secs", "second", "seconds"], 1),
            (["m", "min", "mins", "minute", "minutes"], 60),
            (["h", "hr", "hrs", "hour", "hours"], 3600),
            (["d", "day", "days"], 86_400),
            (["w", "week", "weeks"], 604_800),
        ] {
            for name in names { table[name] = seconds }
        }
        return table
    }()

    /// Local `secondOfDay` on the day `dayOffset` days from today in `timeZone`.
    private func local(
        dayOffset: Int, secondOfDay: Int, fraction: Double
    ) throws(TimeInputError) -> Date {
        let nowSeconds = Civil.seconds(now)
        let today = Civil.floorDiv(
            nowSeconds + Civil.offset(at: nowSeconds, in: timeZone), Civil.secondsPerDay
        ).quotient
        let local = (today + dayOffset) * Civil.secondsPerDay + secondOfDay
        return try checked(Civil.instant(local: local, in: timeZone), fraction)
    }

    /// 0001-01-01T00:00:00Z ... 9999-12-31T23:59:59Z, the years a stored timestamp can hold.
    static let range: ClosedRange<Double> = -62_135_596_800...253_402_300_799.999

    private func checked(_ seconds: Double) throws(TimeInputError) -> Date {
        guard Self.range.contains(seconds) else { throw .outOfRange("") }
        return Date(timeIntervalSince1970: seconds)
    }

    private func checked(_ seconds: Int, _ fraction: Double) throws(TimeInputError) -> Date {
        guard Self.range.contains(Double(seconds)) else { throw .outOfRange("") }
        return Civil.date(seconds: seconds, fraction: fraction)
    }
}

/// A cursor over the lowercased ASCII bytes of the input.
private struct Scanner {
    let bytes: [UInt8]
    var index = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { index == bytes.count }
    var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

    mutating func byte(_ c: Unicode.Scalar) -> Bool {
        guard peek == UInt8(ascii: c) else { return false }
        index += 1
        return true
    }

    /// Consumes `word` when it is not followed by another letter.
    mutating func word(_ word: StaticString) -> Bool {
        let start = index
        let matched = word.withUTF8Buffer { w in
            guard bytes.count - index >= w.count, bytes[index..<index + w.count].elementsEqual(w)
            else { return false }
            index += w.count
            return true
        }
        if matched, peek?.isLetter != true { return true }
        index = start
        return false
    }

    @discardableResult
    mutating func skipSpaces() -> Int {
        let start = index
        while peek?.isSpace == true { index += 1 }
        return index - start
    }

    mutating func letters() -> ArraySlice<UInt8> {
        let start = index
        while peek?.isLetter == true { index += 1 }
        return bytes[start..<index]
    }

    /// A run of digits: its value (saturating, since callers reject long runs) and length.
    mutating func number() -> (value: Int, length: Int)? {
        let start = index
        var value = 0
        while let b = peek, b.isDigit {
            if index - start < 15 { value = value * 10 + Int(b - 48) }
            index += 1
        }
        return index > start ? (value, index - start) : nil
    }

    mutating func digits(exactly count: Int) -> Int? {
        guard let (value, length) = number(), length == count else { return nil }
        return value
    }

    /// Exactly two digits, even when more follow.
    mutating func twoDigits() -> Int? {
        guard index + 2 <= bytes.count, bytes[index].isDigit, bytes[index + 1].isDigit else {
            return nil
        }
        defer { index += 2 }
        return Int(bytes[index] - 48) * 10 + Int(bytes[index + 1] - 48)
    }

    mutating func digits(atMost count: Int) -> Int? {
        guard let (value, length) = number(), length <= count else { return nil }
        return value
    }

    /// Digits after a decimal point, as a fraction of a second.
    mutating func fraction() -> Double? {
        let start = index
        var value = 0
        var scale = 1
        while let b = peek, b.isDigit {
            if index - start < 9 {
                value = value * 10 + Int(b - 48)
                scale *= 10
            }
            index += 1
        }
        return index > start ? Double(value) / Double(scale) : nil
    }
}

extension UInt8 {
    fileprivate var isDigit: Bool { self >= 48 && self <= 57 }
    fileprivate var isLetter: Bool { self >= 97 && self <= 122 }
    fileprivate var isSpace: Bool { self == 32 || self == 9 }
    fileprivate var isWhitespace: Bool { self == 32 || (9...13).contains(self) }
}
