/// A lint finding in a runbook file, reported as `file:line: message`.
public struct RunbookProblem: Hashable, Sendable, CustomStringConvertible {
    public var file: String
    /// 1-based; problems about the whole file point at line 1.
    public var line: Int
    public var message: String

    public init(file: String, line: Int, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String { "\(file):\(line): \(message)" }
}
