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
