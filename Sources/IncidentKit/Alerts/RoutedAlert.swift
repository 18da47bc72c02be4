/// An alert with what the routes and the defaults make of it.
public struct RoutedAlert: Hashable, Sendable {
    public var alert: Alert
    /// The first route that matched, if any.
    public var route: AlertRoute?
    public var severity: SeverityLevel
    public var services: [String]
    public var tags: [String]
    public var ignored: Bool { route?.ignore ?? false }
    public var declare: Bool { route?.declare ?? false }

    /// Applies the first matching route, and the defaults for what it leaves unset: the severity
    /// from the `severity` label (`critical` → SEV2, `warning`/`error` → SEV3, `info` → SEV4, or a
    /// level of the scheme by name), the service from the first of `service`, `app`, `job`.
    public init(_ alert: Alert, settings: AlertSettings, scheme: SeverityScheme) {
        self.alert = alert
        route = settings.route(for: alert.labels)
        severity =
            route?.severity.flatMap { try? scheme.parse($0) }
            ?? Self.defaultSeverity(alert.labels["severity"], scheme: scheme)
        if let services = route?.services {
            self.services = services
        } else {
            self.services =
                ["service", "app", "job"].lazy.compactMap { alert.labels[$0] }
                .first { AlertRoute.isLabel($0) }.map { [$0] } ?? []
        }
        tags = route?.tags ?? []
    }

    static func defaultSeverity(_ label: String?, scheme: SeverityScheme) -> SeverityLevel {
        let middle = scheme.levels[scheme.levels.count / 2]
        guard let label = label?.trimmingCharacters(in: .whitespaces).lowercased(), !label.isEmpty
        else { return middle }
        let name: String? =
            switch label {
            case "critical", "page": "SEV2"
            case "warning", "error", "major": "SEV3"
            case "info", "informational", "minor", "none": "SEV4"
            default: nil
            }
        if let name, let level = scheme.level(named: name) { return level }
        return (try? scheme.parse(label)) ?? middle
    }
}
