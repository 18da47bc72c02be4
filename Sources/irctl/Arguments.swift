import IncidentKit

/// An option a command accepts.
struct OptionSpec: Sendable {
    /// Spellings, the one usage lines show first: `["-s", "--severity"]`, `["--force", "-f"]`.
    /// The first long one is the primary; the others are aliases.
    var names: [String]
    /// The value's placeholder (`SEV`), or nil for a flag.
    var value: String?
    /// What the value is, for completion.
    var kind: ValueKind = .text
    var repeatable = false
    /// The command can't do without it (`strike --reason`).
    var required = false
    var help: String

    var primary: String { names.first { $0.hasPrefix("--") } ?? names[0] }
    var key: String { String(primary.drop(while: { $0 == "-" })) }
    /// Every spelling, the primary first and short ones last, as completion lists them.
    var spellings: [String] {
        [primary] + names.filter { $0 != primary && $0.hasPrefix("--") }
            + names.filter { !$0.hasPrefix("--") }
    }

    static func flag(_ names: String..., help: String) -> OptionSpec {
        OptionSpec(names: names, value: nil, help: help)
    }
    static func value(
        _ names: String..., value: String, kind: ValueKind = .text, repeatable: Bool = false,
        required: Bool = false, help: String
    ) -> OptionSpec {
        OptionSpec(
            names: names, value: value, kind: kind, repeatable: repeatable, required: required,
            help: help)
    }

    /// `--at TIME` on every command that records something: an incident written up the next
    /// morning keeps the times it really had.
    static func at(
        _ help: String =
            "when it happened, if not now (14:02, 'yesterday 23:10', 'Nov 23 14:02', 10m ago)"
    ) -> OptionSpec {
        .value("--at", value: "TIME", kind: .time, help: help)
    }

    /// How a usage line shows it: its first spelling (`[-s SEV]...`, `[--force]`).
    func usage(required: Bool) -> String {
        let word = names[0] + (value.map { " " + $0 } ?? "")
        return (required || self.required ? word : "[\(word)]") + (repeatable ? "..." : "")
    }

    /// How help lists it: every spelling, a short one first, then the primary and its aliases.
    var label: String { label(withValue: true) }

    func label(withValue: Bool) -> String {
        (names.filter { !$0.hasPrefix("--") } + [primary]
            + names.filter { $0.hasPrefix("--") && $0 != primary }).joined(separator: ", ")
            + (withValue ? (value.map { " " + $0 } ?? "") + (repeatable ? "..." : "") : "")
    }
}

/// What a command line said: positional words, option values and flags.
struct ParsedArguments {
    var positionals: [String] = []
    var values: [String: [String]] = [:]
    var flags: Set<String> = []
    /// How many positionals came before a `--`, or nil when there was none (`exec INC-1 -- CMD`).
    var positionalsBeforeTerminator: Int?

    func value(_ key: String) -> String? { values[key]?.last }
    func all(_ key: String) -> [String] { values[key] ?? [] }
    func flag(_ key: String) -> Bool { flags.contains(key) }
    func has(_ key: String) -> Bool { values[key] != nil || flags.contains(key) }
}

/// Splits arguments by the given specs, in the manner of SwiftPM's ArgumentExtractor: `--name v`,
/// `--name=v`, `-s v`, flags, and `--` ending the options. Anything unknown is a usage error.
enum ArgumentParser {
    static func parse(
        _ arguments: [String], options: [OptionSpec], command: String,
        dashWords: Bool = false
    ) throws(UsageError) -> ParsedArguments {
        var result = ParsedArguments()
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if argument == "--" {
                result.positionalsBeforeTerminator = result.positionals.count
                result.positionals += arguments[index...]
                break
            }
            guard argument.hasPrefix("-"), argument.count > 1 else {
                result.positionals.append(argument)
                continue
            }
            var name = argument
            var inline: String?
            if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
                name = String(argument[..<equals])
                inline = String(argument[argument.index(after: equals)...])
            }
            if dashWords, !argument.hasPrefix("--"),
                !options.contains(where: { $0.names.contains(name) })
            {
                result.positionals.append(argument)
                continue
            }
            guard let spec = options.first(where: { $0.names.contains(name) }) else {
                var message =
                    "unknown option '\(TerminalText.singleLine(String(name.prefix(60))))' for "
                    + "'irctl \(command)'"
                if let guess = suggestion(for: name, among: options.flatMap(\.names)) {
                    message += "; did you mean '\(guess)'?"
                } else if !argument.hasPrefix("--") || argument.contains(" ") {
                    // Text that starts with '-' ("-5% after rollback") reads as an option.
                    message +=
                        "; if it is text, not an option, put '--' before it: irctl \(command) … --"
                        + " '\(TerminalText.singleLine(String(argument.prefix(30))))'"
                }
                throw UsageError(message, command: command)
            }
            if let placeholder = spec.value {
                let value: String
                if let inline {
                    value = inline
                } else if index < arguments.count {
                    value = arguments[index]
                    index += 1
                } else {
                    throw UsageError(
                        "option \(name) needs a value (\(placeholder))", command: command)
                }
                if !spec.repeatable, result.values[spec.key] != nil,
                    result.values[spec.key] != [value]
                {
                    throw UsageError(
                        "option \(spec.primary) was given more than once", command: command)
                }
                result.values[spec.key, default: []].append(value)
            } else {
                if inline != nil {
                    throw UsageError("option \(name) takes no value", command: command)
                }
                result.flags.insert(spec.key)
            }
        }
        return result
    }

    /// The closest known spelling, for "did you mean": only a likely typo of a word long enough
    /// to tell (one edit from 3 letters on, two from 8), never a guess between short words that
    /// mean different things (`--at` is not `--as`, `--csv` is not `--as`).
    static func suggestion(for word: String, among candidates: [String]) -> String? {
        func core(_ text: String) -> String { String(text.drop(while: { $0 == "-" })) }
        let typed = core(word)
        let allowed = typed.count >= 8 ? 2 : (typed.count >= 3 ? 1 : 0)
        let scored = candidates.map { ($0, distance(typed, core($0))) }
            .filter { $0.1 <= allowed && $0.0.hasPrefix("--") == word.hasPrefix("--") }
        return scored.min { $0.1 < $1.1 }?.0
    }

    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var row = Array(0...b.count)
        var before = row
        for i in 1...a.count {
            let saved = row
            var previous = row[0]
            row[0] = i
            for j in 1...b.count {
                let current = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                // A swap of two neighbours ("lsit") counts as one edit.
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    row[j] = min(row[j], before[j - 2] + 1)
                }
                previous = current
            }
            before = saved
        }
        return row[b.count]
    }
}
