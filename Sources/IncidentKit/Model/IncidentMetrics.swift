import Foundation

/// Response times of one incident, in seconds. A metric whose times are missing is nil,
/// never zero.
public struct IncidentMetrics: Codable, Hashable, Sendable {
    /// detectedAt − startedAt
    public var timeToDetect: Double?
    /// declaredAt − detectedAt
    public var timeToDeclare: Double?
    /// containedAt − detectedAt
    public var timeToContain: Double?
    /// recoveredAt − detectedAt
    public var timeToRecover: Double?
    /// recoveredAt − (startedAt or detectedAt)
    public var impactDuration: Double?

    public init(_ incident: Incident) {
        let times = incident.phaseTimes
        self.init(
            startedAt: incident.startedAt, detectedAt: incident.detectedAt,
            declaredAt: times.declaredAt,
            containedAt: times.containedAt, recoveredAt: times.recoveredAt)
    }

    public init(
        startedAt: Date?, detectedAt: Date, declaredAt: Date?, containedAt: Date?,
        recoveredAt: Date?
    ) {
        func span(_ from: Date?, _ to: Date?) -> Double? {
            guard let from, let to else { return nil }
            return to.timeIntervalSince(from)
        }
        timeToDetect = span(startedAt, detectedAt)
        timeToDeclare = span(detectedAt, declaredAt)
        timeToContain = span(detectedAt, containedAt)
        timeToRecover = span(detectedAt, recoveredAt)
        impactDuration = span(startedAt ?? detectedAt, recoveredAt)
    }
}
