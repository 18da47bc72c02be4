/// Every command, in the order `irctl help` lists them.
enum Commands {
    static let all: [Command] = [
        InitCommand.command,
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

enum HelpCommand {
    static let command = Command(
        name: "help", summary: "show help for irctl or one command", usage: ["help [COMMAND]"],
        json: false,
        run: { invocation in
            try invocation.expectPositionals(atMost: 1)
            guard let name = invocation.positionals.first else {
                invocation.output.write(
                    Help.overview(
                        style: invocation.output.style,
                        scheme: (try? invocation.config())?.severityScheme))
                return ExitCode.success
            }
            guard let command = Commands.find(name) else {
                throw UsageError("unknown command '\(name)'; run 'irctl help' to see the commands")
            }
            invocation.output.write(Help.command(command, style: invocation.output.style))
            return ExitCode.success
        })
}
