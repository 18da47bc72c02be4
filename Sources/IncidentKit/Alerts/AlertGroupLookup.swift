/// Finds the incidents of an alert group in a store. Kept in one place so that a faster index
/// can replace the scans without touching the rules.
public enum AlertGroupLookup {
    /// The group's open incident. Open incidents are few, so they are all read.
    public static func openIncident(of digest: String, in store: Store) throws -> Incident? {
        let open = store.summaries(includeClosed: false).summaries.sorted {
            $0.id.number < $1.id.number
        }
        for summary in open {
            guard let incident = try? store.load(summary.id) else { continue }
            if incident.isOpen, incident.alertTrack.groupDigest == digest { return incident }
        }
        return nil
    }

    /// How many of the most recently changed closed incidents are searched for a group's last one.
    static let closedLookback = 500

    /// The group's most recently closed incident, among the ``closedLookback`` closed incidents
    /// changed last: what a refiring group links to, and what tells a replayed old notification
    /// from a new firing.
    static func lastClosedIncident(of digest: String, in store: Store) -> Incident? {
        let closed = store.summaries(includeClosed: true).summaries.filter { !$0.isOpen }
            .sorted {
                ($0.closedAt ?? $0.updatedAt, $0.id.number) > (
                    $1.closedAt ?? $1.updatedAt, $1.id.number
                )
            }
        for summary in closed.prefix(closedLookback) {
            guard let incident = try? store.load(summary.id) else { continue }
            if incident.alertTrack.groupDigest == digest { return incident }
        }
        return nil
    }
}
