/// Evidence as an SVG line chart: every kept series over the queried range, on one value axis,
/// each with its name as a tooltip and in the list below, so colour is never the only signal.
struct EvidenceSVG {
    var evidence: Evidence

    func render() -> String {
        func f(_ v: Double) -> String { svgNumber(v) }
        let width = 1000.0
        let height = 180.0
        let left = 60.0
        let right = 10.0
        let top = 10.0
        let bottom = 24.0
        let numbers = evidence.series.flatMap(\.numbers)
        let start = evidence.from.timeIntervalSince1970
        let end = evidence.to.timeIntervalSince1970
        guard let low = numbers.min(), let high = numbers.max(), end > start else {
            return "<p class=\"muted\">No values in the range.</p>\n"
        }
        let span = high > low ? high - low : 1
        func x(_ t: Double) -> Double {
            left + (t - start) / (end - start) * (width - left - right)
        }
        func y(_ v: Double) -> Double {
            top + (1 - (v - low) / span) * (height - top - bottom)
        }
        var out =
            "<div class=\"chart\"><svg viewBox=\"0 0 \(f(width)) \(f(height))\" role=\"img\" "
            + "aria-label=\"\(HTML.escape("Chart of " + evidence.query))\">\n"
        out +=
            "<text x=\"\(f(left - 4))\" y=\"\(f(top + 8))\" text-anchor=\"end\">"
            + "\(HTML.escape(Evidence.short(high)))</text>\n"
            + "<text x=\"\(f(left - 4))\" y=\"\(f(height - bottom))\" text-anchor=\"end\">"
            + "\(HTML.escape(Evidence.short(low)))</text>\n"
            + "<text x=\"\(f(left))\" y=\"\(f(height - 6))\">"
            + "\(HTML.escape(SiteTime.plain(evidence.from)))</text>\n"
            + "<text x=\"\(f(width - right))\" y=\"\(f(height - 6))\" text-anchor=\"end\">"
            + "\(HTML.escape(SiteTime.plain(evidence.to)))</text>\n"
        for (index, series) in evidence.series.enumerated() {
            let points = series.points.compactMap { point -> String? in
                guard let value = point.number, value.isFinite else { return nil }
                return f(x(point.time)) + "," + f(y(value))
            }
            guard !points.isEmpty else { continue }
            out +=
                "<polyline class=\"series s\(index % 6)\" fill=\"none\" stroke=\"currentColor\" "
                + "points=\"\(points.joined(separator: " "))\"><title>"
                + "\(HTML.escape(series.name))</title></polyline>\n"
        }
        out += "</svg></div>\n<ol class=\"muted\">"
        for series in evidence.series { out += "<li>\(HTML.escape(series.name))</li>" }
        out += "</ol>\n"
        if let cut = evidence.cut { out += "<p class=\"muted\">\(HTML.escape(cut)).</p>\n" }
        return out
    }
}
