import Foundation

/// A series drawn in eight block characters, one per column: how a terminal or a Markdown file
/// shows a metric without a chart.
public enum Sparkline {
    static let blocks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// `points` (time, value) over `from…to`, in `width` columns: each column the mean of the
    /// points that fall in it, a space where none do, scaled between `low` and `high`.
    public static func draw(
        _ points: [(time: Double, value: Double)], from: Double, to: Double, width: Int,
        low: Double, high: Double
    ) -> String {
        guard width > 0, to > from else { return "" }
        var sums = [Double](repeating: 0, count: width)
        var counts = [Int](repeating: 0, count: width)
        for point in points where point.value.isFinite {
            let position = (point.time - from) / (to - from) * Double(width)
            let column = min(width - 1, max(0, Int(position)))
            sums[column] += point.value
            counts[column] += 1
        }
        var out = ""
        for column in 0..<width {
            guard counts[column] > 0 else {
                out.append(" ")
                continue
            }
            let mean = sums[column] / Double(counts[column])
            let level =
                high > low
                ? Int(((mean - low) / (high - low) * Double(blocks.count - 1)).rounded()) : 3
            out.append(blocks[min(blocks.count - 1, max(0, level))])
        }
        return out
    }
}

extension Evidence {
    /// One line a series: its sparkline over the queried range, then its lowest and highest value
    /// and its name; at most `maxSeries` lines, and one saying how many more there are.
    public func sparklineLines(width: Int = 40, maxSeries: Int = 5) -> [String] {
        guard !series.isEmpty else {
            return ["(no series: the query matched nothing in the range)"]
        }
        var lines: [String] = []
        for one in series.prefix(maxSeries) {
            let numbers = one.numbers
            let points = one.points.compactMap { point in
                point.number.map { (time: point.time, value: $0) }
            }
            let low = numbers.min() ?? 0
            let high = numbers.max() ?? 0
            let line = Sparkline.draw(
                points, from: from.timeIntervalSince1970, to: to.timeIntervalSince1970,
                width: width, low: low, high: high)
            let range =
                numbers.isEmpty
                ? "no values"
                : "\(Self.short(low))–\(Self.short(high))"
            lines.append("\(line)  \(range)  \(one.name)")
        }
        if series.count > maxSeries {
            lines.append("… \(series.count - maxSeries) more series (show --json has them all)")
        }
        if let cut { lines.append("(\(cut))") }
        return lines
    }

    /// A value in at most four significant digits.
    static func short(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e6 { return String(Int64(value)) }
        return String(format: "%.4g", value)
    }
}
