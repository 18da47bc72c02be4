/// The human id of an incident, `INC-<n>`, unique within one store.
///
/// Input accepts `INC-42`, `inc-42` and `42`. The number alone builds file names, so an id can
/// never name a path outside the store.
public struct IncidentID: Hashable, Comparable, Sendable, LosslessStringConvertible {
    public let number: Int

    /// Ids are capped at nine digits: enough for any store, and no overflow on hostile input.
    static let maxNumber = 999_999_999

    public init?(number: Int) {
        guard (1...Self.maxNumber).contains(number) else { return nil }
        self.number = number
    }

    public init?(_ description: String) {
        var digits = Substring(description)
        if digits.count > 4, digits.prefix(4).lowercased() == "inc-" {
            digits = digits.dropFirst(4)
        }
        guard !digits.isEmpty, digits.count <= 9, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
            let n = Int(digits)
        else { return nil }
        self.init(number: n)
    }

    /// Parses user input, or explains what an id looks like.
    public static func parse(_ text: String) throws(ValueError) -> IncidentID {
        guard let id = IncidentID(text) else { throw .invalidIncidentID(text) }
        return id
    }

    public var description: String { "INC-\(number)" }
    /// The incident's file name inside `incidents/`.
    var fileName: String { "INC-\(number).json" }

    public static func < (a: IncidentID, b: IncidentID) -> Bool { a.number < b.number }
}

extension IncidentID: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let id = IncidentID(text) else {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: decoder.codingPath,
                    debugDescription: "invalid incident id '\(text)'"))
        }
        self = id
    }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
