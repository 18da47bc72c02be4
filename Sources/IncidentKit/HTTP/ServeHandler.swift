/// `irctl serve`'s routes: Alertmanager's webhook, and `GET /metrics` for Prometheus to scrape.
/// Both take the same bearer token when one is set.
public struct ServeHandler: HTTPHandler {
    public static let metricsPath = "/metrics"

    public var alerts: AlertReceiver
    /// The exposition text, made fresh for each scrape.
    public var metrics: @Sendable () throws -> String

    public init(alerts: AlertReceiver, metrics: @escaping @Sendable () throws -> String) {
        self.alerts = alerts
        self.metrics = metrics
    }

    public func authenticate(authorization: String) -> HTTPAuthentication {
        alerts.authenticate(authorization: authorization)
    }

    public func admit(_ head: HTTPRequestHead) -> HTTPResponse? {
        guard head.path == Self.metricsPath else {
            guard head.path == AlertReceiver.path else {
                return .text(
                    404,
                    "not found; Alertmanager posts to \(AlertReceiver.path), Prometheus scrapes "
                        + Self.metricsPath)
            }
            return alerts.admit(head)
        }
        guard head.method == "GET" else {
            return .text(
                405, "method \(head.method) not allowed; \(Self.metricsPath) is read with GET",
                headers: ["Allow": "GET"])
        }
        if let token = alerts.token, !token.accepts(authorization: head.header("authorization")) {
            return .text(
                401,
                head.header("authorization") == nil
                    ? "bearer token required (Prometheus: authorization.credentials_file)"
                    : "wrong bearer token",
                headers: ["WWW-Authenticate": "Bearer realm=\"irctl\""])
        }
        return nil
    }

    public func respond(to request: HTTPRequest) -> HTTPResponse {
        guard request.head.path == Self.metricsPath else { return alerts.respond(to: request) }
        do {
            let text = try metrics()
            let lines = text.split(separator: "\n").count { !$0.hasPrefix("#") }
            return HTTPResponse(
                status: 200, headers: ["Content-Type": MetricsExposition.contentType],
                body: Array(text.utf8),
                note: "\(lines) samples")
        } catch let error as DescribedError {
            return .text(503, error.message)
        } catch {
            return .text(503, "\(error)")
        }
    }
}
