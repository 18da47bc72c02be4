import Foundation
import IncidentKit

/// `irctl exec INCIDENT -- COMMAND [ARGS...]`: run a production command and record it.
enum ExecCommand {
    static let command = Command(
        name: "exec", summary: "run a command and record it on the incident's timeline",
        arguments: [
            .incident, .required("-- COMMAND", .program),
            .repeating("ARGS", .program, optional: true),
        ],
        discussion: """
            Runs COMMAND as if typed directly: it reads your standard input, and its output appears
            as it is printed. Then a 'command' entry is appended to the timeline: the command line,
            exit status (or signal), duration and the last 50 lines (at most 8 KiB) of its output,
            stdout and stderr interleaved, secrets redacted. The store is not locked while the
            command runs. irctl's own line ('INC-1: recorded command #7 …') goes to stderr, so
            stdout carries only the command's output.

            The command's stdout and stderr are pipes, not the terminal: a program that checks for a
            terminal (colours, pagers, progress bars) behaves as in a pipeline. Pass its own flag
            (e.g. --color=always, --no-pager) if you need that.

            Exit status: the command's own; 128+N when it was killed by signal N; 127 when it was
            not found and 126 when it could not be executed (both recorded too); 1 when irctl failed
            before running it. A closed incident is refused before anything runs.
            """,
        json: false,
        examples: [
            "irctl exec INC-1 -- kubectl rollout undo deployment/checkout -n shop",
            "irctl exec INC-1 -- sh -c 'df -h | grep /var'",
        ]
    ) { invocation in
        guard let split = invocation.arguments.positionalsBeforeTerminator else {
            throw UsageError(
                "put '--' before the command, e.g. irctl exec INC-1 -- kubectl get pods",
                command: "exec")
        }
        let id = try invocation.requiredIncident()
        guard split == 1 else {
            let extra =
                split == 0
                ? "missing INCIDENT before '--'"
                : "unexpected argument "
                    + "'\(TerminalText.singleLine(String(invocation.positionals[1].prefix(60))))' "
                    + "before '--'"
            throw UsageError(extra, command: "exec")
        }
        let words = Array(invocation.positionals.dropFirst())
        guard let first = words.first, !first.isEmpty else {
            throw UsageError("missing COMMAND after '--'", command: "exec")
        }
        let run = try RecordedRun.prepare(invocation, id: id)
        let result = try run.execute(words, commandLine: ShellQuote.join(words))
        return result.status
    }
}

/// What `exec` and `step --run` share: check before running, run without the lock, record after.
struct RecordedRun {
    let invocation: Invocation
    let id: IncidentID
    let config: StoreConfig
    let author: String

    /// Refuses before anything runs when the command could not be recorded afterwards: an
    /// unknown or closed incident, a file from a newer irctl, a bad config or author.
    static func prepare(_ invocation: Invocation, id: IncidentID) throws -> RecordedRun {
        let config = try invocation.config()
        _ = try config.redactor()
        let author = try invocation.author(config: config)
        let incident = try invocation.store.load(id)
        guard incident.schemaVersion <= Incident.currentSchemaVersion else {
            throw StoreError.newerSchema(
                path: invocation.store.path(of: id), version: incident.schemaVersion,
                supported: Incident.currentSchemaVersion)
        }
        guard incident.isOpen else { throw LifecycleError.closed(id) }
        return RecordedRun(invocation: invocation, id: id, config: config, author: author)
    }

    struct Result {
        var record: CommandRecord
        var incident: Incident?
        var entry: TimelineEntry?
        /// irctl's exit status.
        var status: Int32
    }

    /// Runs `arguments`, records the outcome (and lets `alsoApply` change the incident in the same
    /// update), reports on stderr and returns irctl's exit status.
    func execute(
        _ arguments: [String], commandLine: String, step: Int? = nil,
        alsoApply: (inout Incident, CommandRecord, EditContext) throws -> Void = { _, _, _ in }
    ) throws -> Result {
        let startedAt = invocation.now
        // An `irctl` the command runs is this irctl, on this store, as this author: a runbook
        // step's `irctl log …` must not land in another store or need irctl on PATH.
        var environment = invocation.system.environment
        environment["IRCTL_DIR"] = invocation.location.path
        environment["IRCTL_USER"] = author
        var arguments = arguments
        if let binary = invocation.system.executablePath {
            environment["IRCTL_BINARY"] = binary
            if arguments.first == "irctl" { arguments[0] = binary }
            if arguments.count == 3, arguments[0] == "/bin/sh", arguments[1] == "-c" {
                arguments[2] = "irctl() { \"$IRCTL_BINARY\" \"$@\"; }\n" + arguments[2]
            }
        }
        let outcome = CommandRunner(environment: environment).run(arguments)
        // Redacted before it is cut to its last lines: a key whose BEGIN line falls outside them is
        // still a key.
        let tail = outcome.tail.redacted(by: try config.redactor())
        let record = CommandRecord(
            commandLine: commandLine, startedAt: startedAt, durationMs: outcome.durationMs,
            exitStatus: outcome.exitStatus, signal: outcome.signal, startError: outcome.startError,
            outputTail: tail.text, outputBytes: outcome.tail.totalBytes,
            outputTruncated: tail.truncated,
            directory: invocation.system.workingDirectory, step: step)
        let context = EditContext(
            author: author, now: startedAt.addingTimeInterval(Double(outcome.durationMs) / 1000),
            redactor: try config.redactor())
        let summary = Self.describe(record)
        var entry: TimelineEntry?
        let incident: StoredIncident
        do {
            incident = try invocation.store.update(id) { incident in
                entry = try incident.recordCommand(record, context: context)
                try alsoApply(&incident, record, context)
            }
        } catch {
            let reason = (error as? DescribedError)?.message ?? "\(error)"
            invocation.system.writeError(
                "irctl: error: the command ran (\(summary)) but could not be recorded on \(id): "
                    + TerminalText.sanitize(reason)
                    + "; record it by hand with 'irctl log \(id) --kind action TEXT'\n")
            return Result(
                record: record, status: record.succeeded ? ExitCode.failure : record.shellStatus)
        }
        invocation.noteStoreWritten()
        let seq = entry.map { " #\($0.seq)" } ?? ""
        if let startError = record.startError {
            // The program's path can hold a token (/opt/ghp_…/deploy): stderr ends up in CI logs.
            let program = TerminalText.singleLine(
                String(context.redactor.redact(arguments.first ?? "").prefix(200)))
            let hint =
                record.exitStatus == 127 ? "; check the name and PATH" : "; check its permissions"
            invocation.system.writeError(
                "irctl: error: cannot run '\(program)': \(startError)\(hint) (recorded on \(id) as "
                    + "command\(seq))\n"
            )
        } else {
            invocation.output.note("\(id): recorded command\(seq) (\(summary))")
        }
        return Result(
            record: record, incident: incident.incident, entry: entry,
            status: record.succeeded ? ExitCode.success : record.shellStatus)
    }

    /// `exit 0, 1.2s` / `killed by SIGKILL, 3.0s` / `not started: command not found`.
    static func describe(_ record: CommandRecord) -> String {
        let seconds = Double(record.durationMs) / 1000
        let duration =
            seconds < 60 ? String(format: "%.1fs", seconds) : DurationFormat.long(seconds)
        if let error = record.startError { return "not started: \(error)" }
        if let signal = record.signal {
            return "killed by \(TerminationStatus.signalName(signal)), \(duration)"
        }
        return "exit \(record.exitStatus ?? 0), \(duration)"
    }
}
