import IncidentKit

/// Every command, in the order `irctl help` lists them.
enum Commands {
    static let all: [Command] = [
        InitCommand.command,
        WhereCommand.command,
        DeclareCommand.detect,
        DeclareCommand.declare,
        LogCommand.command,
        PhaseCommand.command,
        PhaseCommand.shortcut(.contain),
        PhaseCommand.shortcut(.eradicate),
        PhaseCommand.shortcut(.recover),
        PhaseCommand.shortcut(.review),
        SeverityCommand.command,
        AssignCommand.command,
        LabelCommands.service,
        LabelCommands.tag,
        LabelCommands.link,
        ListCommand.command,
        ShowCommand.command,
        SearchCommand.command,
        SimilarCommand.command,
        CloseCommand.close,
        CloseCommand.reopen,
        // Postmortem, narrative, action items, check, stats.
        SetCommand.command,
        EditCommand.command,
        ActionCommand.command,
        ActionCommand.list,
        PostmortemCommand.command,
        CheckCommand.command,
        StatsCommand.command,
        // Seeing it: the static site and one incident's report.
        SiteCommand.command,
        ReportCommand.command,

        // Runbooks, steps and recorded commands.
        RunbookCommand.command,
        StepCommand.command,
        ExecCommand.command,

        // Evidence and what changed.
        EvidenceCommand.command,
        ChangeCommand.command,
        ChangeCommand.list,
        ChangeCommand.suspects,

        // Verification and security commands.
        VerifyCommand.command,

        // Alerts in: Alertmanager webhooks.
        IngestCommand.command,
        ServeCommand.command,
        // Communicating, reconstructing, exporting.
        UpdateCommand.command,
        StrikeCommand.command,
        CompletionCommand.command,

        // Team sync through git.
        SyncCommand.command,
        GitHookCommand.command,
        RestoreCommand.command,

        ReindexCommand.command,
        HelpCommand.command,
    ]

    static func find(_ name: String) -> Command? {
        all.first { $0.name == name || $0.aliases.contains(name) }
    }
}

/// `irctl help [COMMAND [SUB] | TOPIC | topics]`, `--man` and `--markdown-table`.
enum HelpCommand {
    static let command = Command(
        name: "help", summary: "show help for irctl, one command, or a topic",
        forms: [
            UsageForm(
                arguments: [
                    .optional("COMMAND", .helpSubject), .optional("SUBCOMMAND"),
                ], options: []),
            UsageForm(arguments: [.required("TOPIC", .helpSubject)], options: []),
            UsageForm(arguments: [], options: ["man"], required: ["man"]),
            UsageForm(arguments: [], options: ["markdown-table"], required: ["markdown-table"]),
        ],
        discussion: """
            'irctl help topics' lists the guides: how times are written, the JSON shapes, the store,
            working as a team, alerts, status updates, security, config.json and exit codes.
            --man prints the manual page irctl(1) as roff, made from the same declarations as
            this help; read it with  irctl help --man | man -l -  or install it with
            irctl help --man > ~/.local/share/man/man1/irctl.1
            --markdown-table prints the README's table of commands (between its
            'commands:begin' and 'commands:end' markers); a test fails when the README's copy is
            stale.
            """,
        options: [
            .flag("--man", help: "print the manual page irctl(1) as roff"),
            .flag("--markdown-table", help: "print the README's table of commands (markdown)"),
        ],
        json: false,
        examples: [
            "irctl help declare", "irctl help action add", "irctl help times",
            "irctl help --man | man -l -",
        ],
        run: run)

    static func run(_ invocation: Invocation) throws -> Int32 {
        let output = invocation.output
        let words = invocation.positionals
        let man = invocation.arguments.flag("man")
        let table = invocation.arguments.flag("markdown-table")
        if man || table {
            if man && table {
                throw UsageError(
                    "--man and --markdown-table exclude each other; give one", command: "help")
            }
            try invocation.expectPositionals(atMost: 0)
            output.write(man ? ManPage.render() : HelpText.markdownTable())
            return ExitCode.success
        }
        guard let name = words.first else {
            output.write(
                HelpText.overview(
                    style: output.style, scheme: (try? invocation.config())?.severityScheme))
            return ExitCode.success
        }
        if name == "topics" {
            try invocation.expectPositionals(atMost: 1)
            output.write(HelpText.topics(style: output.style))
            return ExitCode.success
        }
        if let topic = HelpTopic.find(name) {
            try invocation.expectPositionals(atMost: 1)
            output.write(HelpText.topic(topic, style: output.style, width: output.width))
            return ExitCode.success
        }
        guard let command = Commands.find(name) else {
            let shown = TerminalText.singleLine(String(name.prefix(60)))
            let names = Commands.all.flatMap(\.names) + HelpTopic.all.map(\.name) + ["topics"]
            if let guess = ArgumentParser.suggestion(for: name, among: names) {
                throw UsageError(
                    "no command or topic '\(shown)'; did you mean '\(guess)'? "
                        + "Run 'irctl help' to see them",
                    followed: .byNothing)
            }
            throw UsageError(
                "no command or topic '\(shown)'; run 'irctl help' to see them", followed: .byNothing
            )
        }
        try invocation.expectPositionals(atMost: 2)
        var sub: Subcommand?
        if words.count == 2 {
            let word = words[1]
            guard let found = command.subcommand(word) else {
                let shown = TerminalText.singleLine(String(word.prefix(60)))
                let names = command.subcommands.map(\.name)
                guard !names.isEmpty else {
                    throw UsageError(
                        "'irctl \(command.name)' has no subcommands; "
                            + "run 'irctl help \(command.name)'",
                        followed: .byNothing)
                }
                let guess =
                    ArgumentParser.suggestion(for: word, among: names).map {
                        "; did you mean '\($0)'? The \(command.subcommandNoun)s are "
                    } ?? "; use one of "
                throw UsageError(
                    "unknown \(command.subcommandNoun) '\(shown)' of 'irctl \(command.name)'"
                        + guess
                        + names.joined(separator: ", "), followed: .byNothing)
            }
            sub = found
        }
        output.write(HelpText.command(command, subcommand: sub, style: output.style))
        return ExitCode.success
    }
}
