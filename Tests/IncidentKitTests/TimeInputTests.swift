import Foundation
import TestSupport
import Testing

@testable import IncidentKit

/// Parses `input` against `now` in `zone` and returns the stored form, or the error.
private func parsed(
    _ input: String, in zone: TimeZone, now: Date = Fixture.now
) -> Result<String, TimeInputError> {
    Result { () throws(TimeInputError) in
        Timestamp.format(try TimeInput(now: now, timeZone: zone).parse(input))
    }
}

@Suite struct TimeInputTests {
    // now = 2026-11-21T14:30:00Z
    @Test(arguments: [
        ("now", "2026-11-21T14:30:00Z"),
        ("NOW", "2026-11-21T14:30:00Z"),
        ("  now \n", "2026-11-21T14:30:00Z"),
        // ISO 8601 with a zone
        ("2026-11-21T14:02:00Z", "2026-11-21T14:02:00Z"),
        ("2026-11-21t14:02:00z", "2026-11-21T14:02:00Z"),
        ("2026-11-21T14:02Z", "2026-11-21T14:02:00Z"),
        ("2026-11-21T14:02:00+01:00", "2026-11-21T13:02:00Z"),
        ("2026-11-21T14:02:00-05:30", "2026-11-21T19:32:00Z"),
        ("2026-11-21T14:02:00+0100", "2026-11-21T13:02:00Z"),
        ("2026-11-21T00:30:00+01:00", "2026-11-20T23:30:00Z"),
        ("2026-11-21 14:02:00Z", "2026-11-21T14:02:00Z"),
        ("2026-11-21T14:02:00.750Z", "2026-11-21T14:02:00Z"),
        ("2026-11-21T14:02:59.999999999999Z", "2026-11-21T14:02:59Z"),
        ("1970-01-01T00:00:00Z", "1970-01-01T00:00:00Z"),
        ("1969-07-20T20:17:40Z", "1969-07-20T20:17:40Z"),
        ("2000-02-29T12:00:00Z", "2000-02-29T12:00:00Z"),
        ("0001-01-01T00:00:00Z", "0001-01-01T00:00:00Z"),
        ("9999-12-31T23:59:59Z", "9999-12-31T23:59:59Z"),
        // local date and time, here in UTC
        ("2026-11-21T14:02", "2026-11-21T14:02:00Z"),
        ("2026-11-21 14:02", "2026-11-21T14:02:00Z"),
        ("2026-11-21  14:02", "2026-11-21T14:02:00Z"),
        ("2026-11-21 14:02:30", "2026-11-21T14:02:30Z"),
        ("2026-11-21 9:05", "2026-11-21T09:05:00Z"),
        ("2026-11-21", "2026-11-21T00:00:00Z"),
        ("2038-01-19 03:14:08", "2038-01-19T03:14:08Z"),
        // a time today
        ("14:02", "2026-11-21T14:02:00Z"),
        ("14:02:30", "2026-11-21T14:02:30Z"),
        ("9:05", "2026-11-21T09:05:00Z"),
        ("09:05", "2026-11-21T09:05:00Z"),
        ("00:00", "2026-11-21T00:00:00Z"),
        ("23:59:59", "2026-11-21T23:59:59Z"),
        // nearby days
        ("yesterday 23:10", "2026-11-20T23:10:00Z"),
        ("Yesterday  23:10", "2026-11-20T23:10:00Z"),
        ("today 09:00", "2026-11-21T09:00:00Z"),
        ("tomorrow 10:00", "2026-11-22T10:00:00Z"),
        ("TOMORROW 9:05:30", "2026-11-22T09:05:30Z"),
        ("yesterday", "2026-11-20T00:00:00Z"),
        ("today", "2026-11-21T00:00:00Z"),
        ("tomorrow", "2026-11-22T00:00:00Z"),
        // relative past
        ("10m ago", "2026-11-21T14:20:00Z"),
        ("10M AGO", "2026-11-21T14:20:00Z"),
        ("10m  ago", "2026-11-21T14:20:00Z"),
        ("2h ago", "2026-11-21T12:30:00Z"),
        ("90s ago", "2026-11-21T14:28:30Z"),
        ("1d ago", "2026-11-20T14:30:00Z"),
        ("1w ago", "2026-11-14T14:30:00Z"),
        ("1h30m ago", "2026-11-21T13:00:00Z"),
        ("1h 30m ago", "2026-11-21T13:00:00Z"),
        ("1w2d3h4m5s ago", "2026-11-12T11:25:55Z"),
        ("10 min ago", "2026-11-21T14:20:00Z"),
        ("2 hours ago", "2026-11-21T12:30:00Z"),
        ("1 hour 30 minutes ago", "2026-11-21T13:00:00Z"),
        ("1 hr ago", "2026-11-21T13:30:00Z"),
        ("2 hrs ago", "2026-11-21T12:30:00Z"),
        ("1 second ago", "2026-11-21T14:29:59Z"),
        ("5 secs ago", "2026-11-21T14:29:55Z"),
        ("5 sec ago", "2026-11-21T14:29:55Z"),
        ("5 seconds ago", "2026-11-21T14:29:55Z"),
        ("1 minute ago", "2026-11-21T14:29:00Z"),
        ("3 mins ago", "2026-11-21T14:27:00Z"),
        ("3 days ago", "2026-11-18T14:30:00Z"),
        ("1 day ago", "2026-11-20T14:30:00Z"),
        ("2 weeks ago", "2026-11-07T14:30:00Z"),
        ("1 week ago", "2026-11-14T14:30:00Z"),
        ("0m ago", "2026-11-21T14:30:00Z"),
        ("-10m", "2026-11-21T14:20:00Z"),
        ("-1h30m", "2026-11-21T13:00:00Z"),
        ("-2 hours", "2026-11-21T12:30:00Z"),
        // relative future
        ("+3d", "2026-11-24T14:30:00Z"),
        ("+1w", "2026-11-28T14:30:00Z"),
        ("in 3d", "2026-11-24T14:30:00Z"),
        ("in 2 hours", "2026-11-21T16:30:00Z"),
        ("IN  2 Hours", "2026-11-21T16:30:00Z"),
        ("in 1h30m", "2026-11-21T16:00:00Z"),
    ])
    func acceptsInUTC(input: String, expected: String) {
        #expect(parsed(input, in: Fixture.utc) == .success(expected))
    }

    // now = 2026-11-21T14:30:00Z = 15:30 CET
    @Test(arguments: [
        ("14:02", "2026-11-21T13:02:00Z"),
        ("00:30", "2026-11-20T23:30:00Z"),
        ("2026-11-21 14:02", "2026-11-21T13:02:00Z"),
        ("2026-11-21T14:02", "2026-11-21T13:02:00Z"),
        ("2026-11-21", "2026-11-20T23:00:00Z"),
        ("2026-07-01 12:00", "2026-07-01T10:00:00Z"),  // summer time, CEST
        ("2026-11-21T14:02:00Z", "2026-11-21T14:02:00Z"),  // an explicit zone wins
        ("2026-11-21T14:02:00+05:00", "2026-11-21T09:02:00Z"),
        ("yesterday 23:10", "2026-11-20T22:10:00Z"),
        ("today", "2026-11-20T23:00:00Z"),
        ("tomorrow", "2026-11-21T23:00:00Z"),
        ("10m ago", "2026-11-21T14:20:00Z"),  // durations ignore the zone
        ("+3d", "2026-11-24T14:30:00Z"),
        // DST start 2026-03-29 02:00 CET -> 03:00 CEST: 02:30 never happens; read with the old
        // offset
        ("2026-03-29 01:59", "2026-03-29T00:59:00Z"),
        ("2026-03-29 02:30", "2026-03-29T01:30:00Z"),
        ("2026-03-29 03:00", "2026-03-29T01:00:00Z"),
        // DST end 2026-10-25 03:00 CEST -> 02:00 CET: 02:30 happens twice; the earlier one wins
        ("2026-10-25 01:59", "2026-10-24T23:59:00Z"),
        ("2026-10-25 02:30", "2026-10-25T00:30:00Z"),
        ("2026-10-25 03:00", "2026-10-25T02:00:00Z"),
    ])
    func acceptsInBerlin(input: String, expected: String) {
        #expect(parsed(input, in: Fixture.berlin) == .success(expected))
    }

    /// The local day comes from the zone: at 23:30Z it is already tomorrow in Berlin.
    @Test(arguments: [
        ("today", "2026-11-21T23:00:00Z"),
        ("14:02", "2026-11-22T13:02:00Z"),
        ("yesterday 23:10", "2026-11-21T22:10:00Z"),
    ])
    func berlinDayStartsBeforeUTC(input: String, expected: String) {
        let now = Fixture.instant("2026-11-21T23:30:00Z")
        #expect(parsed(input, in: Fixture.berlin, now: now) == .success(expected))
        #expect(parsed("today", in: Fixture.utc, now: now) == .success("2026-11-21T00:00:00Z"))
    }

    // now = 2026-11-01T12:00:00Z = 07:00 EST, the morning clocks went back (02:00 EDT -> 01:00 EST)
    @Test(arguments: [
        ("yesterday 23:10", "2026-11-01T03:10:00Z"),  // still EDT
        ("today 00:30", "2026-11-01T04:30:00Z"),
        ("01:30", "2026-11-01T05:30:00Z"),  // twice that night: the first, EDT
        ("01:59:59", "2026-11-01T05:59:59Z"),
        ("02:00", "2026-11-01T07:00:00Z"),  // EST
        ("today", "2026-11-01T04:00:00Z"),
        ("tomorrow", "2026-11-02T05:00:00Z"),
        ("2026-11-01 01:30", "2026-11-01T05:30:00Z"),
        ("6h ago", "2026-11-01T06:00:00Z"),
    ])
    func acceptsInNewYorkAcrossDSTEnd(input: String, expected: String) {
        let now = Fixture.instant("2026-11-01T12:00:00Z")
        #expect(parsed(input, in: Fixture.newYork, now: now) == .success(expected))
    }

    // now = 2026-03-08T17:00:00Z = 13:00 EDT, the day clocks went forward (02:00 EST -> 03:00 EDT)
    @Test(arguments: [
        ("01:59", "2026-03-08T06:59:00Z"),
        ("02:30", "2026-03-08T07:30:00Z"),  // never shown: read as EST, i.e. 03:30 EDT
        ("03:00", "2026-03-08T07:00:00Z"),
        ("today", "2026-03-08T05:00:00Z"),
        ("yesterday 12:00", "2026-03-07T17:00:00Z"),
        ("tomorrow 12:00", "2026-03-09T16:00:00Z"),
    ])
    func acceptsInNewYorkAcrossDSTStart(input: String, expected: String) {
        let now = Fixture.instant("2026-03-08T17:00:00Z")
        #expect(parsed(input, in: Fixture.newYork, now: now) == .success(expected))
    }

    @Test func keepsFractionalSeconds() throws {
        let input = TimeInput(now: Fixture.now, timeZone: Fixture.berlin)
        #expect(
            try input.parse("2026-11-21T14:02:00.250Z").timeIntervalSince1970 == 1_795_269_720.25)
        #expect(try input.parse("2026-11-21 15:02:00.5").timeIntervalSince1970 == 1_795_269_720.5)
        #expect(try input.parse("now") == Fixture.now)
    }

    @Test(arguments: [
        "", "   ", "\n", "yesterdy 23:10", "nowish", "now now", "noww", "todays", "today23:10",
        "today 23", "tomorrow 10", "yesterday 23:10 ago", "next friday",
        "10m", "10", "ago", "10 ago", "m ago", "10x ago", "10mago", "1 fortnight ago",
        "3 months ago",
        "1y ago", "1.5h ago", "30m1h ago", "1m1m ago", "1h ago ago", "-10m ago", "in 10m ago",
        "-", "+", "in", "in ", "-10", "--10m", "+-3d", "in -3d", "in3d", "3d",
        "2026-11-21T", "2026-11-21T14", "2026-11-21T14:2", "2026-11-21 14:02:00 Z",
        "2026-11-21T14:02:00+1", "2026-11-21T14:02:00+01:0", "2026-11-21T14:02:00+",
        "2026-11-21T14:02:00.Z",
        "2026-11-21T14:02:00ZZ", "2026-11-21T14:02:00Z garbage", "2026-1-21", "26-11-21",
        "20261-11-21",
        "2026/11/21", "2026-11-21x", "2026-11-21-", "2026-13-01 garbage", "-2026-11-21",
        "14", "14:", "14:0", "1402", "14h02", "123:00", "14:02:3", "14:02:30.", "14:02:30,5",
        "14:02:300",
        "🕐", "14:02🕐", "now🕐", "\0", "now\0", "14:\u{0}2", "１４:０２", "٢٠٢٦-١١-٢١",
        String(repeating: "1", count: 200), String(repeating: "1h", count: 40) + " ago",
    ])
    func rejectsAsInvalid(input: String) {
        #expect(parsed(input, in: Fixture.berlin) == .failure(.invalid(input)))
    }

    @Test(arguments: [
        "2026-13-01", "2026-00-10", "2026-11-32", "2026-11-00", "2026-02-30", "2026-02-29",
        "2100-02-29",
        "0000-01-01", "0000-01-01T00:00:00Z", "2026-11-21 24:00", "2026-11-21T14:60Z",
        "2026-11-21T14:02:60Z",
        "25:00", "24:00", "14:60", "14:02:60", "99:99", "yesterday 24:00",
        "2026-11-21T14:02:00+24:00", "2026-11-21T14:02+01:60",
        "9999-12-31T23:59:59-01:00", "0001-01-01T00:00:00+01:00",
        "99999999999999999999m ago", "99999999999999999999999999999999999999999s ago",
        "+99999999999999999999s", "in 9999999 weeks", "999999999999w ago", "-999999999999w",
    ])
    func rejectsAsOutOfRange(input: String) {
        #expect(parsed(input, in: Fixture.berlin) == .failure(.outOfRange(input)))
    }

    @Test func errorCarriesTheInputAsGiven() {
        #expect(parsed("  Yesterdy ", in: Fixture.utc) == .failure(.invalid("  Yesterdy ")))
    }

    @Test func messages() {
        #expect(
            TimeInputError.invalid("yesterdy 23:10").message
                == "invalid time 'yesterdy 23:10'; use an ISO 8601 time (2026-11-21T14:02:00Z), "
                + "14:02, yesterday 23:10, Nov 23 14:02, 10m ago, -10m or now"
        )
        #expect(
            TimeInputError.outOfRange("2026-02-30").message
                == "time '2026-02-30' is out of range: no such date or time; use an ISO 8601 time "
                + "(2026-11-21T14:02:00Z), 14:02, yesterday 23:10, Nov 23 14:02, 10m ago, -10m "
                + "or now"
        )
        // Control characters must not reach the terminal; long input is cut short.
        #expect(
            TimeInputError.invalid("\u{1B}[2J\0").message.hasPrefix(
                "invalid time '\\u{1b}[2J\\u{0}';"))
        let long = TimeInputError.invalid(String(repeating: "x", count: 500)).message
        #expect(long.hasPrefix("invalid time '" + String(repeating: "x", count: 60) + "…';"))
    }

    /// 5,000 seeded random strings, biased toward near-misses: parsing never traps, and the
    /// outcome is a date within years 1–9999 or an error carrying the input.
    @Test func fuzzNeverCrashes() {
        var random = SplitMix64(seed: 0x1CE_CAFE)
        let pieces = [
            "0", "1", "2", "9", "12", "14", "23", "24", "59", "60", "99", "2026", "0000", "9999",
            "99999999999999999999", ":", "-", "+", ".", " ", "  ", "\t", "t", "T", "z", "Z",
            "s", "m", "h", "d", "w", "min", "hours", "ago", "in", "now", "today", "yesterday",
            "tomorrow",
            "2026-11-21", "14:02", "10m ago", "🕐", "é", "\0", "\u{1B}", "\n", "x",
        ]
        let parsers = [Fixture.utc, Fixture.berlin, Fixture.newYork].map {
            TimeInput(now: Fixture.now, timeZone: $0)
        }
        var dates = 0
        var errors = 0
        for n in 0..<5_000 {
            let count = Int(random.next() % 8)
            let text = (0..<count).map { _ in pieces[Int(random.next() % UInt64(pieces.count))] }
                .joined()
            do {
                let date = try parsers[n % 3].parse(text)
                #expect(
                    TimeInput.range.contains(date.timeIntervalSince1970), "\(text.debugDescription)"
                )
                dates += 1
            } catch {
                switch error {
                case .invalid(let given), .outOfRange(let given): #expect(given == text)
                }
                errors += 1
            }
            _ = Timestamp.parse(text)
        }
        #expect(dates + errors == 5_000)
        #expect(dates > 0 && errors > 0)
    }
}
