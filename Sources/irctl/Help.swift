import IncidentKit

/// `irctl help` and `irctl help <command>`.
enum Help {
    /// `scheme`: the store's own severity levels, when it defines them.
    static func overview(style: Style, scheme: SeverityScheme? = nil) -> String {
        let custom = scheme.flatMap { $0 == .standard ? nil : $0 }
        var text = """
            irctl \(IncidentKit.version): declare incidents, keep their timeline, drive them through their lifecycle.

            \(style.bold("USAGE"))
              irctl <command> [INCIDENT] [arguments] [--options]

            \(style.bold("COMMANDS"))

            """
        let width = Commands.all.map(\.name.count).max() ?? 10
        for command in Commands.all {
            text += "  " + pad(command.name, to: width) + "  " + command.summary + "\n"
        }
        text += """

            \(style.bold("GLOBAL OPTIONS"))

            """
        text += optionLines(GlobalOptions.all)
        text += """
              --version           print the version

            \(style.bold("SEVERITIES")) \(custom == nil ? "(default scheme; a store may define its own in config.json)" : "(this store's scheme, from its config.json)")

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
              Shown in local time (TZ), or UTC with --utc.

            \(style.bold("EXIT STATUS"))
              0 success, 1 the operation failed, 2 usage error.

            Run 'irctl help <command>' for a command's options.

            """
        return text
    }

    static func command(_ command: Command, style: Style) -> String {
        var text = "irctl \(command.name): \(command.summary)\n\n\(style.bold("USAGE"))\n"
        for usage in command.usage { text += "  irctl \(usage)\n" }
        if !command.aliases.isEmpty {
            text += "  (also: \(command.aliases.joined(separator: ", ")))\n"
        }
        if !command.discussion.isEmpty {
            text += "\n" + command.discussion.trimmingCharacters(in: .newlines) + "\n"
        }
        if !command.options.isEmpty {
            text += "\n\(style.bold("OPTIONS"))\n" + optionLines(command.options)
        }
        text +=
            "\n\(style.bold("GLOBAL OPTIONS"))\n"
            + optionLines(GlobalOptions.all.filter { command.json || $0.key != "json" })
        if !command.examples.isEmpty {
            text +=
                "\n\(style.bold("EXAMPLES"))\n"
                + command.examples.map { "  $ " + $0 }.joined(separator: "\n") + "\n"
        }
        return text
    }

    static func optionLines(_ options: [OptionSpec]) -> String {
        let labels = options.map { spec in
            spec.names.sorted { $0.count < $1.count }.joined(separator: ", ")
                + (spec.value.map { " " + $0 } ?? "")
                + (spec.repeatable ? "..." : "")
        }
        let width = max(18, labels.map(\.count).max() ?? 0)
        return zip(labels, options).map { "  " + pad($0, to: width) + "  " + $1.help + "\n" }
            .joined()
    }
}
