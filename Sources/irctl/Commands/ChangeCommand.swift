import Foundation
import IncidentKit

/// `irctl change record|import`, `irctl changes` and `irctl suspects`: what changed in production,
/// and which of it came just before an incident.
enum ChangeCommand {
    static let command = Command(
        name: "change", summary: "record a deploy or config change, or import a repository's",
        discussion: """
            record notes a change to production: a deploy, a config change, a feature flag. It
            keeps the services, the version, the text, who (--as) and when (--at, default now),
            and the git commit when run inside a git repository. With a command after '--' it runs
            it as 'irctl exec' does (your terminal's input, its output as it prints), records its
            exit status and duration, and exits with the command's own status (128+N when killed
            by signal N, 127 when not found, 126 when not executable). Say what changed with at
            least one of -m, --version or a command.

            import --git takes the tags and merge commits of the repository in DIR as changes
            (a tag's version is its name), each with --service if given. Importing again, here or
            on another clone, adds only what is new.

            Changes are kept in the store's changes/ directory, one file per change that is never
            rewritten, so clones record changes offline and 'irctl sync' merges them without a
            conflict. Each clone's changes form a hash chain that 'irctl verify' checks. 'irctl
            changes' lists them; 'irctl suspects INCIDENT' ranks those before an incident.
            """,
        options: [
            .value(
                "--service", "-s", value: "NAME", repeatable: true,
                help: "a service the change touched (repeat for several)"),
            .value("--version", value: "V", help: "the version deployed (record)"),
            .value("-m", "--message", value: "TEXT", help: "what changed (record)"),
            .at("when the change happened, if not now (record without a command)"),
            .value(
                "--git", value: "DIR", kind: .directory,
                help: "the git repository to import from (import)"),
            .value(
                "--since", value: "TIME", kind: .time,
                help: "only tags and merges since TIME (import)"),
        ],
        subcommands: [
            Subcommand(
                name: "record", summary: "note a change to production, or run and record one",
                arguments: [
                    .repeating("-- COMMAND", .program, optional: true)
                ],
                options: ["service", "version", "message", "at"],
                run: { try run($0, verb: "record") }),
            Subcommand(
                name: "import", summary: "take a git repository's tags and merges as changes",
                options: ["git", "since", "service"], required: ["git"],
                run: { try run($0, verb: "import") }),
        ],
        examples: [
            "irctl change record --service checkout --version v2.4.1 -- kubectl apply -f app.yaml",
            "irctl change record -s payments -m 'feature flag new-ledger on for 10%'",
            "irctl change import --git ~/src/checkout --service checkout --since '7d ago'",
        ])

    static func run(_ invocation: Invocation, verb: String) throws -> Int32 {
        let split = invocation.arguments.positionalsBeforeTerminator
        let words = split.map { Array(invocation.positionals.prefix($0)) } ?? invocation.positionals
        if let extra = words.first {
            throw UsageError(
                "unexpected argument '\(TerminalText.singleLine(String(extra.prefix(60))))'; "
                    + "quote text that contains spaces, and put '--' before a command",
                command: "change", subcommand: verb)
        }
        let arguments = invocation.arguments
        let services = try arguments.all("service").map { name in
            let trimmed = name.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty, trimmed.count <= 100, !trimmed.contains(where: \.isNewline)
            else {
                throw ValueError.invalidValue(
                    option: "--service", value: name, expected: "a service name on one line")
            }
            return trimmed
        }
        guard verb == "import" else {
            return try record(invocation, services: services, split: split)
        }
        guard split == nil else {
            throw UsageError(
                "import runs no command; remove '--' and what follows", command: "change",
                subcommand: verb)
        }
        return try importChanges(invocation, services: services)
    }

    static func record(_ invocation: Invocation, services: [String], split: Int?) throws -> Int32 {
        let arguments = invocation.arguments
        let command = split.map { Array(invocation.positionals.dropFirst($0)) } ?? []
        if split != nil, command.first?.isEmpty ?? true {
            throw UsageError(
                "missing COMMAND after '--'", command: "change", subcommand: "record")
        }
        if !command.isEmpty, arguments.has("at") {
            throw UsageError(
                "--at is for a change made earlier; a command runs now", command: "change",
                subcommand: "record")
        }
        let message = arguments.value("message")?.trimmingCharacters(in: .whitespacesAndNewlines)
        let version = arguments.value("version")?.trimmingCharacters(in: .whitespaces)
        guard !(message ?? "").isEmpty || !(version ?? "").isEmpty || !command.isEmpty else {
            throw UsageError(
                "say what changed: -m TEXT, --version V, or '-- COMMAND' to run and record",
                command: "change", subcommand: "record")
        }
        // Everything that could stop the recording is checked before the command runs.
        let config = try invocation.config()
        let context = try invocation.editContext(config: config)
        let at = try invocation.time("at") ?? invocation.now
        let git = Git(
            directory: invocation.system.workingDirectory,
            environment: invocation.system.environment)
        let commit = (try? git.attempt(["rev-parse", "-q", "--verify", "HEAD^{commit}"]))
            .flatMap { $0.succeeded ? $0.output : nil }
        let commandLine = command.isEmpty ? nil : ShellQuote.join(command)
        var change = ServiceChange(
            at: at, recordedAt: invocation.now, author: context.author, services: services,
            version: version.flatMap { $0.isEmpty ? nil : context.redactor.redact($0) },
            text: context.redactor.redact(message ?? commandLine ?? ""), source: .record,
            commit: commit, command: commandLine.map(context.redactor.redact))
        var status = ExitCode.success
        if !command.isEmpty {
            let outcome = CommandRunner(environment: invocation.system.environment).run(command)
            change.durationMs = outcome.durationMs
            change.exitStatus = outcome.exitStatus
            change.signal = outcome.signal
            change.recordedAt = Timestamp.wholeSeconds(
                invocation.now.addingTimeInterval(Double(outcome.durationMs) / 1000))
            if let signal = outcome.signal {
                status = 128 + signal
            } else {
                status = outcome.exitStatus ?? 1
            }
            if let error = outcome.startError {
                let program = TerminalText.singleLine(
                    String(context.redactor.redact(command[0]).prefix(200)))
                invocation.system.writeError("irctl: error: cannot run '\(program)': \(error)\n")
            }
        }
        let written: ServiceChange
        do {
            guard let first = try invocation.store.record(changes: [change]).first else {
                return ExitCode.failure
            }
            written = first
        } catch {
            guard !command.isEmpty else { throw error }
            let reason = (error as? DescribedError)?.message ?? "\(error)"
            invocation.system.writeError(
                "irctl: error: the command ran (\(change.line)) but the change could not be "
                    + "recorded: \(TerminalText.sanitize(reason)); record it with 'irctl change "
                    + "record -m TEXT --at TIME'\n")
            return status == ExitCode.success ? ExitCode.failure : status
        }
        let line = "recorded change \(written.uid.prefix(8)): \(written.line)"
        if invocation.json {
            try invocation.printJSON(written)
        } else if command.isEmpty {
            invocation.output.line(TerminalText.sanitize(line))
        } else {
            // stdout carries the command's own output.
            invocation.output.note(line)
        }
        return status
    }

    static func importChanges(_ invocation: Invocation, services: [String]) throws -> Int32 {
        guard let directory = invocation.arguments.value("git") else {
            throw UsageError(
                "import needs --git DIR, a git repository", command: "change",
                subcommand: "import")
        }
        let since = try invocation.time("since")
        let found = try ChangeImport(
            directory: directory, environment: invocation.system.environment,
            services: services, since: since
        ).changes(now: invocation.now)
        let written = try invocation.store.record(changes: found)
        if invocation.json {
            try invocation.printJSON(written)
        } else {
            let known = found.count - written.count
            invocation.output.line(
                TerminalText.sanitize(
                    "imported \(written.count) change\(written.count == 1 ? "" : "s") from "
                        + "\(directory) (\(found.count) tags and merges"
                        + (known > 0 ? ", \(known) already recorded" : "") + ")"))
        }
        return ExitCode.success
    }

    // MARK: Listing

    static let list = Command(
        name: "changes", summary: "list recorded changes to production",
        discussion: """
            Lists the changes 'irctl change record' and 'irctl change import' kept, oldest first:
            when, the services, what changed (version, text, a command's outcome), who, and the
            first characters of its id. --service keeps the changes that name the service (any
            case). A change imported on two clones lists once.
            With --json: an array of { uid, at, recordedAt, author, services, version, text,
            source (record, git-tag, git-merge), commit, command, exitStatus, signal, durationMs,
            importKey, replica, replicaSeq, previous, hash }, the fields a change lacks left out.
            """,
        options: [
            .value(
                "--since", value: "TIME", kind: .time,
                help: "only changes since TIME (2h ago, yesterday)"),
            .value("--service", "-s", value: "NAME", help: "only changes to this service"),
        ],
        examples: ["irctl changes --since '24h ago'", "irctl changes --service checkout --json"],
        run: { invocation in
            try invocation.expectPositionals(atMost: 0)
            let since = try invocation.time("since")
            let service = invocation.arguments.value("service")?.lowercased()
            let (all, problems) = invocation.store.changes()
            for problem in problems { invocation.output.warning(problem.message) }
            let shown = all.filter { change in
                (since.map { change.at >= $0 } ?? true)
                    && (service.map { wanted in
                        change.services.contains { $0.lowercased() == wanted }
                    } ?? true)
            }
            if invocation.json {
                try invocation.printJSON(shown)
                return ExitCode.success
            }
            guard !shown.isEmpty else {
                invocation.output.note(
                    all.isEmpty
                        ? "no changes recorded; record one with 'irctl change record'"
                        : "no changes match")
                return ExitCode.success
            }
            for change in shown { invocation.output.line(row(change, invocation: invocation)) }
            return ExitCode.success
        })

    static func row(_ change: ServiceChange, invocation: Invocation) -> String {
        let when = invocation.display.dateTime(change.at)
        return TerminalText.sanitize(
            "\(change.uid.prefix(8))  \(when)  \(change.line)  · \(change.author)")
    }

    // MARK: Suspects

    static let suspects = Command(
        name: "suspects", summary: "rank the changes made before an incident's impact began",
        arguments: [.incident],
        discussion: """
            Lists the changes recorded within --window (default 2h) before the incident's impact
            began (its start, else its detection), and those between then and detection, the
            likeliest cause first: changes to one of the incident's services before the others,
            then the nearest to impact first. The postmortem has the same list under "Changes
            before impact".
            With --json: { "incident", "impactBegan", "windowSeconds", "suspects": [ { "change":
            a change as 'changes --json' shows it, "sharedServices", "secondsBeforeImpact" } ] }.
            """,
        options: [
            .value(
                "--window", value: "DURATION",
                help: "how far before impact to look: 30m, 2h, 1d (default 2h)")
        ],
        examples: ["irctl suspects INC-7", "irctl suspects INC-7 --window 6h --json"],
        run: { invocation in
            let id = try invocation.requiredIncident()
            try invocation.expectPositionals(atMost: 1)
            let window =
                try invocation.arguments.value("window").map {
                    try DurationInput.parse($0, option: "--window")
                } ?? Suspects.defaultWindow
            let incident = try invocation.store.load(id)
            let (changes, problems) = invocation.store.changes()
            for problem in problems { invocation.output.warning(problem.message) }
            let result = Suspects(incident: incident, changes: changes, window: window)
            if invocation.json {
                try invocation.printJSON(
                    SuspectsJSON(
                        incident: incident.id.description,
                        impactBegan: Timestamp.format(result.impactBegan),
                        windowSeconds: Int(window),
                        suspects: result.ranked.map {
                            SuspectsJSON.Item(
                                change: $0.change, sharedServices: $0.sharedServices,
                                secondsBeforeImpact: Int($0.beforeImpact))
                        }))
                return ExitCode.success
            }
            let began = invocation.display.dateTime(result.impactBegan)
            guard !result.ranked.isEmpty else {
                invocation.output.note(
                    "\(incident.id): no change recorded in the \(DurationFormat.long(window)) "
                        + "before impact began (\(began)); record deploys with 'irctl change "
                        + "record'"
                )
                return ExitCode.success
            }
            invocation.output.line(
                "\(incident.id): changes before impact began (\(began)), likeliest first:")
            for (index, suspect) in result.ranked.enumerated() {
                let offset =
                    suspect.beforeImpact >= 0
                    ? DurationFormat.long(suspect.beforeImpact) + " before"
                    : DurationFormat.long(-suspect.beforeImpact) + " after"
                let shared =
                    suspect.sharedServices.isEmpty
                    ? "" : " [shares \(suspect.sharedServices.joined(separator: ", "))]"
                invocation.output.line(
                    TerminalText.sanitize(
                        "  \(index + 1). \(offset)\(shared): "
                            + row(suspect.change, invocation: invocation)))
            }
            return ExitCode.success
        })

    struct SuspectsJSON: Encodable {
        struct Item: Encodable {
            var change: ServiceChange
            var sharedServices: [String]
            var secondsBeforeImpact: Int
        }
        var incident: String
        var impactBegan: String
        var windowSeconds: Int
        var suspects: [Item]
    }
}
