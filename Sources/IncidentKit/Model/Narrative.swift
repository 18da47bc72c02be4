/// The written account of an incident, filled in mostly during review for the postmortem.
public struct Narrative: Hashable, Sendable {
    public var summary: String?
    public var impact: String?
    public var rootCause: String?
    public var trigger: String?
    public var contributingFactors: String?
    public var detection: String?
    public var resolution: String?
    public var wentWell: String?
    public var wentWrong: String?
    public var lucky: String?
    public var lessons: String?
    /// Sections written by a newer irctl, kept through rewrites.
    var unknownFields: [String: JSONValue] = [:]

    public init() {}

    public var isEmpty: Bool { NarrativeField.allCases.allSatisfy { self[$0] == nil } }

    public subscript(field: NarrativeField) -> String? {
        get {
            switch field {
            case .summary: summary
            case .impact: impact
            case .rootCause: rootCause
            case .trigger: trigger
            case .contributingFactors: contributingFactors
            case .detection: detection
            case .resolution: resolution
            case .wentWell: wentWell
            case .wentWrong: wentWrong
            case .lucky: lucky
            case .lessons: lessons
            }
        }
        set {
            switch field {
            case .summary: summary = newValue
            case .impact: impact = newValue
            case .rootCause: rootCause = newValue
            case .trigger: trigger = newValue
            case .contributingFactors: contributingFactors = newValue
            case .detection: detection = newValue
            case .resolution: resolution = newValue
            case .wentWell: wentWell = newValue
            case .wentWrong: wentWrong = newValue
            case .lucky: lucky = newValue
            case .lessons: lessons = newValue
            }
        }
    }
}

extension Narrative: Codable {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        for field in NarrativeField.allCases {
            self[field] = try c.decodeIfPresent(String.self, forKey: AnyCodingKey(field.rawValue))
        }
        unknownFields = try c.unknownFields(known: Set(NarrativeField.allCases.map(\.rawValue)))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyCodingKey.self)
        try c.encodeUnknown(unknownFields)
        for field in NarrativeField.allCases {
            try c.encodeIfPresent(self[field], forKey: AnyCodingKey(field.rawValue))
        }
    }
}

/// A narrative field, named on the command line in kebab case (`root-cause`).
public enum NarrativeField: String, CaseIterable, Sendable {
    case summary, impact, rootCause, trigger, contributingFactors, detection, resolution
    case wentWell, wentWrong, lucky, lessons

    /// The command-line name: `root-cause`, `went-well`.
    public var argument: String {
        rawValue.reduce(into: "") { result, c in
            if c.isUppercase { result += "-" + c.lowercased() } else { result.append(c) }
        }
    }

    public init?(argument: String) {
        guard
            let field = NarrativeField.allCases.first(where: {
                $0.argument == argument.lowercased()
            })
        else { return nil }
        self = field
    }

    public var title: String {
        switch self {
        case .summary: "Summary"
        case .impact: "Impact"
        case .rootCause: "Root cause"
        case .trigger: "Trigger"
        case .contributingFactors: "Contributing factors"
        case .detection: "Detection"
        case .resolution: "Resolution and recovery"
        case .wentWell: "What went well"
        case .wentWrong: "What went wrong"
        case .lucky: "Where we got lucky"
        case .lessons: "Lessons learned"
        }
    }
}
