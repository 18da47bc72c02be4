import Foundation

/// An incident's timeline as an SVG drawing: the phases as spans along the time axis, each entry
/// as a mark in its kind's lane (lane names on the left, so colour is never the only signal),
/// and the entry that began each phase labelled with the phase.
struct TimelineSVG {
    var incident: Incident
    /// At most this many marks are drawn; beyond it the marks are thinned evenly (phase changes
    /// always kept) and the caption says so.
    static let markLimit = 2_000

    static let lanes: [(kind: String, label: String)] = [
        ("phase", "phase"), ("alert", "alert"), ("action", "action"), ("decision", "decision"),
        ("comms", "comms"), ("note", "note"), ("other", "other"),
    ]

    static func lane(of kind: EntryKind) -> String {
        switch kind {
        case .phase, .alert, .action, .decision, .comms, .note: kind.rawValue
        default: "other"
        }
    }

    func render() -> String {
        let width = 1000.0
        let labelWidth = 78.0
        let right = 14.0
        let plot = width - labelWidth - right
        let laneHeight = 20.0
        let axisTop = 18.0
        let bandTop = 30.0
        let bandHeight = 26.0
        let lanesTop = bandTop + bandHeight + 12
        let height = lanesTop + Double(Self.lanes.count) * laneHeight + 8
        let struck = incident.strikes
        let entries = incident.timeline.filter { $0.kind != .strike && struck[$0.hash] == nil }
        var start = incident.startedAt.map { min($0, incident.detectedAt) } ?? incident.detectedAt
        var end = incident.detectedAt
        for entry in entries {
            start = min(start, entry.at)
            end = max(end, entry.at)
        }
        if let closed = incident.phaseTimes.closedAt { end = max(end, closed) }
        if end.timeIntervalSince(start) < 60 { end = start.addingTimeInterval(60) }
        let span = end.timeIntervalSince(start)
        func x(_ date: Date) -> Double {
            labelWidth + (date.timeIntervalSince(start) / span) * plot
        }
        func f(_ v: Double) -> String { svgNumber(v) }

        let summary =
            "Timeline of \(incident.id) from \(SiteTime.plain(start)) to "
            + "\(SiteTime.plain(end)): \(incident.phaseSpans.count) phase spans, "
            + "\(entries.count) entries."
        var out =
            "<div class=\"chart\"><svg class=\"timeline\" viewBox=\"0 0 \(Int(width)) "
            + "\(Int(height))\" "
            + "width=\"\(Int(width))\" height=\"\(Int(height))\" role=\"img\" "
            + "aria-labelledby=\"tl-title tl-desc\" xmlns=\"http://www.w3.org/2000/svg\">\n"
        out += "<title id=\"tl-title\">\(HTML.escape(summary))</title>\n"
        out +=
            "<desc id=\"tl-desc\">Phases as coloured spans labelled with their names; entries "
            + "as marks in one lane per kind. The table below lists every entry.</desc>\n"
        // Axis: five ticks.
        for i in 0...4 {
            let t = start.addingTimeInterval(span * Double(i) / 4)
            let px = x(t)
            out +=
                "<line class=\"grid\" x1=\"\(f(px))\" y1=\"\(f(axisTop + 4))\" x2=\"\(f(px))\" "
                + "y2=\"\(f(height - 4))\"/>"
            let anchor = i == 0 ? "start" : i == 4 ? "end" : "middle"
            out +=
                "<text class=\"lbl\" x=\"\(f(px))\" y=\"\(f(axisTop - 4))\" "
                + "text-anchor=\"\(anchor)\">\(SiteTime.utc.dateTime(t))</text>\n"
        }
        // Phase spans.
        out += "<text class=\"lbl\" x=\"0\" y=\"\(f(bandTop + 17))\">phases</text>\n"
        for phaseSpan in incident.phaseSpans {
            let x0 = x(phaseSpan.start)
            let x1 = x(phaseSpan.end ?? end)
            let w = max(x1 - x0, 1.5)
            let name = phaseSpan.phase.rawValue
            let until = phaseSpan.end.map(SiteTime.plain) ?? "now"
            out += "<g><title>\(name): \(SiteTime.plain(phaseSpan.start)) – \(until)</title>"
            out +=
                "<rect class=\"ph-\(name) span\" x=\"\(f(x0))\" y=\"\(f(bandTop))\" "
                + "width=\"\(f(w))\" height=\"\(f(bandHeight))\"/>"
            out +=
                "<rect class=\"ph-\(name)\" x=\"\(f(x0))\" y=\"\(f(bandTop))\" width=\"3\" "
                + "height=\"\(f(bandHeight))\"/>"
            if w > 64 {
                out += "<text x=\"\(f(x0 + 6))\" y=\"\(f(bandTop + 17))\">\(name)</text>"
            }
            out += "</g>\n"
        }
        // Lanes.
        for (index, lane) in Self.lanes.enumerated() {
            let y = lanesTop + Double(index) * laneHeight
            out += "<text class=\"lbl\" x=\"0\" y=\"\(f(y + 14))\">\(lane.label)</text>"
            out +=
                "<line class=\"axis\" x1=\"\(f(labelWidth))\" y1=\"\(f(y + 10))\" "
                + "x2=\"\(f(width - right))\" y2=\"\(f(y + 10))\"/>\n"
        }
        var drawn = entries
        let thinned = entries.count > Self.markLimit
        if thinned {
            let stride = (entries.count + Self.markLimit - 1) / Self.markLimit
            drawn = entries.enumerated().filter {
                $0.offset % stride == 0
                    || $0.element.kind == .phase
            }
            .map(\.element)
        }
        // The entry that began each phase is labelled; phases entered moments apart share one
        // label ("declare · contain") instead of printing over each other.
        var labels: [(x: Double, text: String)] = []
        var labelled = Set<String>()
        for entry in entries where entry.kind == .phase {
            guard let phase = entry.change.enteredPhase, phase != .closed,
                labelled.insert(phase.rawValue).inserted
            else { continue }
            let to = phase.rawValue
            let cx = x(entry.at)
            if let last = labels.last, cx - last.x < 90 {
                labels[labels.count - 1].text += " · " + to
            } else {
                labels.append((cx, to))
            }
        }
        for entry in drawn {
            let lane = Self.lane(of: entry.kind)
            let index = Self.lanes.firstIndex { $0.kind == lane } ?? Self.lanes.count - 1
            let cy = lanesTop + Double(index) * laneHeight + 10
            // A hint, not the record: the table below has the whole text, and 10,000 pages of
            // long tooltips cost more to write than they give.
            let tip =
                "#\(entry.seq) \(SiteTime.plain(entry.at)) \(entry.kind.rawValue): "
                + String(incident.shownText(of: entry).prefix(60))
            out +=
                "<g><title>\(HTML.escape(tip))</title>"
                + Self.shape(
                    lane, cx: x(entry.at),
                    cy: cy) + "</g>\n"
        }
        let phaseY = lanesTop + 14
        for label in labels {
            let nearEnd = label.x > width - right - 160
            out +=
                "<text x=\"\(f(nearEnd ? label.x - 7 : label.x + 7))\" y=\"\(f(phaseY))\" "
                + "text-anchor=\"\(nearEnd ? "end" : "start")\">\(HTML.escape(label.text))</text>\n"
        }
        out += "</svg></div>\n"
        if thinned {
            out +=
                "<p class=\"muted\">\(entries.count) entries: the drawing shows every phase "
                + "change "
                + "and an even sample of \(drawn.count) marks; the table lists them all.</p>\n"
        }
        return out
    }

    /// A different shape per kind, so the lanes read without colour too.
    static func shape(_ lane: String, cx: Double, cy: Double) -> String {
        func f(_ v: Double) -> String { svgNumber(v) }
        let c = "mark k-\(lane)"
        switch lane {
        case "phase":
            return "<rect class=\"\(c)\" x=\"\(f(cx - 1.5))\" y=\"\(f(cy - 7))\" width=\"3\" "
                + "height=\"14\"/>"
        case "alert":
            return "<polygon class=\"\(c)\" points=\"\(f(cx)),\(f(cy - 6)) "
                + "\(f(cx + 6)),\(f(cy + 5)) \(f(cx - 6)),\(f(cy + 5))\"/>"
        case "action":
            return "<rect class=\"\(c)\" x=\"\(f(cx - 5))\" y=\"\(f(cy - 5))\" width=\"10\" "
                + "height=\"10\"/>"
        case "decision":
            return "<polygon class=\"\(c)\" points=\"\(f(cx)),\(f(cy - 6)) \(f(cx + 6)),\(f(cy)) "
                + "\(f(cx)),\(f(cy + 6)) \(f(cx - 6)),\(f(cy))\"/>"
        default:
            return "<circle class=\"\(c)\" cx=\"\(f(cx))\" cy=\"\(f(cy))\" r=\"5\"/>"
        }
    }
}
