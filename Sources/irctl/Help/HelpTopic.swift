/// A guide that is not one command, like `git help`'s: `irctl help times`.
struct HelpTopic: Sendable {
    var name: String
    /// The heading it has in the man page.
    var title: String
    /// One line for `irctl help topics`.
    var summary: String
    /// The guide, in the markdown `Prose` reads.
    var text: String

    /// In the order `irctl help topics` lists them.
    static let all: [HelpTopic] = [
        times, json, store, team, alerts, updates, security, config, exitCodes,
    ]

    static func find(_ name: String) -> HelpTopic? { all.first { $0.name == name } }
}
