import Foundation

/// A store's `config.json`. Every key is optional; `{}` means the defaults.
public struct StoreConfig: Hashable, Sendable {
    public static let currentSchemaVersion = 1

    public var schemaVersion: Int
    /// The store's own severity levels, most severe first; nil for SEV1–SEV4.
    public var severities: [SeverityLevel]?
    /// The author when neither `--as` nor `IRCTL_USER` is given.
    public var defaultAuthor: String?
    /// A directory of the team's runbooks, relative to the store.
    public var runbooks: String?
    /// The store's own redaction rules, applied on top of the built-in ones.
    public var redactionRules: [RedactionRule]?
    /// How Alertmanager notifications become incidents: routing rules and closing on resolve.
    public var alerts: AlertSettings?
    /// Whether `declare` and an incident an alert opened print similar past incidents (default
    /// true).
    public var similar: Bool?
    /// Where `irctl evidence … promql` asks when no --url is given.
    public var prometheus: PrometheusSettings?
    var unknownFields: [String: JSONValue] = [:]

    public init(
        schemaVersion: Int = currentSchemaVersion, severities: [SeverityLevel]? = nil,
        defaultAuthor: String? = nil, runbooks: String? = nil
    ) {
        self.schemaVersion = schemaVersion
        self.severities = severities
        self.defaultAuthor = defaultAuthor
        self.runbooks = runbooks
    }

    public var severityScheme: SeverityScheme {
        guard let severities, !severities.isEmpty else { return .standard }
        return SeverityScheme(levels: severities)
    }

    /// The built-in redaction rules plus the store's own; a bad pattern is an error naming it.
    public func redactor() throws(RedactionError) -> Redactor {
        guard let rules = redactionRules, !rules.isEmpty else { return .standard }
        return try Redactor(extraRules: rules)
    }

    /// The value JSON this config adds that irctl doesn't model, such as rules read by another
    /// module.
    public func unknownField(_ name: String) -> JSONValue? { unknownFields[name] }
}

extension StoreConfig: Codable {
    private static let known: Set<String> = [
        "schemaVersion", "severities", "defaultAuthor", "runbooks", "redactionRules", "alerts",
        "similar", "prometheus",
    ]

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        schemaVersion =
            try c.decodeIfPresent(Int.self, forKey: AnyCodingKey("schemaVersion"))
            ?? Self.currentSchemaVersion
        severities = try c.decodeIfPresent([SeverityLevel].self, forKey: AnyCodingKey("severities"))
        defaultAuthor = try c.decodeIfPresent(String.self, forKey: AnyCodingKey("defaultAuthor"))
        runbooks = try c.decodeIfPresent(String.self, forKey: AnyCodingKey("runbooks"))
        if let runbooks, !Self.staysBesideTheStore(runbooks) {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: [AnyCodingKey("runbooks")],
                    debugDescription: "'runbooks' is '\(ValueError.shown(runbooks))', outside the "
                        + "repository; config.json is shared, so it names a directory beside the "
                        + "store, relative to it (e.g. ../runbooks). For runbooks elsewhere on "
                        + "this "
                        + "machine use --runbooks DIR or IRCTL_RUNBOOKS"))
        }
        redactionRules = try c.decodeIfPresent(
            [RedactionRule].self, forKey: AnyCodingKey("redactionRules"))
        alerts = try c.decodeIfPresent(AlertSettings.self, forKey: AnyCodingKey("alerts"))
        similar = try c.decodeIfPresent(Bool.self, forKey: AnyCodingKey("similar"))
        prometheus = try c.decodeIfPresent(
            PrometheusSettings.self, forKey: AnyCodingKey("prometheus"))
        unknownFields = try c.unknownFields(known: Self.known)
        if let severities {
            var seen = Set<String>()
            for level in severities {
                // Names are offered by shell completion and typed: a name that is shell code or
                // markup must never get that far.
                guard ConfigName.isSeverity(level.name) else {
                    throw DecodingError.dataCorrupted(
                        .init(
                            codingPath: [AnyCodingKey("severities")],
                            debugDescription: "severity name '\(ValueError.shown(level.name))' is "
                                + "not allowed; a name is \(ConfigName.severityGrammar), "
                                + "e.g. SEV1 or P0"))
                }
                guard seen.insert(level.name.lowercased()).inserted else {
                    throw DecodingError.dataCorrupted(
                        .init(
                            codingPath: [AnyCodingKey("severities")],
                            debugDescription: "severity names must be unique ('\(level.name)')"))
                }
            }
        }
        try validateAlerts()
    }

    /// True for a relative path that stays in the directory holding the store (for `.irctl/`,
    /// the repository): a pulled config must not make a clone read runbooks, which alert routes
    /// attach and which hold commands, from anywhere else on its machine.
    static func staysBesideTheStore(_ path: String) -> Bool {
        guard !path.hasPrefix("/"), !path.hasPrefix("~"), !path.contains("\0") else { return false }
        var depth = 0
        for component in path.split(separator: "/") where component != "." {
            depth += component == ".." ? -1 : 1
            if depth < -1 { return false }
        }
        return true
    }

    /// Routes name severities, so they are checked once the scheme is known.
    private func validateAlerts() throws {
        do {
            try alerts?.validate(scheme: severityScheme)
        } catch {
            throw DecodingError.dataCorrupted(
                .init(codingPath: [AnyCodingKey("alerts")], debugDescription: error.message))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyCodingKey.self)
        try c.encodeUnknown(unknownFields)
        try c.encode(schemaVersion, forKey: AnyCodingKey("schemaVersion"))
        try c.encodeIfPresent(severities, forKey: AnyCodingKey("severities"))
        try c.encodeIfPresent(defaultAuthor, forKey: AnyCodingKey("defaultAuthor"))
        try c.encodeIfPresent(runbooks, forKey: AnyCodingKey("runbooks"))
        try c.encodeIfPresent(redactionRules, forKey: AnyCodingKey("redactionRules"))
        try c.encodeIfPresent(alerts, forKey: AnyCodingKey("alerts"))
        try c.encodeIfPresent(similar, forKey: AnyCodingKey("similar"))
        try c.encodeIfPresent(prometheus, forKey: AnyCodingKey("prometheus"))
    }
}

/// The store's Prometheus server, in `config.json`: `"prometheus": {"url": "http://HOST:9090"}`.
public struct PrometheusSettings: Codable, Hashable, Sendable {
    /// The server's base URL, plain http.
    public var url: String?

    public init(url: String?) { self.url = url }
}
