extension Incident {
    /// Keeps `evidence` on the timeline as one hashed `evidence` entry.
    @discardableResult
    public mutating func addEvidence(
        _ evidence: Evidence, context: EditContext
    ) throws -> TimelineEntry {
        guard phase != .closed else { throw LifecycleError.closed(id) }
        return record(.evidence(evidence.data), evidence.headline, context: context)
    }

    /// The evidence entries that can be read, in timeline order.
    public var evidence: [(entry: TimelineEntry, evidence: Evidence)] {
        timeline.compactMap { entry in
            guard entry.kind == .evidence, let evidence = Evidence(data: entry.data) else {
                return nil
            }
            return (entry, evidence)
        }
    }
}

extension Evidence {
    /// The entry's text: the query and what came back.
    public var headline: String {
        let count = series.count == 1 ? "1 series" : "\(series.count) series"
        return "PromQL \(query) (\(count), \(pointsKept) points"
            + (cut.map { "; \($0)" } ?? "") + ")"
    }
}
