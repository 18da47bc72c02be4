import Foundation
import IncidentKit

/// Runs one irctl command line and returns the exit status. Never traps on any input: every
/// failure becomes a message and exit 1 (operation) or 2 (usage).
struct CLI {
    var arguments: [String]
    var system: System
    /// Positions (1 = the first word after `irctl`) of arguments that were not valid UTF-8:
    /// refused, like such standard input, rather than stored with U+FFFD in place of what was
    /// typed.
    var undecodableArguments: [Int] = []

    func run() -> Int32 {
        if let position = undecodableArguments.first {
            system.writeError(
                "irctl: error: " + ValueError.invalidUTF8(what: "argument \(position)").message
                    + "\n")
            return ExitCode.usage
        }
        let noColor = arguments.contains("--no-color")
        let style = Style.decide(
            stdoutIsTerminal: system.stdoutIsTerminal, noColorFlag: noColor,
            environment: system.environment)
        var width = system.terminalWidth
        if let columns = system.environment["COLUMNS"].flatMap(Int.init), columns > 0 {
            width = columns
        }
        let output = Output(style: style, width: width, errorSink: system.writeError)

        let status: Int32
        var commandName: String?
        var subcommandName: String?
        do {
            status = try dispatch(
                output: output, commandName: &commandName, subcommandName: &subcommandName)
        } catch {
            status = report(error, commandName: commandName, subcommandName: subcommandName)
        }
        do {
            try system.writeOutput(output.text)
            if !output.bytes.isEmpty {
                if let writeBytes = system.writeOutputBytes {
                    try writeBytes(output.bytes)
                } else {
                    try system.writeOutput(String(decoding: output.bytes, as: UTF8.self))
                }
            }
        } catch let error as OutputError where error.isClosedPipe {
            return status
        } catch {
            system.writeError(
                "irctl: error: " + ((error as? DescribedError)?.message ?? "\(error)") + "\n")
            return status == ExitCode.success ? ExitCode.failure : status
        }
        return status
    }

    private func dispatch(
        output: Output, commandName: inout String?, subcommandName: inout String?
    ) throws -> Int32 {
        // `--version` anywhere before a command, answered before anything else is loaded.
        if arguments.first == "--version" || arguments == ["version"] {
            output.line("irctl \(IncidentKit.version)")
            return ExitCode.success
        }
        // The command is the first word that is not a global option or its value.
        var index = 0
        var rest = arguments
        while index < arguments.count {
            let word = arguments[index]
            if let spec = GlobalOptions.all.first(where: { $0.names.contains(word) }) {
                index += spec.value == nil ? 1 : 2
                continue
            }
            if word.hasPrefix("--"), word.contains("="),
                GlobalOptions.all.contains(where: {
                    $0.names.contains(String(word.prefix(while: { $0 != "=" })))
                })
            {
                index += 1
                continue
            }
            break
        }
        guard index < arguments.count else {
            if arguments.contains("--help") || arguments.contains("-h") || arguments.isEmpty {
                output.write(
                    HelpText.overview(style: output.style, scheme: storeConfig()?.severityScheme))
                return arguments.isEmpty ? ExitCode.usage : ExitCode.success
            }
            if arguments.contains("--version") {
                output.line("irctl \(IncidentKit.version)")
                return ExitCode.success
            }
            throw UsageError("missing command; run 'irctl help' to see the commands")
        }
        let name = arguments[index]
        rest.remove(at: index)
        guard let command = Commands.find(name) else {
            var message = "unknown command '\(TerminalText.singleLine(String(name.prefix(60))))'"
            if name.hasPrefix("-") {
                message = "unknown option '\(TerminalText.singleLine(String(name.prefix(60))))'"
            }
            // A suggestion ends in a question mark, so the hint after it is a sentence of its own.
            if let guess = ArgumentParser.suggestion(
                for: name, among: Commands.all.flatMap { [$0.name] + $0.aliases })
            {
                throw UsageError(
                    message + "; did you mean '\(guess)'? Run 'irctl help' to see the commands")
            }
            throw UsageError(message + "; run 'irctl help' to see the commands")
        }
        commandName = command.name
        let helpAsked =
            (rest.contains("--help") || rest.contains("-h"))
            && (!rest.contains("--")
                || rest.firstIndex(of: "--")!
                    > (rest.firstIndex(of: "--help") ?? rest.firstIndex(of: "-h")!))
        if helpAsked {
            let sub = rest.first { !$0.hasPrefix("-") }.flatMap(command.subcommand)
            output.write(HelpText.command(command, subcommand: sub, style: output.style))
            return ExitCode.success
        }
        var options = GlobalOptions.all + command.options
        if !command.json { options.removeAll { $0.key == "json" } }
        var parsed = try ArgumentParser.parse(
            rest, options: options, command: command.name,
            dashWords: command.dashWords)
        let subcommand = try Self.subcommand(of: command, in: &parsed)
        subcommandName = subcommand?.name
        // `init` makes a store of its own where it is told, and help needs none: a store found
        // above them (even a refused one) is no reason to fail.
        let location =
            [InitCommand.command.name, HelpCommand.command.name].contains(command.name)
            ? (try? Invocation.location(dir: parsed.value("dir"), system: system))
                ?? StoreLocation(path: "", source: .userDefault)
            : try Invocation.location(dir: parsed.value("dir"), system: system)
        let invocation = Invocation(
            command: command, subcommand: subcommand, arguments: parsed, system: system,
            output: output, location: location)
        if command.name != HelpCommand.command.name, !location.path.isEmpty {
            invocation.warnIfStoreIsNotPrivate()
        }
        guard let run = subcommand?.run ?? command.run else {
            preconditionFailure("\(command.name) declares neither subcommands nor run")
        }
        return try run(invocation)
    }

    /// The subcommand the first positional word names, taken off the positionals; nil for a
    /// command without subcommands. An unknown word, or an option the subcommand does not take,
    /// is a usage error that names what would work.
    static func subcommand(
        of command: Command, in parsed: inout ParsedArguments
    ) throws(UsageError) -> Subcommand? {
        guard !command.subcommands.isEmpty else { return nil }
        let names = command.subcommands.map(\.name)
        let list = names.joined(separator: ", ")
        guard let word = parsed.positionals.first else {
            throw UsageError(
                "missing \(command.subcommandNoun); use one of \(list)", command: command.name)
        }
        guard let subcommand = command.subcommand(word) else {
            let shown = TerminalText.singleLine(String(word.prefix(60)))
            let noun = command.subcommandNoun
            var message = "unknown \(noun) '\(shown)'"
            if let guess = ArgumentParser.suggestion(for: word, among: names) {
                message += "; did you mean '\(guess)'? The \(noun)s are \(list)"
            } else if parsed.positionals.count > 1,
                let next = command.subcommand(parsed.positionals[1])
            {
                message +=
                    "; the \(noun) goes first: irctl \(command.name) \(next.name) \(shown) …"
            } else {
                message += "; use one of \(list)"
            }
            throw UsageError(message, command: command.name)
        }
        parsed.positionals.removeFirst()
        if let count = parsed.positionalsBeforeTerminator {
            parsed.positionalsBeforeTerminator = count - 1
        }
        let given = command.options.filter { parsed.has($0.key) }
        if let stray = given.first(where: { !subcommand.options.contains($0.key) }) {
            let takers = command.subcommands.filter { $0.options.contains(stray.key) }.map(\.name)
            throw UsageError(
                "\(stray.primary) does not apply to 'irctl \(command.name) \(subcommand.name)'"
                    + (takers.isEmpty ? "" : "; it goes with \(takers.joined(separator: ", "))"),
                command: command.name, subcommand: subcommand.name)
        }
        return subcommand
    }

    /// The store's config, read best-effort from the global options alone (for help and the error
    /// path, where no command has loaded it); nil when there is none or it can't be read.
    func storeConfig() -> StoreConfig? {
        var words = arguments
        if let end = words.firstIndex(of: "--") { words = Array(words[..<end]) }
        var dir: String?
        for (index, word) in words.enumerated() {
            if word == "--dir", index + 1 < words.count {
                dir = words[index + 1]
            } else if word.hasPrefix("--dir=") {
                dir = String(word.dropFirst(6))
            }
        }
        guard let location = try? Invocation.location(dir: dir, system: system) else { return nil }
        guard FileManager.default.fileExists(atPath: location.path + "/config.json") else {
            return nil
        }
        return try? Store(root: location.path).loadConfig(checking: Invocation.checkSections)
    }

    private func report(
        _ error: any Error, commandName: String?, subcommandName: String?
    ) -> Int32 {
        let described = error as? DescribedError
        // An error may quote a value the user typed; a token in it must not reach the terminal or a
        // log. The store's own rules apply too when its config can be read.
        let redactor = (try? storeConfig()?.redactor()) ?? Redactor.standard
        // Times in messages are shown in the user's zone, like every other time irctl shows.
        let display = TimeDisplay(
            timeZone: TimeZone.fromEnvironment(system.environment), utc: arguments.contains("--utc")
        )
        let message = display.localizingTimestamps(
            in: redactor.redact(described?.message ?? "unexpected failure: \(error)"))
        var text = "irctl: error: " + TerminalText.sanitize(message) + "\n"
        let usage = described?.isUsageError ?? false
        let usageError = error as? UsageError
        if let command = (usageError?.command ?? commandName).flatMap(Commands.find) {
            let sub = (usageError?.subcommand ?? subcommandName).flatMap(command.subcommand)
            let topic = sub.map { "\(command.name) \($0.name)" } ?? command.name
            switch usageError?.followed {
            case .byUsage?:
                // The command line's shape was wrong: the lines that show the right one.
                let lines = sub.map { [command.usage(of: $0)] } ?? command.usage
                text +=
                    "usage: " + lines.map { "irctl " + $0 }.joined(separator: "\n       ") + "\n"
                text += "see 'irctl help \(topic)'\n"
            case .byNothing?: break
            case .byPointer?, nil:
                // A bad value: the message says what is accepted; one line says where to read more.
                if usage { text += "see 'irctl help \(Self.helpTopic(for: error) ?? topic)'\n" }
            }
        }
        system.writeError(text)
        return usage ? ExitCode.usage : ExitCode.failure
    }

    /// The help topic that explains the kind of value an error is about, if one does.
    static func helpTopic(for error: any Error) -> String? {
        switch error {
        case is TimeInputError, ValueError.futureTime: "times"
        case is StoreLocationError: "store"
        default: nil
        }
    }
}
