import Foundation

/// `irctl serve`'s handler: Alertmanager's webhook at `POST /alertmanager`, applying each
/// notification exactly as `irctl ingest alertmanager` does.
///
/// Refusals, each with a one-line reason: 404 another path, 405 another method, 401 a missing or
/// wrong bearer token, 415 a body that is not JSON, 400 a body that is not a version 4
/// notification, 503 when the store can't be written (Alertmanager retries). 200 only once the
/// change is on disk.
public struct AlertReceiver: HTTPHandler {
    public static let path = "/alertmanager"

    /// Required when set.
    public var token: BearerToken?
    /// Applies one notification to the store.
    public var apply: @Sendable (AlertmanagerPayload) throws -> AlertIngestResult

    public init(
        token: BearerToken?,
        apply: @escaping @Sendable (AlertmanagerPayload) throws -> AlertIngestResult
    ) {
        self.token = token
        self.apply = apply
    }

    public func authenticate(authorization: String) -> HTTPAuthentication {
        guard let token else { return .notRequired }
        return token.accepts(authorization: authorization)
            ? .accepted
            : .refused(
                .text(
                    401, "wrong bearer token",
                    headers: ["WWW-Authenticate": "Bearer realm=\"irctl\""]))
    }

    public func admit(_ head: HTTPRequestHead) -> HTTPResponse? {
        guard head.path == Self.path else {
            return .text(
                404, "not found; Alertmanager's webhook URL is http://HOST:PORT\(Self.path)")
        }
        guard head.method == "POST" else {
            return .text(
                405,
                "method \(head.method) not allowed; Alertmanager posts notifications with POST",
                headers: ["Allow": "POST"])
        }
        if let token, !token.accepts(authorization: head.header("authorization")) {
            return .text(
                401,
                head.header("authorization") == nil
                    ? "bearer token required" : "wrong bearer token",
                headers: ["WWW-Authenticate": "Bearer realm=\"irctl\""])
        }
        let type = head.header("content-type")?.split(separator: ";").first?.trimmingCharacters(
            in: .whitespaces
        ).lowercased()
        guard type == "application/json" else {
            return .text(
                415,
                "Content-Type must be application/json, not "
                    + "'\(TerminalText.singleLine(String((type ?? "none").prefix(60))))'"
            )
        }
        return nil
    }

    public func respond(to request: HTTPRequest) -> HTTPResponse {
        let payload: AlertmanagerPayload
        do {
            payload = try AlertmanagerPayload.decode(request.body)
        } catch {
            return .text(400, error.message)
        }
        do {
            let result = try apply(payload)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            var body = (try? encoder.encode(result)).map { Array($0) } ?? []
            body.append(0x0A)
            return HTTPResponse(
                status: 200, headers: ["Content-Type": "application/json"], body: body,
                note: result.line + result.warnings.map { "; warning: " + $0 }.joined())
        } catch let error as AlertError where error.isUsageError {
            return .text(400, error.message)
        } catch let error as DescribedError {
            // The store is locked, full, unreadable or misconfigured: Alertmanager retries a 5xx.
            return .text(503, error.message)
        } catch {
            return .text(503, "\(error)")
        }
    }
}
