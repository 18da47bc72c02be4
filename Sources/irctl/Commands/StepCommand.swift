import Foundation
import IncidentKit

/// `irctl step INCIDENT N`: tick off a step of the attached runbook, optionally running its
/// command.
enum StepCommand {
    static let command = Command(
        name: "step", summary: "mark a runbook step done or skipped, or run its command",
        forms: [
            UsageForm(
                arguments: [.incident, .required("N")], options: ["skip", "message", "at"]),
            UsageForm(
                arguments: [.incident, .required("N")],
                options: ["run", "set", "yes", "force", "message"], required: ["run"]),
        ],
        discussion: """
            Marks step N of the incident's runbook (see 'irctl runbook attach') done, or skipped
            with --skip, and appends a 'runbook' entry. A pending step may be done or skipped; a
            skipped step may still be done later; a done step stays done (log a correction instead).

            --run runs the step's command with /bin/sh -c, recorded like 'irctl exec': <incident> is
            replaced by the incident's id and --set NAME=VALUE fills <NAME> (the value is inserted
            as written, so quote it for the shell if it needs that); a command that still holds
            other <placeholders> is refused, or run as written with --force. A command that held a
            secret when the runbook was attached was stored redacted and is never run, --force or
            not: run it yourself with 'irctl exec'. The command is shown, secrets redacted,
            and, on a terminal, irctl asks before running it; --yes skips the question, and without
            a terminal --yes is required. The step is marked done when the command succeeds; when it
            fails the step stays pending and the failure is recorded. irctl exits with the command's
            status. The confirmation and irctl's own lines go to stderr.
            """,
        options: [
            .flag("--skip", help: "mark the step skipped instead of done"),
            .value(
                "-m", "--message", value: "NOTE",
                help: "a note on the step (what was found, why it was skipped)"),
            .flag(
                "--run",
                help: "run the step's command (recorded), and mark the step done if it succeeds"),
            .flag("--yes", "-y", help: "with --run: don't ask for confirmation"),
            .value(
                "--set", value: "NAME=VALUE", repeatable: true,
                help: "with --run: fill the placeholder <NAME> with VALUE"),
            .flag(
                "--force",
                help: "with --run: run even though the command still has "
                    + "<placeholders>"),
            .at("when the step was done or skipped, if not now (not with --run)"),
        ],
        examples: [
            "irctl step INC-1 1", "irctl step INC-1 4 --skip -m \"no deploy in the last 24h\"",
            "irctl step INC-1 3 --run --set namespace=shop --set service=checkout",
        ],
        run: run)

    static func run(_ invocation: Invocation) throws -> Int32 {
        let arguments = invocation.arguments
        let id = try invocation.requiredIncident()
        guard invocation.positionals.count >= 2 else {
            throw UsageError(
                "missing N, the step number; run 'irctl show \(id)' to see the steps",
                command: "step")
        }
        try invocation.expectPositionals(atMost: 2)
        let number = try invocation.stepNumber(invocation.positionals[1])
        let note = arguments.value("message")
        if arguments.flag("run") {
            if arguments.flag("skip") {
                throw UsageError("--skip and --run exclude each other", command: "step")
            }
            if arguments.has("at") {
                throw UsageError(
                    "--at can't be combined with --run: the command runs now", command: "step")
            }
            if invocation.json {
                throw UsageError(
                    "--json can't be combined with --run: the command's output goes to stdout",
                    command: "step")
            }
            return try runStep(invocation, id: id, number: number, note: note)
        }
        for flag in ["yes", "force", "set"] where arguments.has(flag) {
            throw UsageError("--\(flag) applies with --run", command: "step")
        }
        let status: Checklist.Step.Status = arguments.flag("skip") ? .skipped : .done
        let config = try invocation.config()
        let context = try invocation.editContext(config: config)
        let at = try invocation.time("at")
        let incident = try invocation.store.update(id) { incident in
            try incident.markStep(number, as: status, note: note, at: at, context: context)
        }
        return try invocation.report(
            incident, line(incident.incident, number: number, status: status))
    }

    static func line(_ incident: Incident, number: Int, status: Checklist.Step.Status) -> String {
        guard let checklist = incident.runbook else {
            return "\(incident.id): step \(number) \(status.rawValue)"
        }
        return
            "\(incident.id): step \(number)/\(checklist.steps.count) \(status.rawValue) · "
            + "\(checklist.progressLine)"
    }

    static func runStep(
        _ invocation: Invocation, id: IncidentID, number: Int, note: String?
    ) throws -> Int32 {
        let recorded = try RecordedRun.prepare(invocation, id: id)
        let incident = try invocation.store.load(id)
        let index = try incident.checklistStepIndex(number)
        let step = incident.runbook!.steps[index]
        if step.status == .done {
            throw ChecklistError.alreadyMarked(id, step: number, status: .done, by: step.by)
        }
        guard let raw = step.command, !raw.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        else {
            throw ChecklistError.noCommand(id, step: number)
        }
        // A secret in a team runbook was redacted when the runbook was attached: what is stored is
        // not the command the author wrote, and `[REDACTED:…]` is even a shell glob. Never run it.
        if let marker = RedactedCommand.marker(in: raw) {
            throw StepRunError.redacted(id, step: number, kind: marker)
        }
        var command = RunbookPlaceholders.fillIncident(raw, id: id)
        for assignment in invocation.arguments.all("set") {
            guard let equals = assignment.firstIndex(of: "="), equals != assignment.startIndex
            else {
                throw ValueError.invalidValue(
                    option: "--set", value: TerminalText.singleLine(String(assignment.prefix(60))),
                    expected: "NAME=VALUE, e.g. --set namespace=shop")
            }
            var name = String(assignment[..<equals])
            if name.hasPrefix("<"), name.hasSuffix(">") {
                name = String(name.dropFirst().dropLast())
            }
            let marker = "<\(name)>"
            guard command.contains(marker) else {
                throw ValueError.invalidValue(
                    option: "--set", value: TerminalText.singleLine(String(name.prefix(60))),
                    expected: "a placeholder of step \(number)'s command: "
                        + {
                            let names = RunbookPlaceholders.find(in: raw)
                            return names.isEmpty ? "it has none" : names.joined(separator: ", ")
                        }())
            }
            command = command.split(separator: marker, omittingEmptySubsequences: false)
                .joined(separator: String(assignment[assignment.index(after: equals)...]))
        }
        let placeholders = RunbookPlaceholders.find(in: command)
        if !placeholders.isEmpty, !invocation.arguments.flag("force") {
            throw StepRunError.placeholders(
                id, step: number, placeholders.map { TerminalText.singleLine($0) })
        }

        let system = invocation.system
        // The filled-in command may hold a secret given with --set: show it redacted, as it is
        // recorded.
        let redactor = try recorded.config.redactor()
        // Wrapped at spaces under its own start, so a long step never breaks mid-word.
        let lead = "Step \(number): "
        let stepLines = wrap(
            TerminalText.singleLine(step.text),
            to: invocation.output.width.map { $0 - lead.count }.flatMap { $0 >= 20 ? $0 : nil }
                ?? Int.max)
        system.writeError(
            lead + stepLines.joined(separator: "\n" + String(repeating: " ", count: lead.count))
                + "\n"
                + TerminalText.sanitize(redactor.redact(command)).split(
                    separator: "\n", omittingEmptySubsequences: false
                ).map { "  $ " + $0 }.joined(separator: "\n") + "\n")
        if !invocation.arguments.flag("yes") {
            guard system.stdinIsTerminal else {
                throw UsageError(
                    "refusing to run step \(number)'s command without confirmation: standard input "
                        + "is not a terminal; add --yes",
                    command: "step")
            }
            system.writeError("Run it? [y/N] ")
            let answer = CommandRunner.readAnswer()?.trimmingCharacters(in: .whitespaces)
                .lowercased()
            guard answer == "y" || answer == "yes" else {
                invocation.output.note(
                    "not run; step \(number) of \(id) is still \(step.status.rawValue)")
                return ExitCode.failure
            }
        }

        var markError: (any Error)?
        let result = try recorded.execute(
            ["/bin/sh", "-c", command], commandLine: command, step: number
        ) { incident, record, context in
            guard record.succeeded else { return }
            do {
                try incident.markStep(number, as: .done, note: note, context: context)
            } catch {
                // Someone ticked it off while the command ran: the command is still recorded.
                markError = error
            }
        }
        guard let incident = result.incident else { return result.status }
        if let markError {
            invocation.output.warning(((markError as? DescribedError)?.message ?? "\(markError)"))
        } else if result.record.succeeded {
            invocation.output.note(line(incident, number: number, status: .done))
        } else if result.record.startError == nil {
            invocation.output.note(
                "\(id): step \(number) is still \(step.status.rawValue): the command failed "
                    + "(\(RecordedRun.describe(result.record)))"
            )
        }
        return result.status
    }
}

/// `step --run` refuses a command that still needs values filled in.
enum StepRunError: DescribedError {
    case placeholders(IncidentID, step: Int, [String])
    case redacted(IncidentID, step: Int, kind: String)

    var message: String {
        switch self {
        case .redacted(let id, let step, let kind):
            "step \(step) of \(id) can't be run: its command held a secret (\(kind)) that was "
                + "redacted when the runbook was attached, "
                + "so what is stored is not the command that was written. Run it yourself with "
                + "'irctl exec \(id) -- …', and change the "
                + "runbook to take the secret from the environment (e.g. $TOKEN) or a <placeholder>"
        case .placeholders(let id, let step, let markers):
            "step \(step) of \(id) has placeholders to fill in: "
                + "\(markers.joined(separator: ", ")); fill them with --set NAME=VALUE, or add "
                + "--force to run it as written"
        }
    }
}

/// Finds the mark the redactor leaves, `[REDACTED:<kind>]`, in a stored command.
enum RedactedCommand {
    /// The kind of the first redaction in `command`, or nil when it has none.
    static func marker(in command: String) -> String? {
        guard let start = command.range(of: "[REDACTED:") else { return nil }
        let rest = command[start.upperBound...]
        let kind = rest.prefix { $0 != "]" && !$0.isWhitespace }
        return kind.isEmpty ? "secret" : String(kind.prefix(40))
    }
}
