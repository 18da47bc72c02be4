import IncidentKit

/// `irctl completion bash|zsh|fish`: a completion script made from the command declarations, so
/// it never falls behind the commands; incident ids, severities and runbook names come from the
/// store when you press Tab (`irctl completion --values KIND`).
enum CompletionCommand {
    static let shells = ["bash", "zsh", "fish"]

    static let command = Command(
        name: "completion", summary: "print a shell completion script (bash, zsh, fish)",
        forms: [
            UsageForm(arguments: [.required("SHELL", .words(shells))], options: []),
            UsageForm(arguments: [], options: ["values"], required: ["values"]),
        ],
        discussion: """
            Prints a completion script for commands, subcommands, options, incident ids,
            severities, phases, runbook names and the other values irctl knows. Install it once
            (mkdir -p makes the folder when it is not there yet):
              bash  mkdir -p ~/.local/share/bash-completion/completions &&
                    irctl completion bash > ~/.local/share/bash-completion/completions/irctl
              zsh   irctl completion zsh > "${fpath[1]}/_irctl"   (then restart zsh)
              fish  mkdir -p ~/.config/fish/completions &&
                    irctl completion fish > ~/.config/fish/completions/irctl.fish
            The scripts ask irctl for the store's values as you type (--values KIND, one per line):
            \(StoreValues.allCases.map(\.rawValue).joined(separator: ", ")); ids are open incidents
            first. In bash and zsh, a --dir DIR on the line being completed picks the store asked.
            """,
        options: [
            .value(
                "--values", value: "KIND", kind: .words(StoreValues.allCases.map(\.rawValue)),
                help: "print the candidates of one kind, one per line (used by the scripts)")
        ],
        json: false,
        examples: [
            "irctl completion bash > ~/.local/share/bash-completion/completions/irctl",
            "irctl completion --values ids",
        ],
        run: run)

    static func run(_ invocation: Invocation) throws -> Int32 {
        if let kind = invocation.arguments.value("values") {
            try invocation.expectPositionals(atMost: 0)
            invocation.output.write(
                try values(kind, invocation: invocation).map { $0 + "\n" }.joined())
            return ExitCode.success
        }
        guard let shell = invocation.positionals.first else {
            throw UsageError(
                "missing SHELL; use one of \(shells.joined(separator: ", "))", command: "completion"
            )
        }
        try invocation.expectPositionals(atMost: 1)
        switch shell {
        case "bash": invocation.output.write(CompletionScripts.bash())
        case "zsh": invocation.output.write(CompletionScripts.zsh())
        case "fish": invocation.output.write(CompletionScripts.fish())
        default:
            let guess = ArgumentParser.suggestion(for: shell, among: shells).map {
                " (did you mean '\($0)'?)"
            }
            throw UsageError.badValue(
                ValueError.invalidValue(
                    option: "SHELL", value: shell, expected: shells.joined(separator: ", ")
                ).message + (guess ?? ""), command: "completion")
        }
        return ExitCode.success
    }

    static func values(_ kind: String, invocation: Invocation) throws -> [String] {
        guard let values = StoreValues(rawValue: kind) else {
            throw ValueError.invalidValue(
                option: "--values", value: kind,
                expected: StoreValues.allCases.map(\.rawValue).joined(separator: ", "))
        }
        switch values {
        case .ids:
            let (summaries, _) = invocation.store.summaries()
            return summaries.sorted { ($0.isOpen ? 0 : 1, $0.id) < ($1.isOpen ? 0 : 1, $1.id) }.map(
                \.id.description)
        case .severities:
            return ((try? invocation.config()) ?? StoreConfig()).severityScheme.levels.map(\.name)
        case .phases: return Phase.allCases.map(\.rawValue)
        case .runbooks:
            let config = (try? invocation.config()) ?? StoreConfig()
            return try invocation.runbookLibrary(config: config).list().runbooks.map(\.name)
        case .kinds: return EntryKind.loggable.map(\.rawValue)
        case .states: return StatusUpdate.State.allCases.map(\.rawValue)
        case .audiences: return StatusUpdate.Audience.allCases.map(\.rawValue)
        case .formats: return StatusUpdate.Format.allCases.map(\.rawValue)
        }
    }
}
