/// An incident file that could not be read while listing; every other incident still lists.
public struct StoreProblem: Hashable, Sendable {
    public var path: String
    public var error: StoreError
    public var message: String { error.message }
}
