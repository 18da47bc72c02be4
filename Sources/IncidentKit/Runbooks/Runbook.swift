/// A parsed runbook: a title, when to use it, and numbered steps, each optionally with a
/// command. The format is defined in `runbooks/README.md`.
public struct Runbook: Codable, Hashable, Sendable {
    /// The file name without `.md`; the name `irctl runbook` commands take.
    public var name: String
    public var title: String
    /// The text of the `## When to use` section, markdown kept.
    public var whenToUse: String?
    /// The suggested severity, as written (e.g. `SEV2`); nil when absent or malformed.
    public var severity: String?
    public var tags: [String]
    /// The other supported front matter keys (`services`, `owner`, `escalation`, `reviewed`).
    public var metadata: [String: String]
    public var steps: [RunbookStep]
    /// The file path, or `built-in`.
    public var source: String
    /// The full original text, for `runbook show`.
    public var markdown: String

    public init(
        name: String, title: String, whenToUse: String? = nil, severity: String? = nil,
        tags: [String] = [], metadata: [String: String] = [:], steps: [RunbookStep],
        source: String, markdown: String
    ) {
        self.name = name
        self.title = title
        self.whenToUse = whenToUse
        self.severity = severity
        self.tags = tags
        self.metadata = metadata
        self.steps = steps
        self.source = source
        self.markdown = markdown
    }

    /// The `services` front matter key as a list (empty when absent).
    public var services: [String] {
        metadata["services"].map(RunbookFormat.list) ?? []
    }

    /// Whether this runbook ships inside the binary rather than coming from a directory.
    public var isBuiltin: Bool { source == RunbookFormat.builtinSource }
}
