/// Count, mean, median and 90th percentile of a set of durations (seconds).
///
/// The median of an even count is the mean of the two middle values. The p90 is by nearest rank:
/// the value at position ⌈0.9 × n⌉ in ascending order (1-based), so it is always one of the
/// measured values: of 1 value, that value; of 2, the larger; of 10, the ninth.
public struct Distribution: Codable, Hashable, Sendable {
    public var count: Int
    /// Nil when there are no values: a missing metric is never shown as zero.
    public var mean: Double?
    public var median: Double?
    public var p90: Double?

    public init(_ values: [Double]) {
        let sorted = values.filter { $0.isFinite }.sorted()
        count = sorted.count
        guard !sorted.isEmpty else { return }
        mean = sorted.reduce(0, +) / Double(sorted.count)
        let middle = sorted.count / 2
        median = sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
        p90 = sorted[Self.nearestRank(0.9, count: sorted.count) - 1]
    }

    /// ⌈p × n⌉, at least 1, computed in integers so 0.9 × 10 is exactly 9.
    static func nearestRank(_ p: Double, count: Int) -> Int {
        let permille = Int((p * 1000).rounded())
        return max(1, (permille * count + 999) / 1000)
    }
}
