/// One numbered step of a runbook.
public struct RunbookStep: Codable, Hashable, Sendable {
    /// 1-based, as numbered in the file (the parser checks they run 1, 2, 3 …).
    public var number: Int
    /// The step's first paragraph, joined into one line; inline markdown kept.
    public var text: String
    /// The step's command: the content of its fenced code block, without the fences.
    public var command: String?
    /// The line in the file where the step starts.
    public var line: Int

    public init(number: Int, text: String, command: String? = nil, line: Int) {
        self.number = number
        self.text = text
        self.command = command
        self.line = line
    }
}
