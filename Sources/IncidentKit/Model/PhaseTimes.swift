import Foundation

/// When an incident entered each phase, derived from its timeline (`Incident.phaseTimes`).
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
