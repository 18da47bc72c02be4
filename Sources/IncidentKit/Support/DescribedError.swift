/// An error a person can act on: `message` reads after "irctl: error: " and carries the offending
/// value and the fix.
public protocol DescribedError: Error {
    var message: String { get }
    /// True when the input was wrong (exit 2) rather than the operation failing (exit 1).
    var isUsageError: Bool { get }
}

extension DescribedError {
    public var isUsageError: Bool { false }
}
