import IncidentKit

enum CloseCommand {
    static let close = Command(
        name: "close", summary: "end the review and close an incident",
        arguments: [.incident],
        discussion: """
            Closes an incident in phase review. --force closes it from any phase (a false alarm,
            a duplicate); the forced close is recorded.
            """,
        options: [
            .flag("--force", "-f", help: "close from any phase"),
            .value("-m", "--message", value: "TEXT", help: "a note recorded with the close"),
            .value("--at", value: "TIME", help: "when it was closed, if not now"),
        ],
        run: { invocation in
            let id = try invocation.requiredIncident()
            try invocation.expectPositionals(atMost: 1)
            let at = try invocation.time("at")
            let config = try invocation.config()
            let context = try invocation.editContext(config: config)
            let incident = try invocation.store.update(id) { incident in
                try incident.close(
                    force: invocation.arguments.flag("force"), at: at,
                    message: invocation.arguments.value("message"), context: context)
            }
            return try invocation.report(incident, "\(incident.id): closed")
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
