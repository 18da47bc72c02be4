import IncidentKit

enum PhaseCommand {
    static let phaseOptions: [OptionSpec] = [
        .value("--at", value: "TIME", help: "when the phase was entered, if not now"),
        .value("--reason", value: "TEXT", help: "why; required to move back to an earlier phase"),
        .value("-m", "--message", value: "TEXT", help: "a note recorded with the change"),
    ]

    static let command = Command(
        name: "phase", summary: "move an incident to a lifecycle phase",
        arguments: [.incident, .required("PHASE", .phase)],
        discussion: """
            Phases: detect → declare → contain → eradicate → recover → review. Moving forward may
            skip phases (the skip is recorded); moving back (the problem came back) needs --reason.
            Closing ends the review: use 'irctl close'.
            """,
        options: phaseOptions,
        examples: [
            "irctl phase INC-1 recover -m \"fix deployed\"",
            "irctl phase INC-1 contain --reason \"errors are back after the failover\"",
        ],
        run: { invocation in
            let id = try invocation.requiredIncident()
            guard invocation.positionals.count >= 2 else {
                throw UsageError(
                    "missing PHASE; use one of "
                        + "\(Phase.working.map(\.rawValue).joined(separator: ", "))",
                    command: "phase")
            }
            try invocation.expectPositionals(atMost: 2)
            return try move(invocation, id: id, to: try Phase.parse(invocation.positionals[1]))
        })

    static func shortcut(_ phase: Phase) -> Command {
        Command(
            name: phase.rawValue,
            summary: "move an incident to phase \(phase.rawValue) (\(phase.meaning))",
            arguments: [.incident],
            discussion: "Short for 'irctl phase INCIDENT \(phase.rawValue)'.",
            options: phaseOptions,
            run: { invocation in
                let id = try invocation.requiredIncident()
                try invocation.expectPositionals(atMost: 1)
                return try move(invocation, id: id, to: phase)
            })
    }

    static func move(_ invocation: Invocation, id: IncidentID, to phase: Phase) throws -> Int32 {
        let at = try invocation.time("at")
        let config = try invocation.config()
        let context = try invocation.editContext(config: config)
        var from = Phase.detect
        let incident = try invocation.store.update(id) { incident in
            from = incident.phase
            try incident.move(
                to: phase, at: at, reason: invocation.arguments.value("reason"),
                message: invocation.arguments.value("message"), context: context)
        }
        return try invocation.report(incident, "\(incident.id): \(from) → \(phase)")
    }
}

enum SeverityCommand {
    static let command = Command(
        name: "severity", summary: "change an incident's severity",
        arguments: [.incident, .required("SEV", .severity)],
        discussion:
            "SEV is a level of the store's scheme: SEV1 … SEV4 by default; 2, sev2 and P2 also "
            + "work.",
        options: [
            .value("--reason", value: "TEXT", help: "why the severity changed"),
            .at("when it changed, if not now"),
        ],
        examples: ["irctl severity INC-1 SEV1 --reason \"EU customers affected too\""],
        run: { invocation in
            let id = try invocation.requiredIncident()
            guard invocation.positionals.count >= 2 else {
                throw UsageError("missing SEV (e.g. SEV1)", command: "severity")
            }
            try invocation.expectPositionals(atMost: 2)
            let config = try invocation.config()
            let level = try config.severityScheme.parse(invocation.positionals[1])
            let context = try invocation.editContext(config: config)
            let at = try invocation.time("at")
            var from = ""
            let incident = try invocation.store.update(id) { incident in
                from = incident.severity
                try incident.changeSeverity(
                    to: level, reason: invocation.arguments.value("reason"), at: at,
                    context: context)
            }
            return try invocation.report(
                incident, "\(incident.id): severity \(from) → \(incident.severity)")
        })
}

enum AssignCommand {
    static let command = Command(
        name: "assign", summary: "set who holds the commander, comms, tech and scribe roles",
        arguments: [.incident],
        discussion: "Each change is a timeline entry. An empty NAME (\"\") clears the role.",
        options: [
            .value(
                "--commander", "--owner", value: "NAME",
                help: "the incident commander (--owner: the older spelling)"),
            .value("--comms", value: "NAME", help: "the communications lead"),
            .value("--tech", value: "NAME", help: "the technical lead"),
            .value("--scribe", value: "NAME", help: "who keeps the timeline"),
            .at("when the roles were taken, if not now"),
        ],
        examples: ["irctl assign INC-1 --commander alice --comms bob"],
        run: { invocation in
            let id = try invocation.requiredIncident()
            try invocation.expectPositionals(atMost: 1)
            let changes: [(Role, String)] = Role.allCases.compactMap { role in
                invocation.arguments.value(role.rawValue).map { (role, $0) }
            }
            guard !changes.isEmpty else {
                throw UsageError(
                    "nothing to assign; give at least one of --commander, --comms, --tech, "
                        + "--scribe",
                    command: "assign")
            }
            for (role, name) in changes where name.count > 100 || name.contains(where: \.isNewline)
            {
                throw ValueError.invalidValue(
                    option: "--\(role.rawValue)", value: String(name.prefix(40)),
                    expected: "a name on one line, at most 100 characters")
            }
            let config = try invocation.config()
            let context = try invocation.editContext(config: config)
            let at = try invocation.time("at")
            let incident = try invocation.store.update(id) { incident in
                try incident.assign(changes, at: at, context: context)
            }
            let roles = Role.allCases.compactMap { role in
                incident.roles[role].map { "\(role.rawValue) \($0)" }
            }
            return try invocation.report(
                incident,
                "\(incident.id): "
                    + (roles.isEmpty ? "no roles assigned" : roles.joined(separator: " · ")))
        })
}
