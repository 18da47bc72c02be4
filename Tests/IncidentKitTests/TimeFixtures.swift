import Foundation
@testable import IncidentKit

/// Zones and instants shared by the time tests; `static let`, so nothing is mutable.
enum Fixture {
    static let utc = TimeZone(identifier: "UTC")!
    static let berlin = TimeZone(identifier: "Europe/Berlin")!
    static let newYork = TimeZone(identifier: "America/New_York")!

    /// 2026-11-21T14:30:00Z: 15:30 in Berlin (CET), 09:30 in New York (EST).
    static let now = instant("2026-11-21T14:30:00Z")

    /// A stored timestamp as a Date; traps on a typo in a test table, which is what we want.
    static func instant(_ text: String) -> Date {
        guard let date = Timestamp.parse(text) else { preconditionFailure("bad fixture \(text)") }
        return date
    }
}

/// SplitMix64 (Steele, Lea, Flood 2014): a tiny seeded generator, so the fuzz test is repeatable.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
