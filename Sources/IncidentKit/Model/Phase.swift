/// Where an incident is in its lifecycle: what the team is doing now.
///
/// `detect → declare → contain → eradicate → recover → review`, then `closed`.
public enum Phase: String, Codable, CaseIterable, Comparable, Sendable, LosslessStringConvertible {
    case detect, declare, contain, eradicate, recover, review, closed

    /// The phases a team works through; `closed` is the end, reached only by `close`.
    public static let working: [Phase] = [
        .detect, .declare, .contain, .eradicate, .recover, .review,
    ]

    public init?(_ description: String) { self.init(rawValue: description.lowercased()) }
    public var description: String { rawValue }

    public var order: Int { Phase.allCases.firstIndex(of: self)! }
    public static func < (a: Phase, b: Phase) -> Bool { a.order < b.order }

    /// One line for help text.
    public var meaning: String {
        switch self {
        case .detect: "something looks wrong; not yet confirmed as an incident"
        case .declare: "confirmed; roles assigned, responders gathering"
        case .contain: "stopping the bleeding: limit the impact"
        case .eradicate: "removing the cause"
        case .recover: "restoring normal service and verifying it"
        case .review: "impact over; learning: postmortem and follow-ups"
        case .closed: "review finished"
        }
    }

    /// Decodes a stored phase; an unknown one says what it is and what is allowed, not Foundation's
    /// "Cannot initialize Phase from invalid String value".
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let phase = Phase(rawValue: text) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription:
                    "unknown phase '\(String(text.prefix(40)))', expected one of "
                    + "\(Phase.allCases.map(\.rawValue).joined(separator: ", "))"
            )
        }
        self = phase
    }

    public static func parse(_ text: String) throws(ValueError) -> Phase {
        guard let phase = Phase(text) else { throw .invalidPhase(text) }
        return phase
    }
}
