import Foundation

/// Why an incident was closed when it was not an incident of its own.
public enum ClosedAs: Hashable, Sendable {
    /// Nothing was wrong after all.
    case falseAlarm
    /// The same problem as another incident, named by its uid (numbers may change in a sync).
    case duplicate(of: String)

    /// `false-alarm` or `duplicate`: the value `--json` shows.
    public var name: String {
        switch self {
        case .falseAlarm: "false-alarm"
        case .duplicate: "duplicate"
        }
    }

    /// The original's uid, for a duplicate.
    public var original: String? {
        if case .duplicate(let uid) = self { uid } else { nil }
    }

    /// One string for the summary index: `false-alarm`, `duplicate:UID`.
    public var stored: String {
        switch self {
        case .falseAlarm: name
        case .duplicate(let uid): "duplicate:" + uid
        }
    }

    /// Reads `closedAs` and `duplicateOf` of a close entry; nil for an ordinary close.
    public init?(name: String?, original: String?) {
        switch name {
        case "false-alarm": self = .falseAlarm
        case "duplicate":
            guard let original, !original.isEmpty else { return nil }
            self = .duplicate(of: original)
        default: return nil
        }
    }

    /// Reads `stored`.
    public init?(stored: String) {
        if stored == "false-alarm" {
            self = .falseAlarm
        } else if stored.hasPrefix("duplicate:"), stored.count > 10 {
            self = .duplicate(of: String(stored.dropFirst(10)))
        } else {
            return nil
        }
    }

    /// What a listing puts before the title: `[drill] `, `[false alarm] `, `[duplicate] `.
    public static func marker(drill: Bool, closedAs: ClosedAs?) -> String {
        var marks: [String] = []
        if drill { marks.append("drill") }
        switch closedAs {
        case .falseAlarm: marks.append("false alarm")
        case .duplicate: marks.append("duplicate")
        case nil: break
        }
        return marks.isEmpty ? "" : "[" + marks.joined(separator: ", ") + "] "
    }
}
