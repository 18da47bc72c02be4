import IncidentKit

/// `irctl help`, `irctl help COMMAND [SUB]` and `irctl help TOPIC`, made from the declarations.
enum HelpText {
    static let defaultScheme = "(default scheme; a store may define its own in config.json)"
    static let storeScheme = "(this store's scheme, from its config.json)"

    /// `scheme`: the store's own severity levels, when it defines them.
    static func overview(style: Style, scheme: SeverityScheme? = nil) -> String {
        let custom = scheme.flatMap { $0 == .standard ? nil : $0 }
        var text = """
            irctl \(IncidentKit.version): \(ManPage.tagline).

            \(style.bold("USAGE"))
              irctl <command> [INCIDENT] [arguments] [--options]
              irctl help <command> [<subcommand>] | <topic> | topics

            \(style.bold("COMMANDS"))

            """
        let width = Commands.all.map(\.name.count).max() ?? 10
        for command in Commands.all {
            text += "  " + pad(command.name, to: width) + "  " + command.summary + "\n"
        }
        text += "\n\(style.bold("GLOBAL OPTIONS"))\n"
        text += optionLines(GlobalOptions.all)
        text += """
              --version           print the version

            \(style.bold("SEVERITIES")) \(custom == nil ? defaultScheme : storeScheme)

            """
        let levels = (custom ?? .standard).levels
        let nameWidth = levels.map { displayWidth(TerminalText.singleLine($0.name)) }.max() ?? 4
        for level in levels {
            text +=
                "  " + pad(TerminalText.singleLine(level.name), to: nameWidth) + "  "
                + TerminalText.singleLine(level.description) + "\n"
        }
        text += "  Input accepts SEV2, sev2, 2 or P2.\n\n\(style.bold("PHASES"))\n"
        for phase in Phase.allCases {
            text += "  " + pad(phase.rawValue, to: 11) + phase.meaning + "\n"
        }
        text += """

            \(style.bold("TIMES")) (--at, --started, --detected, --since, --until, --due)
              2026-11-21T14:02:00Z, 2026-11-21 14:02 (local), 14:02, Nov 23 14:02 (as show prints),
              yesterday 23:10, 10m ago, -10m, 2h ago, now; due dates also +3d, in 2 hours.
              Where only the past makes sense (--at, --started, --detected), a bare 14:02 later
              than now is yesterday's. Every command that records something takes --at.
              Shown in local time (TZ), or UTC with --utc. More: 'irctl help times'.

            \(style.bold("EXIT STATUS"))
              0 success, 1 the operation failed, 2 usage error.

            \(style.bold("HELP TOPICS"))

            """
        text += topicLines()
        text += """

            Run 'irctl help <command>' for a command's options, 'irctl help <topic>' for a guide.

            """
        return text
    }

    static func topicLines() -> String {
        let width = HelpTopic.all.map(\.name.count).max() ?? 10
        return HelpTopic.all.map { "  " + pad($0.name, to: width) + "  " + $0.summary + "\n" }
            .joined()
    }

    /// `irctl help topics`.
    static func topics(style: Style) -> String {
        "\(style.bold("HELP TOPICS"))\n" + topicLines()
            + "\nRun 'irctl help <topic>' to read one.\n"
    }

    static func topic(_ topic: HelpTopic, style: Style, width: Int?) -> String {
        "irctl help \(topic.name): \(topic.summary)\n\n"
            + Prose(topic.text).terminal(style: style, width: min(width ?? 80, 100))
    }

    static func command(_ command: Command, subcommand: Subcommand? = nil, style: Style) -> String {
        if let subcommand { return self.subcommand(subcommand, of: command, style: style) }
        var text = "irctl \(command.name): \(command.summary)\n\n\(style.bold("USAGE"))\n"
        for usage in command.usage { text += "  irctl \(usage)\n" }
        if !command.aliases.isEmpty {
            text += "  (also: \(command.aliases.joined(separator: ", ")))\n"
        }
        if !command.subcommands.isEmpty {
            let width = command.subcommands.map(\.name.count).max() ?? 4
            text += "\n\(style.bold("SUBCOMMANDS"))\n"
            for sub in command.subcommands {
                let also =
                    sub.aliases.isEmpty ? "" : " (also: \(sub.aliases.joined(separator: ", ")))"
                text += "  " + pad(sub.name, to: width) + "  " + sub.summary + also + "\n"
            }
            text += "  Run 'irctl help \(command.name) <subcommand>' for one of them.\n"
        }
        if !command.discussion.isEmpty {
            text += "\n" + command.discussion.trimmingCharacters(in: .newlines) + "\n"
        }
        if !command.options.isEmpty {
            text += "\n\(style.bold("OPTIONS"))\n" + optionLines(command.options)
        }
        text += "\n\(style.bold("GLOBAL OPTIONS"))\n" + optionLines(command.globalOptions)
        if !command.examples.isEmpty {
            text +=
                "\n\(style.bold("EXAMPLES"))\n"
                + command.examples.map { "  $ " + $0 }.joined(separator: "\n") + "\n"
        }
        return text
    }

    static func subcommand(_ sub: Subcommand, of command: Command, style: Style) -> String {
        var text =
            "irctl \(command.name) \(sub.name): \(sub.summary)\n\n\(style.bold("USAGE"))\n"
            + "  irctl \(command.usage(of: sub))\n"
        if !sub.aliases.isEmpty { text += "  (also: \(sub.aliases.joined(separator: ", ")))\n" }
        if !sub.discussion.isEmpty {
            text += "\n" + sub.discussion.trimmingCharacters(in: .newlines) + "\n"
        }
        let options = command.options(of: sub)
        if !options.isEmpty { text += "\n\(style.bold("OPTIONS"))\n" + optionLines(options) }
        text += "\n\(style.bold("GLOBAL OPTIONS"))\n" + optionLines(command.globalOptions)
        if !sub.examples.isEmpty {
            text +=
                "\n\(style.bold("EXAMPLES"))\n"
                + sub.examples.map { "  $ " + $0 }.joined(separator: "\n") + "\n"
        }
        text += "\nMore: 'irctl help \(command.name)'.\n"
        return text
    }

    static func optionLines(_ options: [OptionSpec]) -> String {
        let labels = options.map(\.label)
        let width = max(18, labels.map(\.count).max() ?? 0)
        return zip(labels, options).map { "  " + pad($0, to: width) + "  " + $1.help + "\n" }
            .joined()
    }

    // MARK: The README's command table

    static let tableBegin = "<!-- commands:begin (irctl help --markdown-table) -->"
    static let tableEnd = "<!-- commands:end -->"

    /// The README's table of commands: each way to call it (options in `irctl help COMMAND`)
    /// and what it does.
    static func markdownTable() -> String {
        func cell(_ text: String) -> String {
            text.replacingOccurrences(of: "|", with: "\\|")
        }
        var text = "| Command | What it does |\n|---|---|\n"
        for command in Commands.all {
            let usage = command.synopsis.map { "`irctl " + cell($0) + "`" }.joined(
                separator: "<br>")
            let also =
                command.aliases.isEmpty
                ? "" : " (also `\(command.aliases.joined(separator: "`, `"))`)"
            text += "| \(usage) | \(cell(command.summary))\(also) |\n"
        }
        return text
    }

    /// `readme` with the text between the table's markers made anew.
    static func replacingTable(in readme: String) -> String? {
        guard let begin = readme.range(of: tableBegin), let end = readme.range(of: tableEnd),
            begin.upperBound <= end.lowerBound
        else { return nil }
        return String(readme[..<begin.upperBound]) + "\n" + markdownTable()
            + String(readme[end.lowerBound...])
    }
}
