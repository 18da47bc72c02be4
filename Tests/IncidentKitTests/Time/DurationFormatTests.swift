import Testing

@testable import IncidentKit

@Suite struct DurationFormatTests {
    @Test(arguments: [
        (0.0, "0s"), (0.9, "0s"), (45, "45s"), (59.99, "59s"), (60, "1m"), (179, "2m"),
        (3_599, "59m"),
        (3_600, "1h"), (86_399, "23h"), (86_400, "1d"), (2_592_000, "30d"), (-5, "0s"),
        (-.infinity, "0s"),
        (.nan, "0s"), (.infinity, "11574074074d"),
    ])
    func age(seconds: Double, expected: String) {
        #expect(DurationFormat.age(seconds) == expected)
    }

    @Test(arguments: [
        (0.0, "0s"), (0.5, "0s"), (-0.5, "0s"), (45, "45s"), (59.9, "59s"), (60, "1m"),
        (200, "3m 20s"),
        (305, "5m 5s"), (420, "7m"), (3_599, "59m 59s"), (3_600, "1h"), (3_659, "1h"),
        (5_000, "1h 23m"),
        (7_200, "2h"), (7_260, "2h 1m"), (86_399, "23h 59m"), (86_400, "1d"), (187_200, "2d 4h"),
        (190_740, "2d 4h"), (1_209_600, "14d"), (-200, "-3m 20s"), (-7_200, "-2h"), (.nan, "0s"),
    ])
    func long(seconds: Double, expected: String) {
        #expect(DurationFormat.long(seconds) == expected)
    }

    @Test(arguments: [
        (0.0, "T+0m"), (59, "T+0m"), (60, "T+1m"), (420, "T+7m"), (3_599, "T+59m"),
        (3_600, "T+1h00m"),
        (3_900, "T+1h05m"), (86_399, "T+23h59m"), (86_400, "T+1d0h"), (183_600, "T+2d3h"),
        (186_000, "T+2d3h"),
        (-30, "T+0m"), (-59.9, "T+0m"), (-60, "T-1m"), (-720, "T-12m"), (-3_900, "T-1h05m"),
        (-183_600, "T-2d3h"), (.nan, "T+0m"),
    ])
    func offset(seconds: Double, expected: String) {
        #expect(DurationFormat.offset(seconds) == expected)
    }
}
