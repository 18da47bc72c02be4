import Foundation

/// A PromQL range query and what it returned, kept on an incident's timeline for good: the
/// server's retention ends, the evidence does not.
public struct Evidence: Hashable, Sendable {
    /// At most this many series are kept, the first by their labels.
    public static let maxSeries = 20
    /// At most this many points per series; more are thinned evenly (first and last kept).
    public static let maxPoints = 500

    public var query: String
    /// The server asked, as `http://host:port[/prefix]`.
    public var source: String
    public var from: Date
    public var to: Date
    /// Seconds between points.
    public var step: Double
    public var series: [EvidenceSeries]
    /// How many series the server returned (more than `series.count` when some were cut).
    public var seriesReturned: Int
    /// How many points the server returned over all the kept series.
    public var pointsReturned: Int

    public init(
        query: String, source: String, from: Date, to: Date, step: Double,
        series: [EvidenceSeries], seriesReturned: Int? = nil, pointsReturned: Int? = nil
    ) {
        self.query = query
        self.source = source
        self.from = from
        self.to = to
        self.step = step
        self.series = series
        self.seriesReturned = seriesReturned ?? series.count
        self.pointsReturned = pointsReturned ?? series.reduce(0) { $0 + $1.points.count }
    }

    /// The capped form of what the server returned: series sorted by their labels, the first
    /// `maxSeries` kept, each thinned to `maxPoints`.
    public static func capped(
        query: String, source: String, from: Date, to: Date, step: Double,
        returned: [EvidenceSeries]
    ) -> Evidence {
        let sorted = returned.sorted { $0.name < $1.name }
        let kept = sorted.prefix(maxSeries)
        let points = kept.reduce(0) { $0 + $1.points.count }
        return Evidence(
            query: query, source: source, from: from, to: to, step: step,
            series: kept.map { $0.thinned(to: maxPoints) }, seriesReturned: returned.count,
            pointsReturned: points)
    }

    public var pointsKept: Int { series.reduce(0) { $0 + $1.points.count } }

    /// What was cut, in words; nil when everything the server returned was kept.
    public var cut: String? {
        var parts: [String] = []
        if seriesReturned > series.count {
            parts.append("\(seriesReturned - series.count) of \(seriesReturned) series cut")
        }
        if pointsReturned > pointsKept {
            parts.append(
                "points thinned from \(pointsReturned) to \(pointsKept) (at most \(Self.maxPoints) "
                    + "a series)")
        }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }

    // MARK: Entry data

    /// The entry data that holds it: strings only, the series as compact JSON.
    public var data: [String: String] {
        var data: [String: String] = [
            "query": query, "source": source, "from": Timestamp.format(from),
            "to": Timestamp.format(to), "step": MetricsExposition.number(step),
            "seriesReturned": String(seriesReturned), "pointsReturned": String(pointsReturned),
            "series": JSONWriter.compact(
                .array(
                    series.map { series in
                        .object([
                            "labels": .object(series.labels.mapValues(JSONValue.string)),
                            "points": .array(
                                series.points.map {
                                    .array([
                                        $0.time == $0.time.rounded()
                                            ? .int(Int($0.time)) : .double($0.time),
                                        .string($0.value),
                                    ])
                                }),
                        ])
                    })),
        ]
        if let cut { data["cut"] = cut }
        return data
    }

    /// The evidence an entry's data holds; nil when it is not evidence this version can read.
    public init?(data: [String: String]) {
        guard let query = data["query"], let source = data["source"],
            let from = data["from"].flatMap(Timestamp.parse),
            let to = data["to"].flatMap(Timestamp.parse),
            let step = data["step"].flatMap(Double.init),
            let text = data["series"],
            case .array(let items) = try? JSONParser.parse(Array(text.utf8))
        else { return nil }
        var series: [EvidenceSeries] = []
        for item in items {
            guard case .object(let object) = item, case .object(let labels)? = object["labels"],
                case .array(let points)? = object["points"]
            else { return nil }
            var kept: [EvidenceSeries.Point] = []
            for point in points {
                guard case .array(let pair) = point, pair.count == 2,
                    case .string(let value) = pair[1]
                else { return nil }
                let time: Double
                switch pair[0] {
                case .int(let whole): time = Double(whole)
                case .double(let fraction): time = fraction
                default: return nil
                }
                kept.append(EvidenceSeries.Point(time: time, value: value))
            }
            series.append(
                EvidenceSeries(
                    labels: labels.compactMapValues {
                        if case .string(let text) = $0 { return text }
                        return nil
                    }, points: kept))
        }
        self.init(
            query: query, source: source, from: from, to: to, step: step, series: series,
            seriesReturned: data["seriesReturned"].flatMap(Int.init),
            pointsReturned: data["pointsReturned"].flatMap(Int.init))
    }
}

/// One series of a range query: its labels and its points.
public struct EvidenceSeries: Hashable, Sendable {
    public struct Point: Hashable, Sendable {
        /// Seconds since 1970.
        public var time: Double
        /// As Prometheus wrote it ("0.25", "NaN", "+Inf"), so nothing is lost to rounding.
        public var value: String

        public init(time: Double, value: String) {
            self.time = time
            self.value = value
        }

        public var number: Double? { Double(value) }
    }

    public var labels: [String: String]
    public var points: [Point]

    public init(labels: [String: String], points: [Point]) {
        self.labels = labels
        self.points = points
    }

    /// `name{label="value",…}` as PromQL writes a series, or `{}` for a bare expression.
    public var name: String {
        let metric = labels["__name__"] ?? ""
        let rest = labels.filter { $0.key != "__name__" }.sorted { $0.key < $1.key }
            .map { "\($0.key)=\"\($0.value)\"" }
        return rest.isEmpty && !metric.isEmpty
            ? metric : metric + "{" + rest.joined(separator: ",") + "}"
    }

    /// At most `limit` points, picked evenly, the first and last always among them.
    func thinned(to limit: Int) -> EvidenceSeries {
        guard points.count > limit, limit >= 2 else { return self }
        let last = points.count - 1
        let picked = (0..<limit).map { points[$0 * last / (limit - 1)] }
        return EvidenceSeries(labels: labels, points: picked)
    }

    /// The finite values, for drawing.
    public var numbers: [Double] { points.compactMap(\.number).filter(\.isFinite) }
}
