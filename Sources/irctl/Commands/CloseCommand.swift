import IncidentKit

enum CloseCommand {
    static let close = Command(
        name: "close", summary: "end the review and close an incident",
        arguments: [.incident],
        forms: [
            UsageForm(arguments: [.incident], options: ["force", "message", "at"]),
            UsageForm(
                arguments: [.incident], options: ["false-alarm", "message", "at"],
                required: ["false-alarm"]),
            UsageForm(
                arguments: [.incident], options: ["duplicate-of", "message", "at"],
                required: ["duplicate-of"]),
        ],
        discussion: """
            Closes an incident in phase review. --force closes it from any phase; the forced close
            is recorded.

            --false-alarm (nothing was wrong) and --duplicate-of INC (the same problem as INC, which
            stays as it is) close from any phase too, and say so wherever the incident is shown:
            list, show, the postmortem, --json ("closedAs": "false-alarm" or "duplicate", and
            "duplicateOf": the original's uid) and the site. 'irctl stats' leaves such incidents
            out unless --include asks for them. Reopening clears it.
            """,
        options: [
            .flag("--force", "-f", help: "close from any phase"),
            .flag("--false-alarm", help: "close from any phase as a false alarm"),
            .value(
                "--duplicate-of", value: "INCIDENT", kind: .incident,
                help: "close from any phase as a duplicate of this incident"),
            .value("-m", "--message", value: "TEXT", help: "a note recorded with the close"),
            .value("--at", value: "TIME", kind: .time, help: "when it was closed, if not now"),
        ],
        examples: [
            "irctl close INC-4", "irctl close INC-5 --false-alarm -m \"synthetic check misfired\"",
            "irctl close INC-6 --duplicate-of INC-4",
        ],
        run: { invocation in
            let id = try invocation.requiredIncident()
            try invocation.expectPositionals(atMost: 1)
            let arguments = invocation.arguments
            let falseAlarm = arguments.flag("false-alarm")
            if falseAlarm, arguments.has("duplicate-of") {
                throw UsageError(
                    "--false-alarm and --duplicate-of exclude each other; give one",
                    command: "close")
            }
            let original = try arguments.value("duplicate-of").map { text in
                try invocation.store.load(try invocation.incidentID(text))
            }
            let at = try invocation.time("at")
            let config = try invocation.config()
            let context = try invocation.editContext(config: config)
            let message = arguments.value("message")
            let incident = try invocation.store.update(id) { incident in
                if let original {
                    try incident.closeAsDuplicate(
                        of: original, at: at, message: message, context: context)
                } else if falseAlarm {
                    try incident.closeAsFalseAlarm(at: at, message: message, context: context)
                } else {
                    try incident.close(
                        force: arguments.flag("force"), at: at, message: message, context: context)
                }
            }
            var line = "\(incident.id): closed"
            if let original {
                line += " as a duplicate of \(original.id)"
            } else if falseAlarm {
                line += " as a false alarm"
            }
            return try invocation.report(incident, line)
        })

    static let reopen = Command(
        name: "reopen", summary: "reopen a closed incident",
        arguments: [.incident],
        discussion:
            "Reopens into phase review, or the phase given (e.g. contain when the problem is "
            + "back).",
        options: [
            .value(
                "--reason", value: "TEXT", required: true, help: "why it is reopened (required)"),
            .value(
                "--phase", value: "PHASE", kind: .phase,
                help: "the phase to reopen into (default review)"),
            .at("when it was reopened, if not now"),
        ],
        run: { invocation in
            let id = try invocation.requiredIncident()
            try invocation.expectPositionals(atMost: 1)
            guard let reason = invocation.arguments.value("reason") else {
                throw UsageError(
                    "reopening needs --reason TEXT: what came back, or what is left to do",
                    command: "reopen")
            }
            let phase =
                try invocation.arguments.value("phase").map { text throws(ValueError) in
                    try Phase.parse(text)
                } ?? .review
            let config = try invocation.config()
            let context = try invocation.editContext(config: config)
            let at = try invocation.time("at")
            let incident = try invocation.store.update(id) { incident in
                try incident.reopen(reason: reason, into: phase, at: at, context: context)
            }
            return try invocation.report(
                incident, "\(incident.id): reopened (phase \(incident.phase))")
        })
}
