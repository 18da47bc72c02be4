import IncidentKit

/// `irctl completion bash|zsh|fish`: a completion script built from the command table, so it
/// never falls behind the commands; incident ids, severities and runbook names come from the
/// store when you press Tab (`irctl completion --values KIND`).
enum CompletionCommand {
    static let shells = ["bash", "zsh", "fish"]
    static let kinds = [
        "ids", "severities", "phases", "runbooks", "kinds", "states", "audiences", "formats",
    ]

    static let command = Command(
        name: "completion", summary: "print a shell completion script (bash, zsh, fish)",
        usage: ["completion bash|zsh|fish", "completion --values KIND"],
        discussion: """
            Prints a completion script for commands, options, incident ids, severities, phases and
            runbook names. Install it once:
              bash  irctl completion bash > ~/.local/share/bash-completion/completions/irctl
              zsh   irctl completion zsh > "${fpath[1]}/_irctl"   (then restart zsh)
              fish  irctl completion fish > ~/.config/fish/completions/irctl.fish
            The scripts ask irctl for the store's values as you type (--values KIND, one per line):
            ids (open incidents first), severities, phases, runbooks, kinds, states, audiences, formats.
            """,
        options: [
            .value(
                "--values", value: "KIND",
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
        case "bash": invocation.output.write(bash())
        case "zsh": invocation.output.write(zsh())
        case "fish": invocation.output.write(fish())
        default:
            throw ValueError.invalidValue(
                option: "SHELL", value: shell, expected: shells.joined(separator: ", "))
        }
        return ExitCode.success
    }

    static func values(_ kind: String, invocation: Invocation) throws -> [String] {
        switch kind {
        case "ids":
            let (summaries, _) = invocation.store.summaries()
            return summaries.sorted { ($0.isOpen ? 0 : 1, $0.id) < ($1.isOpen ? 0 : 1, $1.id) }.map(
                \.id.description)
        case "severities":
            return ((try? invocation.config()) ?? StoreConfig()).severityScheme.levels.map(\.name)
        case "phases": return Phase.allCases.map(\.rawValue)
        case "runbooks":
            let config = (try? invocation.config()) ?? StoreConfig()
            return try invocation.runbookLibrary(config: config).list().runbooks.map(\.name)
        case "kinds": return EntryKind.loggable.map(\.rawValue)
        case "states": return StatusUpdate.State.allCases.map(\.rawValue)
        case "audiences": return StatusUpdate.Audience.allCases.map(\.rawValue)
        case "formats": return StatusUpdate.Format.allCases.map(\.rawValue)
        default:
            throw ValueError.invalidValue(
                option: "--values", value: kind, expected: kinds.joined(separator: ", "))
        }
    }

    // MARK: What to complete

    /// The value kind an option takes, for options whose values irctl knows; "file" for paths.
    static func kind(of option: OptionSpec) -> String? {
        switch option.key {
        case "severity": "severities"
        case "phase": "phases"
        case "runbook": "runbooks"
        case "kind": "kinds"
        case "state": "states"
        case "audience": "audiences"
        case "format": "formats"
        case "incident": "ids"
        case "dir", "output", "runbooks": "file"
        default: nil
        }
    }

    /// What a command's positional words are, after the command name.
    static func positionals(_ command: String) -> [String] {
        switch command {
        case "help": ["commands"]
        case "completion": ["shells"]
        case "phase": ["ids", "phases"]
        case "severity": ["ids", "severities"]
        case "runbook": ["subcommands"]
        case "site": ["sitecommands"]
        case "action": ["verbs", "ids"]
        case "change": ["changewords"]
        case "evidence": ["ids", "evidencesources"]
        case "init", "list", "actions", "stats", "reindex", "check", "search", "grep", "changes":
            []
        default: ["ids"]
        }
    }

    /// The words after `irctl site`.
    static var siteWords: String { SiteCommand.subcommands.joined(separator: " ") }

    static var commandNames: [String] { Commands.all.flatMap { [$0.name] + $0.aliases } }

    static func optionNames(_ command: Command) -> [String] {
        (command.options + GlobalOptions.all.filter { command.json || $0.key != "json" }).flatMap(
            \.names)
    }

    /// Every option that takes a value, so the scripts skip its value when counting words.
    static var valueTaking: String {
        Array(
            Set(
                (Commands.all.flatMap(\.options) + GlobalOptions.all).filter { $0.value != nil }
                    .flatMap(\.names))
        ).sorted().joined(separator: "|")
    }

    static func valueOptions() -> [(names: [String], kind: String?)] {
        var seen = Set<String>()
        var result: [(names: [String], kind: String?)] = []
        for option in Commands.all.flatMap(\.options) + GlobalOptions.all where option.value != nil
        {
            let joined = option.names.joined(separator: "|")
            guard seen.insert(joined).inserted else { continue }
            result.append((option.names, kind(of: option)))
        }
        return result
    }

    // MARK: bash

    static func bash() -> String {
        var out = """
            # bash completion for irctl. Install:
            #   irctl completion bash > ~/.local/share/bash-completion/completions/irctl
            _irctl_values() { irctl completion --values "$1" 2>/dev/null; }
            # The candidates as irctl printed them, one a line: compgen -W would expand each again
            # (a value '$(cmd)' would run), so they are matched against the word typed as plain text.
            _irctl_reply() {
                local word
                COMPREPLY=()
                while IFS= read -r word; do
                    [[ "$word" == "$cur"* ]] && COMPREPLY+=("$word")
                done < <(_irctl_values "$1")
            }
            _irctl() {
                local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}"
                local i cmd="" position=0
                for ((i = 1; i < COMP_CWORD; i++)); do
                    case "${COMP_WORDS[i]}" in
                        \(valueTaking)) ((i++)) ;;
                        -*) ;;
                        *) if [[ -z "$cmd" ]]; then cmd="${COMP_WORDS[i]}"; else ((position++)); fi ;;
                    esac
                done
                if [[ -z "$cmd" && "$cur" != -* ]]; then
                    COMPREPLY=($(compgen -W "\(commandNames.joined(separator: " "))" -- "$cur")); return
                fi
                case "$prev" in

            """
        for (names, kind) in valueOptions() {
            let pattern = names.joined(separator: "|")
            switch kind {
            case "file"?:
                out += "        \(pattern)) COMPREPLY=($(compgen -f -- \"$cur\")); return ;;\n"
            case let kind?: out += "        \(pattern)) _irctl_reply \(kind); return ;;\n"
            case nil: out += "        \(pattern)) return ;;\n"
            }
        }
        out += """
                esac
                if [[ "$cur" == -* ]]; then
                    case "$cmd" in

            """
        for command in Commands.all {
            let names = ([command.name] + command.aliases).joined(separator: "|")
            out +=
                "            \(names)) COMPREPLY=($(compgen -W \"\(optionNames(command).joined(separator: " "))\" -- \"$cur\")) ;;\n"
        }
        out += """
                        *) COMPREPLY=($(compgen -W "\(GlobalOptions.all.flatMap(\.names).joined(separator: " "))" -- "$cur")) ;;
                    esac
                    return
                fi
                local kind=""
                case "$cmd" in

            """
        var byShape: [[String]: [String]] = [:]
        for command in Commands.all {
            byShape[positionals(command.name), default: []] += [command.name] + command.aliases
        }
        for (shape, names) in byShape.sorted(by: { $0.value[0] < $1.value[0] }) where !shape.isEmpty
        {
            let cases = shape.enumerated().map { "\($0.offset)) kind=\($0.element) ;;" }.joined(
                separator: " ")
            out += "        \(names.joined(separator: "|"))) case $position in \(cases) esac ;;\n"
        }
        out += """
                esac
                case "$kind" in
                    commands) COMPREPLY=($(compgen -W "\(commandNames.joined(separator: " "))" -- "$cur")) ;;
                    shells) COMPREPLY=($(compgen -W "\(shells.joined(separator: " "))" -- "$cur")) ;;
                    subcommands) COMPREPLY=($(compgen -W "\(RunbookCommand.subcommands.joined(separator: " "))" -- "$cur")) ;;
                    sitecommands) COMPREPLY=($(compgen -W "\(siteWords)" -- "$cur")) ;;
                    verbs) COMPREPLY=($(compgen -W "add done reopen edit" -- "$cur")) ;;
                    changewords) COMPREPLY=($(compgen -W "record import" -- "$cur")) ;;
                    evidencesources) COMPREPLY=($(compgen -W "promql" -- "$cur")) ;;
                    ?*) _irctl_reply "$kind" ;;
                esac
            }
            complete -F _irctl irctl

            """
        return out
    }

    // MARK: zsh

    static func zsh() -> String {
        var out = """
            #compdef irctl
            # zsh completion for irctl. Install:
            #   irctl completion zsh > "${fpath[1]}/_irctl"   (then restart zsh)
            _irctl() {
                local -a candidates
                local cur=${words[CURRENT]} prev=${words[CURRENT-1]} cmd="" i position=0
                for ((i = 2; i < CURRENT; i++)); do
                    case ${words[i]} in
                        \(valueTaking)) ((i++)) ;;
                        -*) ;;
                        *) if [[ -z $cmd ]]; then cmd=${words[i]}; else ((position++)); fi ;;
                    esac
                done
                if [[ -z $cmd && $cur != -* ]]; then
                    compadd -- \(commandNames.joined(separator: " ")); return
                fi
                case $prev in

            """
        for (names, kind) in valueOptions() {
            let pattern = names.joined(separator: "|")
            switch kind {
            case "file"?: out += "        \(pattern)) _files; return ;;\n"
            case let kind?:
                out +=
                    "        \(pattern)) candidates=(${(f)\"$(irctl completion --values \(kind) 2>/dev/null)\"}); compadd -a candidates; return ;;\n"
            case nil: out += "        \(pattern)) return ;;\n"
            }
        }
        out += """
                esac
                if [[ $cur == -* ]]; then
                    case $cmd in

            """
        for command in Commands.all {
            let names = ([command.name] + command.aliases).joined(separator: "|")
            out +=
                "            \(names)) compadd -- \(optionNames(command).joined(separator: " ")) ;;\n"
        }
        out += """
                        *) compadd -- \(GlobalOptions.all.flatMap(\.names).joined(separator: " ")) ;;
                    esac
                    return
                fi
                local kind=""
                case $cmd in

            """
        var byShape: [[String]: [String]] = [:]
        for command in Commands.all {
            byShape[positionals(command.name), default: []] += [command.name] + command.aliases
        }
        for (shape, names) in byShape.sorted(by: { $0.value[0] < $1.value[0] }) where !shape.isEmpty
        {
            let cases = shape.enumerated().map { "\($0.offset)) kind=\($0.element) ;;" }.joined(
                separator: " ")
            out += "        \(names.joined(separator: "|"))) case $position in \(cases) esac ;;\n"
        }
        out += """
                esac
                case $kind in
                    commands) compadd -- \(commandNames.joined(separator: " ")) ;;
                    shells) compadd -- \(shells.joined(separator: " ")) ;;
                    subcommands) compadd -- \(RunbookCommand.subcommands.joined(separator: " ")) ;;
                    sitecommands) compadd -- \(siteWords) ;;
                    verbs) compadd -- add done reopen edit ;;
                    changewords) compadd -- record import ;;
                    evidencesources) compadd -- promql ;;
                    ?*) candidates=(${(f)"$(irctl completion --values $kind 2>/dev/null)"}); compadd -a candidates ;;
                esac
            }
            if [[ $funcstack[1] == _irctl ]]; then _irctl "$@"; else compdef _irctl irctl; fi

            """
        return out
    }

    // MARK: fish

    static func fish() -> String {
        func quoted(_ text: String) -> String {
            "'"
                + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(
                    of: "'", with: "\\'") + "'"
        }
        var out = """
            # fish completion for irctl. Install:
            #   irctl completion fish > ~/.config/fish/completions/irctl.fish
            complete -c irctl -f

            """
        for command in Commands.all {
            for name in [command.name] + command.aliases {
                out +=
                    "complete -c irctl -n __fish_use_subcommand -a \(name) -d \(quoted(command.summary))\n"
            }
        }
        for option in GlobalOptions.all {
            out +=
                "complete -c irctl" + flags(option) + (option.value != nil ? " -r" : "")
                + " -d \(quoted(option.help))\n"
        }
        for command in Commands.all {
            let condition =
                " -n "
                + quoted(
                    "__fish_seen_subcommand_from "
                        + ([command.name] + command.aliases).joined(separator: " "))
            for option in command.options {
                var line = "complete -c irctl" + condition + flags(option)
                switch (option.value, kind(of: option)) {
                case (nil, _): break
                case (_, "file"?): line += " -r -F"
                case (_, let kind?):
                    line += " -x -a " + quoted("(irctl completion --values \(kind) 2>/dev/null)")
                default: line += " -r"
                }
                out += line + " -d \(quoted(option.help))\n"
            }
            let shape = positionals(command.name)
            if let first = shape.first {
                let words: String =
                    switch first {
                    case "commands": commandNames.joined(separator: " ")
                    case "shells": shells.joined(separator: " ")
                    case "subcommands": RunbookCommand.subcommands.joined(separator: " ")
                    case "sitecommands": SiteCommand.subcommands.joined(separator: " ")
                    case "verbs": "add done reopen edit"
                    case "changewords": "record import"
                    case "evidencesources": "promql"
                    default: "(irctl completion --values \(first) 2>/dev/null)"
                    }
                out += "complete -c irctl" + condition + " -a " + quoted(words) + "\n"
            }
        }
        return out
    }

    private static func flags(_ option: OptionSpec) -> String {
        option.names.map { name in
            name.hasPrefix("--") ? " -l " + name.dropFirst(2) : " -s " + name.dropFirst(1)
        }.joined()
    }
}
