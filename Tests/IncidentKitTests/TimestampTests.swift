import Foundation
import Testing

@testable import IncidentKit

@Suite struct TimestampTests {
    @Test(arguments: [
        (0.0, "1970-01-01T00:00:00Z"),
        (0.999, "1970-01-01T00:00:00Z"),
        (-0.5, "1969-12-31T23:59:59Z"),
        (-1, "1969-12-31T23:59:59Z"),
        (-86_400, "1969-12-31T00:00:00Z"),
        (-2_208_988_800, "1900-01-01T00:00:00Z"),
        (-12_219_292_800, "1582-10-15T00:00:00Z"),
        (-62_135_596_800, "0001-01-01T00:00:00Z"),
        (951_782_400, "2000-02-29T00:00:00Z"),
        (951_868_800, "2000-03-01T00:00:00Z"),
        (1_000_000_000, "2001-09-09T01:46:40Z"),
        (1_709_164_800, "2024-02-29T00:00:00Z"),
        (1_795_271_400, "2026-11-21T14:30:00Z"),
        (2_147_483_647, "2038-01-19T03:14:07Z"),
        (2_147_483_648, "2038-01-19T03:14:08Z"),
        (4_102_444_800, "2100-01-01T00:00:00Z"),
        (253_402_300_799, "9999-12-31T23:59:59Z"),
    ])
    func formats(seconds: Double, expected: String) {
        #expect(Timestamp.format(Date(timeIntervalSince1970: seconds)) == expected)
        #expect(
            Timestamp.parse(expected)
                == Timestamp.wholeSeconds(Date(timeIntervalSince1970: seconds)))
    }

    /// Every 7,919,993 seconds (a prime, so all times of day and days of month come up) from
    /// year 1 to 9999: format, parse back, and agree with Foundation's Gregorian calendar
    /// from 1582-10-15 on (before that Foundation switches to Julian; ISO 8601 and we stay
    /// Gregorian).
    @Test func roundTripsAcrossTheWholeRange() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = Fixture.utc
        var seconds = -62_135_596_800
        var checked = 0
        while seconds <= 253_402_300_799 {
            let date = Date(timeIntervalSince1970: Double(seconds))
            let text = Timestamp.format(date)
            #expect(Timestamp.parse(text) == date, "\(text)")
            let c = calendar.dateComponents(
                [.year, .month, .day, .hour, .minute, .second], from: date)
            let expected = String(
                format: "%04d-%02d-%02dT%02d:%02d:%02dZ",
                c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
            if seconds >= -12_219_292_800 { #expect(text == expected) }
            seconds += 7_919_993
            checked += 1
        }
        #expect(checked > 39_000)
    }

    /// Civil-date arithmetic day by day through leap years, centuries and 1970.
    @Test func civilDaysRoundTrip() {
        for day in -800_000...800_000 where day % 7 == 0 || abs(day) < 3_000 {
            let (y, m, d) = Civil.date(days: day)
            #expect(Civil.days(year: y, month: m, day: d) == day)
            if y >= 1 { #expect(Civil.isValid(year: y, month: m, day: d)) }
        }
        #expect(Civil.date(days: 0) == (1970, 1, 1))
        #expect(Civil.date(days: -1) == (1969, 12, 31))
    }

    @Test(arguments: [
        ("2026-11-21T14:02:00Z", 1_795_269_720.0),
        ("2026-11-21T14:02:00+01:00", 1_795_266_120),
        ("2026-11-21T14:02:00-01:00", 1_795_273_320),
        ("2026-11-21T14:02:00+0100", 1_795_266_120),
        ("2026-11-21T14:02:00+00:00", 1_795_269_720),
        ("2026-11-21T14:02:00-00:00", 1_795_269_720),
        ("2026-11-21T14:02:00.5Z", 1_795_269_720.5),
        ("2026-11-21T14:02:00.25+01:00", 1_795_266_120.25),
        ("1969-12-31T23:59:59.5Z", -0.5),
        ("2000-02-29T23:59:59Z", 951_868_799),
    ])
    func parses(text: String, seconds: Double) {
        #expect(Timestamp.parse(text)?.timeIntervalSince1970 == seconds)
    }

    @Test func fractionNeverRoundsIntoTheNextSecond() throws {
        let date = try #require(Timestamp.parse("2026-11-21T14:02:59.999999999999Z"))
        #expect(Timestamp.format(date) == "2026-11-21T14:02:59Z")
        #expect(date.timeIntervalSince1970 < 1_795_269_780)
    }

    @Test(arguments: [
        "", "Z", "2026-11-21", "2026-11-21T14:02Z", "2026-11-21 14:02:00Z", "2026-11-21t14:02:00z",
        "2026-11-21T14:02:00", "2026-11-21T14:02:00+01", "2026-11-21T14:02:00+1:00",
        "2026-11-21T14:02:00+01:0",
        "2026-11-21T14:02:00.Z", "2026-11-21T14:02:00,5Z", "2026-11-21T14:02:00ZZ",
        "2026-11-21T14:02:00+01:00:00",
        " 2026-11-21T14:02:00Z", "2026-11-21T14:02:00Z ", "2026-11-21T14:02:00Z\0",
        "2026-13-21T14:02:00Z", "2026-00-21T14:02:00Z", "2026-02-29T14:02:00Z",
        "2026-11-31T14:02:00Z",
        "2026-11-21T24:00:00Z", "2026-11-21T14:60:00Z", "2026-11-21T14:02:60Z",
        "0000-01-01T00:00:00Z",
        "2026-11-21T14:02:00+24:00", "2026-11-21T14:02:00+01:60", "+2026-11-21T14:02:00Z",
        "20261-11-21T14:02:00Z", "2026-1-21T14:02:00Z", "٢٠٢٦-١١-٢١T14:02:00Z",
        "2026-11-21T14:02:00🕐",
        "now", "10m ago",
    ])
    func rejects(text: String) {
        #expect(Timestamp.parse(text) == nil)
    }

    @Test(arguments: [(1.7, 1.0), (-0.5, -1), (0, 0), (1_795_269_720.999, 1_795_269_720)])
    func wholeSeconds(seconds: Double, expected: Double) {
        #expect(
            Timestamp.wholeSeconds(Date(timeIntervalSince1970: seconds)).timeIntervalSince1970
                == expected)
    }

    /// Absurd dates format instead of trapping. (Seconds, not Dates, as arguments: Foundation's
    /// own `Date.description`, which the test runner calls, traps on an infinite Date.)
    @Test(arguments: [
        -63_114_076_800.0, 63_113_904_000, .infinity, -.infinity, .nan, 1e300, -1e300,
    ])
    func extremesDoNotTrap(seconds: Double) {
        let date = Date(timeIntervalSince1970: seconds)
        #expect(!Timestamp.format(date).isEmpty)
        #expect(!TimeDisplay(timeZone: Fixture.berlin, utc: false).dateTime(date).isEmpty)
    }

    @Test func distantDatesUseExpandedYears() {
        #expect(Timestamp.format(.distantFuture) == "4001-01-01T00:00:00Z")
        // Foundation's distantPast is 1 January 1 CE in the Julian calendar.
        #expect(Timestamp.format(.distantPast) == "0000-12-30T00:00:00Z")
        #expect(
            Timestamp.format(Date(timeIntervalSince1970: -62_198_755_200))
                == "-0001-01-01T00:00:00Z")
    }
}
