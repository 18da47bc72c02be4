import Foundation

extension TimeZone {
    /// The time zone named by TZ in the given environment (TZ=UTC, TZ=Europe/Berlin,
    /// TZ=:Europe/Berlin), else TimeZone.current, else UTC.
    ///
    /// The environment is a parameter so the library never reads the process's own.
    /// - `TZ=:Name` (POSIX's "implementation-defined" form) and a path into a zoneinfo
    ///   directory (`TZ=:/usr/share/zoneinfo/Europe/Berlin`) name the same zone as `TZ=Name`.
    /// - `TZ` set but empty means UTC, as in POSIX.
    /// - `TZ` unset or naming no zone Foundation knows falls back to `TimeZone.current`.
    public static func fromEnvironment(_ environment: [String: String]) -> TimeZone {
        let utc = TimeZone(identifier: "UTC") ?? .gmt
        guard var name = environment["TZ"] else { return .current }
        if name.hasPrefix(":") { name.removeFirst() }
        if let range = name.range(of: "zoneinfo/", options: .backwards) {
            name = String(name[range.upperBound...])
        }
        if name.isEmpty { return utc }
        if name == "UTC" || name == "UTC0" || name == "GMT" || name == "Z" { return utc }
        return TimeZone(identifier: name) ?? TimeZone(abbreviation: name) ?? .current
    }
}
