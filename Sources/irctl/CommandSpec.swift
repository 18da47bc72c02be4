import IncidentKit

/// What a value on the command line is: how help names it and what completion offers for it.
enum ValueKind: Sendable, Hashable {
    /// Free text: nothing to offer.
    case text
    /// A time in any of the forms of `irctl help times`.
    case time
    case number
    /// A value the store knows, listed by `irctl completion --values NAME`.
    case store(StoreValues)
    /// One of a fixed set of words.
    case words([String])
    case file
    case directory
    /// A program and its arguments (`exec INCIDENT -- COMMAND`).
    case program
    /// A command's name or a help topic (`irctl help …`).
    case helpSubject

    static let incident = ValueKind.store(.ids)
    static let severity = ValueKind.store(.severities)
    static let phase = ValueKind.store(.phases)
    static let runbook = ValueKind.store(.runbooks)

    /// Whether a completion script has candidates to offer for it.
    var offersSomething: Bool {
        switch self {
        case .text, .time, .number, .program: false
        case .store, .words, .file, .directory, .helpSubject: true
        }
    }
}

/// The value lists `irctl completion --values KIND` prints for the completion scripts.
enum StoreValues: String, CaseIterable, Sendable {
    case ids, severities, phases, runbooks, kinds, states, audiences, formats
}

/// A positional word of a command line.
struct ArgumentSpec: Sendable {
    /// How usage shows it: `INCIDENT`, `TEXT | -`.
    var label: String
    var kind: ValueKind = .text
    var optional = false
    var repeats = false

    static func required(_ label: String, _ kind: ValueKind = .text) -> ArgumentSpec {
        ArgumentSpec(label: label, kind: kind)
    }
    static func optional(_ label: String, _ kind: ValueKind = .text) -> ArgumentSpec {
        ArgumentSpec(label: label, kind: kind, optional: true)
    }
    static func repeating(
        _ label: String, _ kind: ValueKind = .text, optional: Bool = false
    ) -> ArgumentSpec {
        ArgumentSpec(label: label, kind: kind, optional: optional, repeats: true)
    }
    static let incident = ArgumentSpec.required("INCIDENT", .incident)

    var usage: String {
        let word = label + (repeats ? "..." : "")
        return optional ? "[\(word)]" : word
    }
}

/// One way to call a command, shown as one usage line.
struct UsageForm: Sendable {
    var arguments: [ArgumentSpec]
    /// The keys of the options this form shows, in order; nil shows every option of the command.
    var options: [String]?
    /// Options this form cannot do without (shown without brackets).
    var required: [String] = []
}

/// A word after the command that picks what it does: `action add`, `runbook show`.
struct Subcommand: Sendable {
    var name: String
    var aliases: [String] = []
    var summary: String
    var arguments: [ArgumentSpec] = []
    /// The keys of the command's options that apply here, in usage order; any other is refused.
    var options: [String] = []
    /// Options it cannot do without (shown without brackets).
    var required: [String] = []
    var discussion = ""
    var examples: [String] = []
    var run: @Sendable (Invocation) throws -> Int32

    var names: [String] { [name] + aliases }

    func matches(_ word: String) -> Bool { names.contains(word) }
}

/// One irctl command, declared once: usage, help, the man page, the README's table and the
/// completion scripts are all made from this.
struct Command: Sendable {
    var name: String
    var aliases: [String] = []
    /// One line for `irctl help`.
    var summary: String
    /// The positional words, in order.
    var arguments: [ArgumentSpec] = []
    /// Usage lines when there is more than one way to call it; else one line from `arguments`
    /// and every option.
    var forms: [UsageForm] = []
    /// Paragraphs shown by `irctl help <command>`.
    var discussion: String = ""
    var options: [OptionSpec] = []
    /// What the first positional word picks; the command runs the one named.
    var subcommands: [Subcommand] = []
    /// What an error calls a subcommand (`unknown action 'finish'`).
    var subcommandNoun = "subcommand"
    /// Accepts `--json` (every read command and every mutating one does).
    var json = true
    var examples: [String] = []
    /// An unknown word starting with one '-' is a positional (`search`'s -excluded words).
    var dashWords = false
    /// What it does; nil for a command whose subcommands do it all.
    var run: (@Sendable (Invocation) throws -> Int32)? = nil

    var names: [String] { [name] + aliases }

    func subcommand(_ word: String) -> Subcommand? { subcommands.first { $0.matches(word) } }

    func option(_ key: String) -> OptionSpec? { options.first { $0.key == key } }

    /// The global options this command takes.
    var globalOptions: [OptionSpec] { GlobalOptions.all.filter { json || $0.key != "json" } }

    /// The options `subcommand` accepts, in usage order; the command's own when there is none.
    func options(of subcommand: Subcommand?) -> [OptionSpec] {
        guard let subcommand else { return options }
        return subcommand.options.compactMap(option)
    }

    /// Usage lines, without the leading "irctl ".
    var usage: [String] { lines(brief: false) }

    /// Usage lines without the optional options: the README's table.
    var synopsis: [String] { lines(brief: true) }

    private func lines(brief: Bool) -> [String] {
        if !subcommands.isEmpty { return subcommands.map { usage(of: $0, brief: brief) } }
        let shown = forms.isEmpty ? [UsageForm(arguments: arguments)] : forms
        return shown.map { form in
            let chosen = form.options.map { $0.compactMap(option) } ?? options
            return Self.line(
                [name], form.arguments, chosen,
                required: form.required + options.filter(\.required).map(\.key), brief: brief)
        }
    }

    func usage(of subcommand: Subcommand, brief: Bool = false) -> String {
        Self.line(
            [name, subcommand.name], subcommand.arguments, options(of: subcommand),
            required: subcommand.required + options.filter(\.required).map(\.key), brief: brief)
    }

    private static func line(
        _ words: [String], _ arguments: [ArgumentSpec], _ options: [OptionSpec],
        required: [String], brief: Bool
    ) -> String {
        let shown = brief ? options.filter { required.contains($0.key) } : options
        return
            (words + arguments.map(\.usage)
            + shown.map { $0.usage(required: required.contains($0.key)) })
            .joined(separator: " ")
    }

    /// Every kind of value a positional word of this command may be, by position; with
    /// subcommands, position 0 is the subcommand.
    var positionalKinds: [ValueKind] {
        if !subcommands.isEmpty {
            return [.words(subcommands.flatMap { [$0.name] + $0.aliases })]
        }
        let shown = forms.isEmpty ? [arguments] : forms.map(\.arguments)
        let count = shown.map(\.count).max() ?? 0
        return (0..<count).map { index in
            // Where the forms differ, the first that can offer something decides.
            let kinds = shown.compactMap { index < $0.count ? $0[index].kind : nil }
            return kinds.first(where: \.offersSomething) ?? kinds.first ?? .text
        }
    }
}

/// Options every command takes.
enum GlobalOptions {
    static let all: [OptionSpec] = [
        .value(
            "--dir", value: "DIR", kind: .directory,
            help: "use the store in DIR (else IRCTL_DIR, the nearest .irctl/, "
                + "or ~/.local/share/irctl)"
        ),
        .flag("--json", help: "print JSON (documented shapes, stable for scripts)"),
        .value(
            "--as", value: "NAME",
            help: "author of the change (else IRCTL_USER, the store's defaultAuthor, $USER)"),
        .flag("--utc", help: "show times in UTC instead of local time"),
        .flag("--no-color", help: "no colours (also: NO_COLOR set in the environment)"),
        .flag("--help", "-h", help: "show help for the command"),
    ]
}
