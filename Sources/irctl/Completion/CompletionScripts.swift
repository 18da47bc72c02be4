/// The bash, zsh and fish completion scripts, made from the command declarations: a command's
/// options, its subcommands and what each positional word and option value is.
enum CompletionScripts {
    /// What the scripts do for a kind of value: a `--values` kind, `words:a b c`, `file` or
    /// `dir`; nil when there is nothing to offer.
    static func tag(_ kind: ValueKind) -> String? {
        switch kind {
        case .store(let values): values.rawValue
        case .words(let words): "words:" + words.joined(separator: " ")
        case .helpSubject:
            "words:"
                + (commandNames + ["topics"] + HelpTopic.all.map(\.name)).joined(separator: " ")
        case .file: "file"
        case .directory: "dir"
        case .text, .time, .number, .program: nil
        }
    }

    static var commandNames: [String] { Commands.all.flatMap(\.names) }
    static var commands: String { commandNames.joined(separator: " ") }
    static var globals: String { GlobalOptions.all.flatMap(\.spellings).joined(separator: " ") }

    static func optionNames(_ command: Command, _ subcommand: Subcommand? = nil) -> [String] {
        (command.options(of: subcommand) + command.globalOptions).flatMap(\.spellings)
    }

    /// The options to offer after a command, as `case` arms in `sh`'s syntax: a subcommand's
    /// own once it is named, else all of the command's. `offer` turns words into a command.
    static func optionCases(indent: String, offer: (String) -> String) -> String {
        var out = ""
        for command in Commands.all {
            let names = command.names.joined(separator: "|")
            let all = offer(optionNames(command).joined(separator: " "))
            guard !command.subcommands.isEmpty else {
                out += indent + "\(names)) \(all) ;;\n"
                continue
            }
            out += indent + "\(names)) case $sub in\n"
            for sub in command.subcommands {
                let words = optionNames(command, sub).joined(separator: " ")
                out +=
                    indent + "    \(sub.names.joined(separator: "|"))) \(offer(words)) ;;\n"
            }
            out += indent + "    *) \(all) ;;\n" + indent + "esac ;;\n"
        }
        return out
    }

    /// Every option that takes a value, so the scripts skip its value when counting words.
    static var valueTaking: String {
        Array(
            Set(
                (Commands.all.flatMap(\.options) + GlobalOptions.all).filter { $0.value != nil }
                    .flatMap(\.spellings))
        ).sorted().joined(separator: "|")
    }

    /// The value options, each spelling set once, with what their value is.
    static func valueOptions() -> [(names: [String], tag: String?)] {
        var seen = Set<String>()
        var result: [(names: [String], tag: String?)] = []
        for option in Commands.all.flatMap(\.options) + GlobalOptions.all where option.value != nil
        {
            let joined = option.spellings.joined(separator: "|")
            guard seen.insert(joined).inserted else { continue }
            result.append((option.spellings, tag(option.kind)))
        }
        return result
    }

    /// `case $position in 0) kind=ids ;; … esac` for a list of positional words; a repeating
    /// last word covers every position after it.
    static func positionCase(_ arguments: [ArgumentSpec], from start: Int = 0) -> String {
        var cases: [String] = []
        for (offset, argument) in arguments.enumerated() {
            let position =
                argument.repeats && offset == arguments.count - 1
                ? "*" : String(start + offset)
            cases.append("\(position)) kind='\(tag(argument.kind) ?? "")' ;;")
        }
        return "case $position in \(cases.joined(separator: " ")) esac"
    }

    /// The positional section shared by bash and zsh: sets `kind` from `cmd`, `sub` and
    /// `position`.
    static func positionalCases(indent: String) -> String {
        var out = ""
        for command in Commands.all {
            let names = command.names.joined(separator: "|")
            if command.subcommands.isEmpty {
                let kinds = command.positionalKinds
                guard kinds.contains(where: \.offersSomething) else { continue }
                let shown = command.forms.isEmpty ? command.arguments : nil
                let arguments =
                    shown ?? kinds.map { ArgumentSpec(label: "", kind: $0) }
                out += indent + "\(names)) \(positionCase(arguments)) ;;\n"
            } else {
                let words = command.subcommands.flatMap { [$0.name] + $0.aliases }
                var inner = ""
                for sub in command.subcommands
                where sub.arguments.contains(where: \.kind.offersSomething) {
                    inner +=
                        "\((([sub.name] + sub.aliases).joined(separator: "|")))) "
                        + positionCase(sub.arguments, from: 1) + " ;; "
                }
                out +=
                    indent + "\(names)) if [[ $position == 0 ]]; then kind='words:"
                    + words.joined(separator: " ") + "'; else case $sub in \(inner)esac; fi ;;\n"
            }
        }
        return out
    }

    // MARK: bash

    static func bash() -> String {
        var out = """
            # bash completion for irctl. Install:
            #   mkdir -p ~/.local/share/bash-completion/completions
            #   irctl completion bash > ~/.local/share/bash-completion/completions/irctl
            _irctl_values() { irctl completion --values "$1" 2>/dev/null; }
            # The candidates as irctl printed them, one a line: compgen -W would expand each again
            # (a value '$(cmd)' would run), so they are matched against the word typed, as text.
            _irctl_reply() {
                local word
                COMPREPLY=()
                while IFS= read -r word; do
                    [[ "$word" == "$cur"* ]] && COMPREPLY+=("$word")
                done < <(_irctl_values "$1")
            }
            _irctl() {
                local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}"
                local i cmd="" sub="" position=0 dir=""
                for ((i = 1; i < COMP_CWORD; i++)); do
                    case "${COMP_WORDS[i]}" in
                        --dir) dir="${COMP_WORDS[i+1]}"; ((i++)) ;;
                        --dir=*) dir="${COMP_WORDS[i]#--dir=}" ;;
                        \(valueTaking)) ((i++)) ;;
                        -*) ;;
                        *) if [[ -z "$cmd" ]]; then cmd="${COMP_WORDS[i]}"
                           else [[ $position == 0 ]] && sub="${COMP_WORDS[i]}"
                            ((position++)); fi ;;
                    esac
                done
                # A --dir on the line picks the store the values come from, as for the command.
                [[ "$dir" == "~"* ]] && dir="$HOME${dir#"~"}"
                [[ -n "$dir" ]] && local -x IRCTL_DIR="$dir"
                if [[ -z "$cmd" && "$cur" != -* ]]; then
                    COMPREPLY=($(compgen -W "\(commands)" -- "$cur")); return
                fi
                local kind=""
                case "$prev" in

            """
        for (names, tag) in valueOptions() {
            out += "        \(names.joined(separator: "|"))) kind='\(tag ?? "")' ;;\n"
        }
        out += """
                    *)
                if [[ "$cur" == -* ]]; then
                    case "$cmd" in

            """
        out += optionCases(indent: "            ") {
            "COMPREPLY=($(compgen -W \"\($0)\" -- \"$cur\"))"
        }
        out += """
                        *) COMPREPLY=($(compgen -W "\(globals)" -- "$cur")) ;;
                    esac
                    return
                fi
                case "$cmd" in

            """
        out += positionalCases(indent: "            ")
        out += """
                esac ;;
                esac
                case "$kind" in
                    words:*) COMPREPLY=($(compgen -W "${kind#words:}" -- "$cur")) ;;
                    file) COMPREPLY=($(compgen -f -- "$cur")) ;;
                    dir) COMPREPLY=($(compgen -d -- "$cur")) ;;
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
                local cur=${words[CURRENT]} prev=${words[CURRENT-1]}
                local cmd="" sub="" i position=0 dir=""
                for ((i = 2; i < CURRENT; i++)); do
                    case ${words[i]} in
                        --dir) dir=${words[i+1]}; ((i++)) ;;
                        --dir=*) dir=${words[i]#--dir=} ;;
                        \(valueTaking)) ((i++)) ;;
                        -*) ;;
                        *) if [[ -z $cmd ]]; then cmd=${words[i]}
                           else [[ $position == 0 ]] && sub=${words[i]}; ((position++)); fi ;;
                    esac
                done
                # A --dir on the line picks the store the values come from, as for the command.
                [[ -n $dir ]] && local -x IRCTL_DIR=${dir/#\\~/$HOME}
                if [[ -z $cmd && $cur != -* ]]; then
                    compadd -- \(commandNames.joined(separator: " ")); return
                fi
                case $prev in

            """
        for (names, tag) in valueOptions() {
            let pattern = names.joined(separator: "|")
            switch tag {
            case "file"?: out += "        \(pattern)) _files; return ;;\n"
            case "dir"?: out += "        \(pattern)) _files -/; return ;;\n"
            case let tag? where tag.hasPrefix("words:"):
                out += "        \(pattern)) compadd -- \(tag.dropFirst(6)); return ;;\n"
            case let tag?:
                out +=
                    "        \(pattern)) candidates=(${(f)\"$(irctl completion --values \(tag) "
                    + "2>/dev/null)\"}); compadd -a candidates; return ;;\n"
            case nil: out += "        \(pattern)) return ;;\n"
            }
        }
        out += """
                esac
                if [[ $cur == -* ]]; then
                    case $cmd in

            """
        out += optionCases(indent: "            ") { "compadd -- \($0)" }
        out += """
                        *) compadd -- \(globals) ;;
                    esac
                    return
                fi
                local kind=""
                case $cmd in

            """
        out += positionalCases(indent: "        ")
        out += """
                esac
                case $kind in
                    words:*) compadd -- ${=kind#words:} ;;
                    file) _files ;;
                    dir) _files -/ ;;
                    ?*) candidates=(${(f)"$(irctl completion --values $kind 2>/dev/null)"})
                        compadd -a candidates ;;
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
        func candidates(_ tag: String) -> String {
            tag.hasPrefix("words:")
                ? String(tag.dropFirst(6)) : "(irctl completion --values \(tag) 2>/dev/null)"
        }
        var out = """
            # fish completion for irctl. Install:
            #   mkdir -p ~/.config/fish/completions
            #   irctl completion fish > ~/.config/fish/completions/irctl.fish
            complete -c irctl -f

            """
        for command in Commands.all {
            for name in command.names {
                out +=
                    "complete -c irctl -n __fish_use_subcommand -a \(name) -d "
                    + quoted(command.summary) + "\n"
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
                + quoted("__fish_seen_subcommand_from " + command.names.joined(separator: " "))
            for option in command.options {
                var line = "complete -c irctl" + condition + flags(option)
                switch (option.value, tag(option.kind)) {
                case (nil, _): break
                case (_, "file"?): line += " -r -F"
                case (_, "dir"?): line += " -x -a '(__fish_complete_directories)'"
                case (_, let tag?): line += " -x -a " + quoted(candidates(tag))
                default: line += " -r"
                }
                out += line + " -d \(quoted(option.help))\n"
            }
            // The first positional word: a subcommand, or what the command takes first.
            if !command.subcommands.isEmpty {
                for sub in command.subcommands {
                    out +=
                        "complete -c irctl" + condition
                        + " -a \(sub.name) -d \(quoted(sub.summary))\n"
                }
            } else if let first = command.positionalKinds.first, let tag = tag(first) {
                switch tag {
                case "file": out += "complete -c irctl" + condition + " -F\n"
                case "dir":
                    out += "complete -c irctl" + condition + " -a '(__fish_complete_directories)'\n"
                default:
                    out += "complete -c irctl" + condition + " -a " + quoted(candidates(tag)) + "\n"
                }
            }
        }
        return out
    }

    private static func flags(_ option: OptionSpec) -> String {
        option.spellings.map { name in
            name.hasPrefix("--") ? " -l " + name.dropFirst(2) : " -s " + name.dropFirst(1)
        }.joined()
    }
}
