// TEMPORARY shims for APIs being written on helper branches; deleted when they merge.
import Foundation

public enum Timestamp {
    public static func format(_ date: Date) -> String {
        let f = ISO8601DateFormatter(); f.formatOptions = [.withInternetDateTime]; return f.string(from: date)
    }
    public static func parse(_ text: String) -> Date? { ISO8601DateFormatter().date(from: text) }
    public static func wholeSeconds(_ date: Date) -> Date { Date(timeIntervalSince1970: (date.timeIntervalSince1970).rounded(.down)) }
}
public enum TimeInputError: Error, Hashable, Sendable {
    case invalid(String)
    public var message: String { "invalid time" }
}
public struct TimeInput: Sendable {
    let now: Date
    public init(now: Date, timeZone: TimeZone) { self.now = now }
    public func parse(_ text: String) throws(TimeInputError) -> Date {
        if text == "now" { return now }
        if let d = Timestamp.parse(text) { return d }
        if text.hasSuffix("m ago"), let n = Int(text.dropLast(5)) { return now - Double(n * 60) }
        throw .invalid(text)
    }
}
public struct TimeDisplay: Sendable {
    public init(timeZone: TimeZone, utc: Bool) {}
    public func dateTime(_ date: Date) -> String { Timestamp.format(date) }
    public func clock(_ date: Date) -> String { String(Timestamp.format(date).dropFirst(11).prefix(5)) }
    public func date(_ date: Date) -> String { String(Timestamp.format(date).prefix(10)) }
    public func compact(_ date: Date, relativeTo now: Date) -> String { clock(date) }
}
public enum DurationFormat {
    public static func age(_ s: Double) -> String { "\(Int(s / 60))m" }
    public static func long(_ s: Double) -> String { "\(Int(s / 60))m" }
}
extension TimeZone { public static func fromEnvironment(_ e: [String: String]) -> TimeZone { .current } }
