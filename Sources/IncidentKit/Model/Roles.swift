/// A responder role; each holds one person's name.
public enum Role: String, Codable, CaseIterable, Sendable {
    /// The incident commander, the owner of the incident.
    case commander
    /// The communications lead: status updates to stakeholders.
    case comms
    /// The technical lead.
    case tech
    /// Keeps the timeline.
    case scribe

    public var title: String {
        switch self {
        case .commander: "Commander"
        case .comms: "Comms"
        case .tech: "Tech lead"
        case .scribe: "Scribe"
        }
    }
}

/// Who holds which role on an incident.
public struct Roles: Hashable, Sendable {
    public var commander: String?
    public var comms: String?
    public var tech: String?
    public var scribe: String?
    /// Roles written by a newer irctl, kept through rewrites.
    var unknownFields: [String: JSONValue] = [:]

    public init(
        commander: String? = nil, comms: String? = nil, tech: String? = nil, scribe: String? = nil
    ) {
        self.commander = commander
        self.comms = comms
        self.tech = tech
        self.scribe = scribe
    }

    public subscript(role: Role) -> String? {
        get {
            switch role {
            case .commander: commander
            case .comms: comms
            case .tech: tech
            case .scribe: scribe
            }
        }
        set {
            switch role {
            case .commander: commander = newValue
            case .comms: comms = newValue
            case .tech: tech = newValue
            case .scribe: scribe = newValue
            }
        }
    }

    public var isEmpty: Bool { Role.allCases.allSatisfy { self[$0] == nil } }
}

extension Roles: Codable {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        for role in Role.allCases {
            self[role] = try c.decodeIfPresent(String.self, forKey: AnyCodingKey(role.rawValue))
        }
        unknownFields = try c.unknownFields(known: Set(Role.allCases.map(\.rawValue)))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyCodingKey.self)
        try c.encodeUnknown(unknownFields)
        for role in Role.allCases {
            try c.encodeIfPresent(self[role], forKey: AnyCodingKey(role.rawValue))
        }
    }
}
