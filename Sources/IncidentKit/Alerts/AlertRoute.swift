/// A routing rule of `config.json`'s `alerts.routes`: which alerts it applies to, and what it
/// makes of their incident. Routes are tried in order and the first whose matchers all hold wins.
///
///     { "name": "database pages", "match": ["severity=\"critical\"", "team=~\"db|storage\""],
///       "severity": "SEV1", "services": ["postgres"], "tags": ["database"],
///       "runbook": "database-down", "commander": "dba-oncall", "declare": true }
public struct AlertRoute: Hashable, Sendable {
    /// For errors and for people reading the config.
    public var name: String?
    /// Every matcher must hold; no matchers matches every alert.
    public var match: [LabelMatcher]
    /// A level of the store's scheme, instead of the one from the `severity` label.
    public var severity: String?
    /// Instead of the first of the `service`, `app` and `job` labels.
    public var services: [String]?
    public var tags: [String]?
    /// Attached as a checklist when the incident opens.
    public var runbook: String?
    public var commander: String?
    /// true: the incident opens declared; false (the default): it opens in `detect`.
    public var declare: Bool?
    /// Drop these alerts: they never open or change an incident.
    public var ignore: Bool
    /// Overrides `alerts.closeWhenResolved` for the groups this route matches.
    public var closeWhenResolved: Bool?

    public init(
        name: String? = nil, match: [LabelMatcher] = [], severity: String? = nil,
        services: [String]? = nil,
        tags: [String]? = nil, runbook: String? = nil, commander: String? = nil,
        declare: Bool? = nil,
        ignore: Bool = false, closeWhenResolved: Bool? = nil
    ) {
        self.name = name
        self.match = match
        self.severity = severity
        self.services = services
        self.tags = tags
        self.runbook = runbook
        self.commander = commander
        self.declare = declare
        self.ignore = ignore
        self.closeWhenResolved = closeWhenResolved
    }

    public func matches(_ labels: [String: String]) -> Bool {
        match.allSatisfy { $0.matches(labels) }
    }

    /// Checks what can't be checked while decoding one field at a time; `number` is 1-based.
    func validate(number: Int, scheme: SeverityScheme) throws(AlertError) {
        let label = "\(number)" + (name.map { " ('\(ValueError.shown($0))')" } ?? "")
        func fail(_ reason: String) -> AlertError { .invalidRoute(route: label, reason: reason) }
        if let severity, (try? scheme.parse(severity)) == nil {
            throw fail(
                "unknown severity '\(ValueError.shown(severity))'; use one of "
                    + "\(scheme.levels.map(\.name).joined(separator: ", "))"
            )
        }
        if ignore,
            severity != nil || services != nil || tags != nil || runbook != nil || commander != nil
                || declare != nil
        {
            throw fail(
                "an ignoring route sets nothing else; remove \"ignore\" or the other settings")
        }
        if let name, !ConfigName.isRouteName(name) {
            throw fail("invalid route name; a name is \(ConfigName.routeGrammar)")
        }
        for (what, values) in [("service", services ?? []), ("tag", tags ?? [])] {
            for value in values where !ConfigName.isLabel(value) {
                throw fail(
                    "invalid \(what) '\(ValueError.shown(value))'; a \(what) is "
                        + ConfigName.labelGrammar)
            }
        }
        if let runbook,
            !RunbookName.isValid(runbook.hasSuffix(".md") ? String(runbook.dropLast(3)) : runbook)
        {
            throw fail(
                "invalid runbook name '\(ValueError.shown(runbook))'; use the name 'irctl runbook "
                    + "list' shows, e.g. disk-full"
            )
        }
        if let commander,
            commander.trimmingCharacters(in: .whitespaces).isEmpty || commander.count > 100
                || commander.contains(where: \.isNewline)
        {
            throw fail(
                "invalid commander '\(ValueError.shown(commander))'; give a name on one line")
        }
    }

    static func isLabel(_ value: String) -> Bool {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        return !trimmed.isEmpty && trimmed.count <= 100 && !trimmed.contains(",")
            && !trimmed.unicodeScalars.contains { $0.properties.generalCategory == .control }
    }
}

extension AlertRoute: Codable {
    private static let known: Set<String> = [
        "name", "match", "severity", "services", "tags", "runbook", "commander",
        "declare", "ignore", "closeWhenResolved",
    ]

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        // A misspelt key would silently do nothing; say so instead.
        if let unknown = c.allKeys.map(\.stringValue).filter({ !Self.known.contains($0) }).sorted()
            .first
        {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: decoder.codingPath,
                    debugDescription:
                        "unknown route setting '\(unknown)'; use "
                        + "\(Self.known.sorted().joined(separator: ", "))"
                ))
        }
        name = try c.decodeIfPresent(String.self, forKey: AnyCodingKey("name"))
        match = try c.decodeIfPresent([LabelMatcher].self, forKey: AnyCodingKey("match")) ?? []
        severity = try c.decodeIfPresent(String.self, forKey: AnyCodingKey("severity"))
        services = try c.decodeIfPresent([String].self, forKey: AnyCodingKey("services"))
        tags = try c.decodeIfPresent([String].self, forKey: AnyCodingKey("tags"))
        runbook = try c.decodeIfPresent(String.self, forKey: AnyCodingKey("runbook"))
        commander = try c.decodeIfPresent(String.self, forKey: AnyCodingKey("commander"))
        declare = try c.decodeIfPresent(Bool.self, forKey: AnyCodingKey("declare"))
        ignore = try c.decodeIfPresent(Bool.self, forKey: AnyCodingKey("ignore")) ?? false
        closeWhenResolved = try c.decodeIfPresent(
            Bool.self, forKey: AnyCodingKey("closeWhenResolved"))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyCodingKey.self)
        try c.encodeIfPresent(name, forKey: AnyCodingKey("name"))
        try c.encode(match, forKey: AnyCodingKey("match"))
        try c.encodeIfPresent(severity, forKey: AnyCodingKey("severity"))
        try c.encodeIfPresent(services, forKey: AnyCodingKey("services"))
        try c.encodeIfPresent(tags, forKey: AnyCodingKey("tags"))
        try c.encodeIfPresent(runbook, forKey: AnyCodingKey("runbook"))
        try c.encodeIfPresent(commander, forKey: AnyCodingKey("commander"))
        try c.encodeIfPresent(declare, forKey: AnyCodingKey("declare"))
        if ignore { try c.encode(true, forKey: AnyCodingKey("ignore")) }
        try c.encodeIfPresent(closeWhenResolved, forKey: AnyCodingKey("closeWhenResolved"))
    }
}
