/// The `alerts` section of `config.json`: how Alertmanager notifications become incidents.
///
///     "alerts": {
///       "closeWhenResolved": true,
///       "routes": [ { "match": ["alertname=\"Watchdog\""], "ignore": true }, … ]
///     }
public struct AlertSettings: Hashable, Sendable {
    /// Close an incident still in `detect` when every alert of its group has resolved. A
    /// declared incident always stays open: a person is working it.
    public var closeWhenResolved: Bool
    /// Tried in order; the first whose matchers all hold applies to an alert.
    public var routes: [AlertRoute]

    public init(closeWhenResolved: Bool = true, routes: [AlertRoute] = []) {
        self.closeWhenResolved = closeWhenResolved
        self.routes = routes
    }

    /// The route that applies to an alert with these labels: the first that matches, if any.
    public func route(for labels: [String: String]) -> AlertRoute? {
        routes.first { $0.matches(labels) }
    }

    /// Checks every route against the store's severity scheme; the error names the route.
    func validate(scheme: SeverityScheme) throws(AlertError) {
        for (index, route) in routes.enumerated() {
            try route.validate(number: index + 1, scheme: scheme)
        }
    }
}

extension AlertSettings: Codable {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        closeWhenResolved =
            try c.decodeIfPresent(Bool.self, forKey: AnyCodingKey("closeWhenResolved")) ?? true
        var routes: [AlertRoute] = []
        if c.contains(AnyCodingKey("routes")) {
            var list = try c.nestedUnkeyedContainer(forKey: AnyCodingKey("routes"))
            while !list.isAtEnd {
                do {
                    routes.append(try list.decode(AlertRoute.self))
                } catch let DecodingError.dataCorrupted(context) {
                    // Name the route by its place in the list, as the other route errors do.
                    throw DecodingError.dataCorrupted(
                        .init(
                            codingPath: [AnyCodingKey("alerts")],
                            debugDescription:
                                "alert route \(routes.count + 1): \(context.debugDescription)"))
                }
            }
        }
        self.routes = routes
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyCodingKey.self)
        try c.encode(closeWhenResolved, forKey: AnyCodingKey("closeWhenResolved"))
        try c.encode(routes, forKey: AnyCodingKey("routes"))
    }
}
