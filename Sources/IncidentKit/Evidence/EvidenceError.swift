/// Why evidence could not be fetched or stored. Nothing is stored when any of these is thrown.
public enum EvidenceError: DescribedError, Hashable, Sendable {
    case noURL
    case badURL(String, reason: String)
    case unreachable(String, reason: String)
    case timedOut(String, seconds: Double, doing: String)
    case tooLarge(limit: Int)
    case badAnswer(String, reason: String)
    /// Prometheus refused the query: its own error type and message.
    case refused(String, type: String, error: String)
    case badRange(String)

    public var isUsageError: Bool {
        switch self {
        case .noURL, .badURL, .badRange: true
        default: false
        }
    }

    public var message: String {
        switch self {
        case .noURL:
            "no Prometheus URL; give --url http://HOST:9090, or set it for the store in "
                + "config.json: \"prometheus\": {\"url\": \"http://HOST:9090\"}"
        case .badURL(let text, let reason):
            "Prometheus URL '\(ValueError.shown(text))': \(reason)"
        case .unreachable(let server, let reason):
            "cannot reach Prometheus at \(server): \(reason); check the URL and that it runs "
                + "(nothing was stored)"
        case .timedOut(let server, let seconds, let what):
            "Prometheus at \(server) did not answer within \(DurationFormat.long(seconds)) "
                + "(could not \(what)); try a shorter range or a larger --step (nothing was stored)"
        case .tooLarge(let limit):
            "the answer is over \(limit / (1024 * 1024)) MiB; narrow the query (sum by, topk) or "
                + "give a larger --step (nothing was stored)"
        case .badAnswer(let server, let reason):
            "the answer from \(server) is not a Prometheus query_range result: \(reason) "
                + "(nothing was stored)"
        case .refused(let server, let type, let error):
            "Prometheus at \(server) refused the query (\(type)): \(error)"
        case .badRange(let reason): reason
        }
    }
}
