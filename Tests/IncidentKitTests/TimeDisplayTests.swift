import Foundation
import Testing

@testable import IncidentKit

@Suite struct TimeDisplayTests {
    struct Row: Sendable, CustomTestStringConvertible {
        let zone: TimeZone, utc: Bool, instant: String, dateTime: String, seconds: String,
            clock: String, date: String
        var testDescription: String { "\(utc ? "UTC mode" : zone.identifier) \(instant)" }
    }

    @Test(arguments: [
        Row(
            zone: Fixture.berlin, utc: false, instant: "2026-11-21T14:02:05Z",
            dateTime: "2026-11-21 15:02", seconds: "2026-11-21 15:02:05", clock: "15:02",
            date: "2026-11-21"),
        Row(
            zone: Fixture.berlin, utc: true, instant: "2026-11-21T14:02:05Z",
            dateTime: "2026-11-21 14:02Z", seconds: "2026-11-21 14:02:05Z", clock: "14:02",
            date: "2026-11-21"),
        Row(
            zone: Fixture.berlin, utc: false, instant: "2026-11-21T23:30:00Z",
            dateTime: "2026-11-22 00:30", seconds: "2026-11-22 00:30:00", clock: "00:30",
            date: "2026-11-22"),
        Row(
            zone: Fixture.newYork, utc: false, instant: "2026-11-21T23:30:00Z",
            dateTime: "2026-11-21 18:30", seconds: "2026-11-21 18:30:00", clock: "18:30",
            date: "2026-11-21"),
        Row(
            zone: Fixture.berlin, utc: false, instant: "2026-07-01T10:00:00Z",
            dateTime: "2026-07-01 12:00", seconds: "2026-07-01 12:00:00", clock: "12:00",
            date: "2026-07-01"),
        Row(
            zone: Fixture.newYork, utc: false, instant: "2026-11-01T05:30:00Z",  // first 01:30, EDT
            dateTime: "2026-11-01 01:30", seconds: "2026-11-01 01:30:00", clock: "01:30",
            date: "2026-11-01"),
        Row(
            // second 01:30, EST
            zone: Fixture.newYork, utc: false, instant: "2026-11-01T06:30:00Z",
            dateTime: "2026-11-01 01:30", seconds: "2026-11-01 01:30:00", clock: "01:30",
            date: "2026-11-01"),
        Row(
            // 03:00 EDT, after the gap
            zone: Fixture.newYork, utc: false, instant: "2026-03-08T07:00:00Z",
            dateTime: "2026-03-08 03:00", seconds: "2026-03-08 03:00:00", clock: "03:00",
            date: "2026-03-08"),
        Row(
            zone: Fixture.utc, utc: false, instant: "1969-12-31T23:59:59Z",
            dateTime: "1969-12-31 23:59", seconds: "1969-12-31 23:59:59", clock: "23:59",
            date: "1969-12-31"),
        Row(
            zone: Fixture.newYork, utc: true, instant: "1900-01-01T00:00:00Z",
            dateTime: "1900-01-01 00:00Z", seconds: "1900-01-01 00:00:00Z", clock: "00:00",
            date: "1900-01-01"),
    ])
    func fullForms(row: Row) {
        let display = TimeDisplay(timeZone: row.zone, utc: row.utc)
        let date = Fixture.instant(row.instant)
        #expect(display.dateTime(date) == row.dateTime)
        #expect(display.dateTimeSeconds(date) == row.seconds)
        #expect(display.clock(date) == row.clock)
        #expect(display.date(date) == row.date)
    }

    @Test func truncatesNeverRoundsUp() {
        let display = TimeDisplay(timeZone: Fixture.utc, utc: true)
        let date = Date(timeIntervalSince1970: 1_795_269_779.9)  // 14:02:59.9
        #expect(display.dateTime(date) == "2026-11-21 14:02Z")
        #expect(display.dateTimeSeconds(date) == "2026-11-21 14:02:59Z")
    }

    // now = 2026-11-21T14:30:00Z: 14:30 UTC, 15:30 Berlin, 09:30 New York
    @Test(arguments: [
        (Fixture.utc, "2026-11-21T00:00:00Z", "00:00"),
        (Fixture.utc, "2026-11-21T23:59:00Z", "23:59"),
        (Fixture.utc, "2026-11-20T23:59:00Z", "Nov 20 23:59"),
        (Fixture.utc, "2026-11-22T09:00:00Z", "Nov 22 09:00"),
        (Fixture.utc, "2026-01-01T00:00:00Z", "Jan 1 00:00"),
        (Fixture.utc, "2025-12-31T23:59:00Z", "2025-12-31"),
        (Fixture.utc, "2027-01-05T10:00:00Z", "2027-01-05"),
        (Fixture.utc, "1969-12-31T23:59:59Z", "1969-12-31"),
        (Fixture.berlin, "2026-11-20T23:30:00Z", "00:30"),  // already the 21st in Berlin
        (Fixture.berlin, "2025-12-31T23:30:00Z", "Jan 1 00:30"),  // already 2026 in Berlin
        (Fixture.berlin, "2026-07-01T10:00:00Z", "Jul 1 12:00"),
        (Fixture.newYork, "2026-11-21T03:00:00Z", "Nov 20 22:00"),
        (Fixture.newYork, "2026-11-21T14:29:59Z", "09:29"),
    ])
    func compactLocal(zone: TimeZone, instant: String, expected: String) {
        #expect(
            TimeDisplay(timeZone: zone, utc: false).compact(
                Fixture.instant(instant), relativeTo: Fixture.now) == expected)
    }

    @Test(arguments: [
        ("2026-11-20T23:30:00Z", "Nov 20 23:30"),
        ("2025-12-31T23:30:00Z", "2025-12-31"),
        ("2026-11-21T14:29:59Z", "14:29"),
    ])
    func compactUTCMode(instant: String, expected: String) {
        let display = TimeDisplay(timeZone: Fixture.berlin, utc: true)
        #expect(display.compact(Fixture.instant(instant), relativeTo: Fixture.now) == expected)
    }

    /// "Today" and "this year" are the viewer's: at 22:00 on New Year's Eve in New York it is
    /// already 2027 in UTC.
    @Test func compactUsesTheLocalYearOfNow() {
        let now = Fixture.instant("2027-01-01T03:00:00Z")
        let display = TimeDisplay(timeZone: Fixture.newYork, utc: false)
        #expect(
            display.compact(Fixture.instant("2026-12-31T12:00:00Z"), relativeTo: now) == "07:00")
        #expect(
            display.compact(Fixture.instant("2026-06-01T12:00:00Z"), relativeTo: now)
                == "Jun 1 08:00")
        #expect(
            display.compact(Fixture.instant("2027-01-01T12:00:00Z"), relativeTo: now)
                == "2027-01-01")
    }

    /// Not a timed assertion: prints the cost of formatting a `list`-sized batch for the record.
    @Test func measureCompact() {
        let display = TimeDisplay(timeZone: Fixture.berlin, utc: false)
        let dates = (0..<10_000).map { Fixture.now.addingTimeInterval(Double(-$0 * 7_919)) }
        let clock = ContinuousClock()
        var bytes = 0
        let elapsed = clock.measure {
            for date in dates { bytes += display.compact(date, relativeTo: Fixture.now).utf8.count }
        }
        print("TimeDisplay.compact: 10,000 dates in \(elapsed) (\(bytes) bytes)")
        #expect(bytes > 0)
    }

    @Test(arguments: [
        (["TZ": "Europe/Berlin"], "Europe/Berlin"),
        (["TZ": ":Europe/Berlin"], "Europe/Berlin"),
        (["TZ": ":/usr/share/zoneinfo/America/New_York"], "America/New_York"),
        (["TZ": "America/New_York", "LANG": "C"], "America/New_York"),
    ])
    func zoneFromEnvironment(environment: [String: String], identifier: String) {
        #expect(TimeZone.fromEnvironment(environment).identifier == identifier)
    }

    /// Linux Foundation names UTC "GMT"; what matters is a zero offset with no transitions.
    @Test(arguments: ["UTC", ":UTC", "", "GMT", "UTC0"])
    func zoneFromEnvironmentUTC(tz: String) {
        let zone = TimeZone.fromEnvironment(["TZ": tz])
        #expect(zone.secondsFromGMT(for: Fixture.now) == 0)
        #expect(zone.nextDaylightSavingTimeTransition(after: Fixture.now) == nil)
    }

    @Test func zoneFallsBackToCurrent() {
        #expect(TimeZone.fromEnvironment([:]) == TimeZone.current)
        #expect(TimeZone.fromEnvironment(["TZ": "Not/AZone"]) == TimeZone.current)
        #expect(TimeZone.fromEnvironment(["HOME": "/root"]) == TimeZone.current)
    }
}
