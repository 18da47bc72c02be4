import Foundation

/// A range query over Prometheus's HTTP API (`/api/v1/query_range`).
public struct PrometheusQuery: Sendable {
    /// A server's answer is refused past this size (before the series are capped).
    public static let maxAnswerBytes = 32 * 1024 * 1024
    /// Prometheus itself refuses more than this many points per series.
    public static let maxPointsPerSeries = 11_000

    public var server: HTTPBaseURL
    public var timeout: Double

    public init(server: HTTPBaseURL, timeout: Double = 30) {
        self.server = server
        self.timeout = timeout
    }

    /// Asks the server and returns the capped evidence; throws, storing nothing, on any failure.
    public func range(
        _ query: String, from: Date, to: Date, step: Double
    ) throws(EvidenceError) -> Evidence {
        try Self.check(from: from, to: to, step: step)
        let client = HTTPClient(base: server, timeout: timeout, maxBodyBytes: Self.maxAnswerBytes)
        let path =
            "/api/v1/query_range?query=\(Self.encode(query))&start=\(Self.seconds(from))"
            + "&end=\(Self.seconds(to))&step=\(Self.seconds(step))"
        let response = try client.get(path)
        let series = try Self.decode(response, server: server.description)
        return Evidence.capped(
            query: query, source: server.description, from: from, to: to, step: step,
            returned: series)
    }

    static func check(from: Date, to: Date, step: Double) throws(EvidenceError) {
        guard from < to else {
            throw .badRange("the range is empty: --from must be before --to")
        }
        let seconds = to.timeIntervalSince(from)
        let points = seconds / step
        guard points <= Double(maxPointsPerSeries) else {
            let least = Int((seconds / Double(maxPointsPerSeries)).rounded(.up))
            throw .badRange(
                "\(Int(points)) points a series is over Prometheus's \(maxPointsPerSeries); give a "
                    + "larger --step (at least \(least)s)"
            )
        }
    }

    /// The series of a `matrix` answer, or the server's own error.
    static func decode(
        _ response: HTTPClient.Response, server: String
    ) throws(EvidenceError) -> [EvidenceSeries] {
        guard let json = try? JSONParser.parse(response.body), case .object(let top) = json else {
            let start = String(decoding: response.body.prefix(120), as: UTF8.self)
            throw .badAnswer(
                server,
                reason: "HTTP \(response.status), not JSON"
                    + (start.isEmpty ? "" : ": '\(TerminalText.singleLine(start))'"))
        }
        if case .string("error")? = top["status"] {
            var type = "error"
            var message = "no reason given"
            if case .string(let text)? = top["errorType"] { type = text }
            if case .string(let text)? = top["error"] { message = text }
            throw .refused(server, type: type, error: TerminalText.singleLine(message))
        }
        guard case .string("success")? = top["status"], case .object(let data)? = top["data"],
            case .array(let result)? = data["result"]
        else { throw .badAnswer(server, reason: "HTTP \(response.status), no data.result") }
        guard case .string("matrix")? = data["resultType"] else {
            throw .badAnswer(server, reason: "the result is not a matrix")
        }
        var series: [EvidenceSeries] = []
        for item in result {
            guard case .object(let object) = item, case .object(let metric)? = object["metric"],
                case .array(let values)? = object["values"]
            else { throw .badAnswer(server, reason: "a series without metric or values") }
            var points: [EvidenceSeries.Point] = []
            for value in values {
                guard case .array(let pair) = value, pair.count == 2,
                    case .string(let number) = pair[1]
                else { throw .badAnswer(server, reason: "a point that is not [time, \"value\"]") }
                switch pair[0] {
                case .int(let whole): points.append(.init(time: Double(whole), value: number))
                case .double(let time): points.append(.init(time: time, value: number))
                default: throw .badAnswer(server, reason: "a point without a time")
                }
            }
            series.append(
                EvidenceSeries(
                    labels: metric.compactMapValues {
                        if case .string(let text) = $0 { return text }
                        return nil
                    }, points: points))
        }
        return series
    }

    /// Unix seconds as Prometheus reads them, whole when they are.
    static func seconds(_ date: Date) -> String { seconds(date.timeIntervalSince1970) }
    static func seconds(_ value: Double) -> String { MetricsExposition.number(value) }

    /// Percent-encodes a query parameter's value.
    static func encode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"),
                UInt8(ascii: "."), UInt8(ascii: "~"):
                out.append(Character(Unicode.Scalar(byte)))
            default:
                out += String(format: "%%%02X", byte)
            }
        }
        return out
    }
}
