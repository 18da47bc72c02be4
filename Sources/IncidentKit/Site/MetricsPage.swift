import Foundation

/// `metrics.html`: time to detect, contain and recover by month (median and p90, SVG charts with
/// the same numbers in a table), incidents by severity and by service, action items done on time.
struct MetricsPage {
    var data: SiteData
    /// The chart shows at most this many months, the latest.
    static let monthLimit = 24

    func render() -> String {
        // As in `irctl stats`: drills, false alarms and duplicates are not incidents to measure.
        let summaries = data.summaries.filter { SetAside.kind(of: $0) == nil }
        let setAside = data.summaries.count - summaries.count
        var out =
            "<h1>Metrics</h1>\n<p class=\"muted\">\(summaries.count) incidents"
            + (setAside == 1
                ? " (1 drill, false alarm or duplicate left out)"
                : setAside > 1
                    ? " (\(setAside) drills, false alarms or duplicates left out)" : "")
            + ". Months by "
            + "the "
            + "day of detection (UTC). A metric whose times are missing is left out, never counted "
            + "as zero; p90 by nearest rank.</p>\n"
        let byMonth = Dictionary(grouping: summaries) { SiteTime.month($0.detectedAt) }
        let months = Array(byMonth.keys.sorted().suffix(Self.monthLimit))
        for metric in [IncidentStats.Metric.timeToDetect, .timeToContain, .timeToRecover] {
            let rows = months.map { month in
                (month, Distribution(byMonth[month]!.compactMap { metric.value(in: $0.metrics) }))
            }
            out += section(metric, rows)
        }
        let rank = data.scheme.rank(of:)
        let bySeverity = IncidentStats(
            summaries, by: .severity, now: data.asOf, severityRank: rank,
            month: SiteTime.month)
        let byService = IncidentStats(
            summaries, by: .service, now: data.asOf, severityRank: rank,
            month: SiteTime.month)
        out += bars(
            "Incidents by severity", id: "sev",
            bySeverity.groups.map {
                (
                    $0.name,
                    $0.count
                )
            })
        out += bars(
            "Incidents by service", id: "svc",
            byService.groups.prefix(30).map {
                (
                    $0.name,
                    $0.count
                )
            },
            note: byService.groups.count > 30
                ? "The 30 busiest of "
                    + "\(byService.groups.count) services." : nil)
        out += actionItems(overdue: bySeverity.overdueActionItems, open: bySeverity.openActionItems)
        return SitePage(root: "", title: "Metrics", current: "metrics.html").render(out)
    }

    private func section(
        _ metric: IncidentStats.Metric,
        _ rows: [(
            String,
            Distribution
        )]
    ) -> String {
        let title = metric.title.prefix(1).uppercased() + metric.title.dropFirst()
        let id = metric.rawValue
        var out = "<section aria-labelledby=\"h-\(id)\"><h2 id=\"h-\(id)\">\(title) by month</h2>\n"
        guard rows.contains(where: { $0.1.count > 0 }) else {
            return out + "<p class=\"muted\">No incident has both times yet.</p></section>\n"
        }
        // Four gridlines a round duration apart, so no two axis labels read the same.
        let step = Self.axisStep(for: rows.compactMap(\.1.p90).max() ?? 1)
        let top = step * 4
        let width = 1000.0
        let left = 70.0
        let bottom = 40.0
        let height = 260.0
        let plot = width - left - 10
        let plotHeight = height - bottom - 14
        let slot = plot / Double(max(rows.count, 1))
        let barWidth = min(28, slot * 0.38)
        let f = svgNumber
        out +=
            "<div class=\"chart\"><svg class=\"bars\" viewBox=\"0 0 \(Int(width)) "
            + "\(Int(height))\" "
            + "width=\"\(Int(width))\" "
            + "height=\"\(Int(height))\" role=\"img\" aria-labelledby=\"t-\(id)\" "
            + "xmlns=\"http://www.w3.org/2000/svg\"><title id=\"t-\(id)\">\(title) by month: "
            + "median and p90 bars; the table below gives the numbers</title>\n"
        for i in 0...4 {
            let value = top * Double(i) / 4
            let y = 14 + plotHeight * (1 - Double(i) / 4)
            out +=
                "<line class=\"grid\" x1=\"\(f(left))\" y1=\"\(f(y))\" x2=\"\(f(width - 10))\" "
                + "y2=\"\(f(y))\"/>"
            out +=
                "<text class=\"lbl\" x=\"\(f(left - 6))\" y=\"\(f(y + 4))\" text-anchor=\"end\">"
                + "\(DurationFormat.long(value))</text>\n"
        }
        for (index, row) in rows.enumerated() {
            let (month, d) = row
            let x = left + slot * Double(index) + slot / 2
            for (offset, value, cls, name) in [
                (-barWidth, d.median, "bar-med", "median"),
                (0.0, d.p90, "bar-p90", "p90"),
            ] {
                guard let value else { continue }
                let h = plotHeight * value / top
                out +=
                    "<rect class=\"\(cls)\" x=\"\(f(x + offset))\" "
                    + "y=\"\(f(14 + plotHeight - h))\" "
                    + "width=\"\(f(barWidth))\" height=\"\(f(max(h, 1)))\"><title>\(month) "
                    + "\(name): \(DurationFormat.long(value)) (n=\(d.count))</title></rect>"
            }
            if rows.count <= 12 || index % 2 == 0 {
                out +=
                    "<text class=\"lbl\" x=\"\(f(x))\" y=\"\(f(height - bottom + 16))\" "
                    + "text-anchor=\"middle\">\(month)</text>"
            }
            out += "\n"
        }
        out +=
            "</svg></div>\n<p class=\"legend\"><span><svg width=\"12\" height=\"12\" "
            + "aria-hidden=\"true\">"
            + "<rect class=\"bar-med\" width=\"12\" height=\"12\"/></svg> median (left bar)</span>"
            + "<span><svg width=\"12\" height=\"12\" aria-hidden=\"true\"><rect class=\"bar-p90\" "
            + "width=\"12\" height=\"12\"/></svg> p90 (right bar)</span></p>\n"
        out += SiteTable.open(
            ["Month", "n|num", "Median|num", "p90|num"],
            caption: "\(title) by month", compact: true)

        for (month, d) in rows {
            out +=
                "<tr><th scope=\"row\">\(month)</th><td class=\"num\">\(d.count)</td>"
                + "<td class=\"num\">\(d.median.map(DurationFormat.long) ?? "—")</td>"
                + "<td class=\"num\">\(d.p90.map(DurationFormat.long) ?? "—")</td></tr>\n"
        }
        return out + "</tbody></table></div></section>\n"
    }

    /// The smallest round duration that, times four, reaches `largest`: whole seconds, minutes,
    /// hours or days, so every gridline label is a distinct, readable duration.
    static func axisStep(for largest: Double) -> Double {
        let steps: [Double] = [
            1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200,
            86400, 172_800, 432_000, 864_000,
        ]
        let needed = max(largest, 1) / 4
        return steps.first { $0 >= needed } ?? (needed / 86400).rounded(.up) * 86400
    }

    private func bars(
        _ title: String, id: String, _ groups: [(String, Int)],
        note: String? = nil
    ) -> String {
        var out = "<section aria-labelledby=\"h-\(id)\"><h2 id=\"h-\(id)\">\(title)</h2>\n"
        guard !groups.isEmpty else {
            return out
                + "<p class=\"muted\">No incidents.</p></section>\n"
        }
        let most = Double(groups.map(\.1).max() ?? 1)
        // Narrower than the month charts: on a phone it scales down less and scrolls sideways.
        let rowHeight = 22.0
        let left = 150.0
        let width = 640.0
        let height = rowHeight * Double(groups.count) + 8
        let f = svgNumber
        out +=
            "<div class=\"chart\"><svg class=\"hbars\" viewBox=\"0 0 \(Int(width)) "
            + "\(Int(height))\" width=\"\(Int(width))\" "
            + "height=\"\(Int(height))\" role=\"img\" aria-labelledby=\"t-\(id)\" "
            + "xmlns=\"http://www.w3.org/2000/svg\"><title id=\"t-\(id)\">\(title): "
            + HTML.escape(groups.map { "\($0.0) \($0.1)" }.joined(separator: ", ")) + "</title>\n"
        for (index, group) in groups.enumerated() {
            let y = 4 + Double(index) * rowHeight
            let w = max(2, (width - left - 60) * Double(group.1) / most)
            out +=
                "<text x=\"\(f(left - 8))\" y=\"\(f(y + 15))\" text-anchor=\"end\">"
                + "\(HTML.short(group.0, 16)) (\(group.1))</text>"
                + "<rect class=\"bar-n\" x=\"\(f(left))\" y=\"\(f(y + 3))\" width=\"\(f(w))\" "
                + "height=\"16\"/>"
                + "<text x=\"\(f(left + w + 6))\" y=\"\(f(y + 15))\">\(group.1)</text>\n"
        }
        out += "</svg></div>\n"
        if let note { out += "<p class=\"muted\">\(note)</p>\n" }
        return out + "</section>\n"
    }

    private func actionItems(overdue: Int, open: Int) -> String {
        var onTime = 0
        var late = 0
        var undated = 0
        for record in data.records.values {
            onTime += record.onTime
            late += record.late
            undated += record.doneUndated
        }
        let dated = onTime + late
        var out = "<section aria-labelledby=\"h-ai\"><h2 id=\"h-ai\">Action items</h2>\n"
        out += SiteTable.open(["Action items", "Count|num"], compact: true)
        let share = dated > 0 ? " (\(onTime * 100 / dated)% of those with a due date)" : ""
        for (label, count) in [
            ("Done on time\(share)", onTime), ("Done late", late),
            ("Done, no due date", undated), ("Open", open),
            ("Open and overdue as of \(SiteTime.plain(data.asOf))", overdue),
        ] {
            out += "<tr><th scope=\"row\">\(label)</th><td class=\"num\">\(count)</td></tr>\n"
        }
        return out + "</tbody></table></div></section>\n"
    }
}
