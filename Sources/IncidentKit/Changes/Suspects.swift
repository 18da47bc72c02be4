import Foundation

/// The changes that came before an incident's impact, ranked: the likeliest cause first.
///
/// A change is a suspect when it happened within `window` before impact began (the incident's
/// start, else its detection) or between then and detection. Ranking: a change to a service the
/// incident names comes before one that shares none; then the nearer to impact the earlier; a
/// failed command counts as sharing nothing less. Every clone ranks alike.
public struct Suspects: Sendable {
    public struct Suspect: Hashable, Sendable {
        public var change: ServiceChange
        /// The incident's services this change touched.
        public var sharedServices: [String]
        /// Seconds from the change to impact began (negative: after impact began).
        public var beforeImpact: Double
    }

    public static let defaultWindow: Double = 2 * 3600

    public var impactBegan: Date
    public var ranked: [Suspect]

    public init(incident: Incident, changes: [ServiceChange], window: Double = defaultWindow) {
        self.init(
            services: incident.services, impactBegan: incident.startedAt ?? incident.detectedAt,
            detectedAt: incident.detectedAt, changes: changes, window: window)
    }

    public init(
        services: [String], impactBegan: Date, detectedAt: Date, changes: [ServiceChange],
        window: Double
    ) {
        self.impactBegan = impactBegan
        let wanted = Set(services.map { $0.lowercased() })
        let latest = max(impactBegan, detectedAt)
        ranked =
            changes
            .filter { $0.at >= impactBegan.addingTimeInterval(-window) && $0.at <= latest }
            .map { change in
                Suspect(
                    change: change,
                    sharedServices: change.services.filter { wanted.contains($0.lowercased()) },
                    beforeImpact: impactBegan.timeIntervalSince(change.at))
            }
            .sorted { a, b in
                if a.sharedServices.isEmpty != b.sharedServices.isEmpty {
                    return !a.sharedServices.isEmpty
                }
                if abs(a.beforeImpact) != abs(b.beforeImpact) {
                    return abs(a.beforeImpact) < abs(b.beforeImpact)
                }
                return a.change.uid < b.change.uid
            }
    }
}
