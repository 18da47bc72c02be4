import Foundation

/// One stretch of time an incident spent in one phase.
public struct PhaseSpan: Hashable, Sendable {
    public var phase: Phase
    public var start: Date
    /// Nil while the incident is still in this phase.
    public var end: Date?

    public var duration: Double? { end.map { $0.timeIntervalSince(start) } }
}

extension Incident {
    /// The phases in the order they were entered, from the timeline's phase entries (by time, then
    /// sequence). A phase entered twice (the problem came back) has two spans. `closed` has none.
    public var phaseSpans: [PhaseSpan] {
        let changes = timeline.enumerated()
            .compactMap { offset, entry -> (Date, Int, Phase)? in
                guard entry.kind == .phase, let to = entry.change.enteredPhase else { return nil }
                return (entry.at, offset, to)
            }
            .sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        var spans: [PhaseSpan] = []
        for (index, change) in changes.enumerated() where change.2 != .closed {
            let end = index + 1 < changes.count ? changes[index + 1].0 : nil
            spans.append(PhaseSpan(phase: change.2, start: change.0, end: end))
        }
        return spans
    }

    /// Seconds spent in each working phase that was entered, summed over its spans; `ongoing` says
    /// the incident is in that phase now (its time so far is not counted).
    public var timeInPhases: [(phase: Phase, seconds: Double, ongoing: Bool)] {
        let spans = phaseSpans
        return Phase.working.compactMap { phase in
            let mine = spans.filter { $0.phase == phase }
            guard !mine.isEmpty else { return nil }
            return (
                phase, mine.compactMap(\.duration).reduce(0, +), mine.contains { $0.end == nil }
            )
        }
    }
}
