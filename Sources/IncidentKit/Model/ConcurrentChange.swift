/// Two changes made at the same time on different clones, neither having seen the other, that
/// set the same thing: which one was kept and which one lost, so `show` can say so.
public struct ConcurrentChange: Hashable, Sendable, Codable, CustomStringConvertible {
    /// What both set: `severity`, `phase`, `title`, `role commander`, `services` …
    public var field: String
    public var kept: String
    public var keptBy: String
    public var lost: String
    public var lostBy: String
    /// The hash of the entry whose change lost (it stays on the timeline).
    public var lostEntry: String

    public var description: String {
        "\(lostBy) set \(field) \(lost) while \(keptBy) set \(kept); \(kept) kept"
    }
}
