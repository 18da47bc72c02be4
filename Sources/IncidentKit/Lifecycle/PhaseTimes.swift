import Foundation

/// When an incident entered each phase, derived from its timeline.
public struct PhaseTimes: Hashable, Sendable {
    /// The first time each phase was entered; `detect` is the detection time.
    public var firstEntered: [Phase: Date]
    /// First entry into any phase from `declare` to `review`.
    public var declaredAt: Date?
    /// First entry into a phase after `contain`.
    public var containedAt: Date?
    /// First entry into `review`.
    public var recoveredAt: Date?
    /// When the review was closed; nil while the incident is open.
    public var closedAt: Date?
}

extension Incident {
    public var phaseTimes: PhaseTimes {
        var first: [Phase: Date] = [.detect: detectedAt]
        var lastClosed: Date?
        for entry in timeline where entry.kind == .phase {
            guard let target = entry.data["to"].flatMap(Phase.init(rawValue:)) else { continue }
            if let known = first[target], known <= entry.at {} else { first[target] = entry.at }
            if target == .closed { lastClosed = entry.at }
        }
        func earliest(_ phases: [Phase]) -> Date? { phases.compactMap { first[$0] }.min() }
        return PhaseTimes(
            firstEntered: first,
            declaredAt: earliest([.declare, .contain, .eradicate, .recover, .review]),
            containedAt: earliest([.eradicate, .recover, .review]),
            recoveredAt: first[.review],
            closedAt: phase == .closed ? lastClosed : nil
        )
    }
}
