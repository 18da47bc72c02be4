import Foundation
import IncidentKit

/// Runs one irctl command line and returns the exit status. Never traps on any input: every
/// failure becomes a message and exit 1 (operation) or 2 (usage).
struct CLI {
    var arguments: [String]
    var system: System
    /// Positions (1 = the first word after `irctl`) of arguments that were not valid UTF-8: refused,
    /// like such standard input, rather than stored with U+FFFD in place of what was typed.
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
        do {
            status = try dispatch(output: output, commandName: &commandName)
        } catch {
            status = report(error, commandName: commandName)
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

    private func dispatch(output: Output, commandName: inout String?) throws -> Int32 {
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
                    Help.overview(style: output.style, scheme: storeConfig()?.severityScheme))
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
        if rest.contains("--help") || rest.contains("-h"),
            !rest.contains("--")
                || rest.firstIndex(of: "--")!
                    > (rest.firstIndex(of: "--help") ?? rest.firstIndex(of: "-h")!)
        {
            output.write(Help.command(command, style: output.style))
            return ExitCode.success
        }
        var options = GlobalOptions.all + command.options
        if !command.json { options.removeAll { $0.key == "json" } }
        let parsed = try ArgumentParser.parse(
            rest, options: options, command: command.name,
            dashWords: command.dashWords)
        // `init` makes a store of its own where it is told, and help needs none: a store found above
        // them (even a refused one) is no reason to fail.
        let location =
            [InitCommand.command.name, HelpCommand.command.name].contains(command.name)
            ? (try? Invocation.location(dir: parsed.value("dir"), system: system))
                ?? StoreLocation(path: "", source: .userDefault)
            : try Invocation.location(dir: parsed.value("dir"), system: system)
        let invocation = Invocation(
            command: command, arguments: parsed, system: system, output: output, location: location)
        if command.name != HelpCommand.command.name, !location.path.isEmpty {
            invocation.warnIfStoreIsNotPrivate()
        }
        return try command.run(invocation)
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

    private func report(_ error: any Error, commandName: String?) -> Int32 {
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
        if let usageError = error as? UsageError, let name = usageError.command ?? commandName,
            let command = Commands.find(name)
        {
            text +=
                "usage: " + command.usage.map { "irctl " + $0 }.joined(separator: "\n       ")
                + "\n"
            text += "see 'irctl help \(command.name)'\n"
        }
        system.writeError(text)
        return usage ? ExitCode.usage : ExitCode.failure
    }
}
