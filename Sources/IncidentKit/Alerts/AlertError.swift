/// Why an Alertmanager payload or an alert route can't be used.
public enum AlertError: DescribedError, Hashable, Sendable {
    /// The payload is not JSON, or not shaped like an Alertmanager webhook.
    case invalidPayload(reason: String)
    /// A webhook of another version than the one irctl understands.
    case unsupportedVersion(String)
    /// A label matcher in a route that can't be read.
    case invalidMatcher(String, reason: String)
    /// A route in `config.json` that can't be used; `route` names it (its number and name).
    case invalidRoute(route: String, reason: String)
    /// The group's incident kept changing under concurrent writers.
    case groupBusy(String)

    public var isUsageError: Bool {
        if case .groupBusy = self { return false }
        return true
    }

    public var message: String {
        switch self {
        case .invalidPayload(let reason):
            "not an Alertmanager webhook payload (\(reason)); send the JSON body Alertmanager "
                + "posts to a webhook receiver"
        case .unsupportedVersion(let version):
            "Alertmanager webhook version '\(ValueError.shown(version))' is not supported; irctl "
                + "reads version 4 (Alertmanager 0.x sends \"version\": \"4\")"
        case .invalidMatcher(let text, let reason):
            "invalid matcher '\(ValueError.shown(text))': \(reason); write NAME=VALUE, "
                + "NAME!=VALUE, NAME=~REGEX or NAME!~REGEX, e.g. severity=\"critical\""
        case .invalidRoute(let route, let reason):
            "alert route \(route): \(reason)"
        case .groupBusy(let group):
            "the incident of alert group '\(ValueError.shown(group))' kept changing while the "
                + "notification was applied; send it again"
        }
    }
}
