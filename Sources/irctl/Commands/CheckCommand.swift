import IncidentKit

enum CheckCommand {
    /// The rules as the help lists them: name, then what it asks for.
    private static let rules = ReviewRule.allCases.map {
        "  " + $0.rawValue.padding(toLength: 20, withPad: " ", startingAt: 0) + $0.summary
    }.joined(separator: "\n")

    static let command = Command(
        name: "check", summary: "review linter: what a postmortem still lacks, with the fix",
        arguments: [.optional("INCIDENT", .incident)],
        discussion: """
            Names each problem with the incident, the rule and the command that fixes it, and exits
            1 when there is any (0 when all is well). With no INCIDENT it checks every incident that
            has reached review (in review or closed); --all adds the active ones, whose open action
            items are checked too. With --json: an array of { incident, rule, message, fix }.

            Rules:
            \(rules)

            SEV1/SEV2 means the two most severe levels of the store's severity scheme.
            """,
        options: [
            .flag("--all", "-a", help: "check every incident, active ones too")
        ],
        examples: ["irctl check INC-1", "irctl check", "irctl check --all --json"],
        run: run)

    struct Problem: Encodable {
        var incident: String
        var rule: String
        var message: String
        var fix: String
    }

    static func run(_ invocation: Invocation) throws -> Int32 {
        try invocation.expectPositionals(atMost: 1)
        let config = try invocation.config()
        let major = Set(config.severityScheme.levels.prefix(2).map(\.name))
        var incidents: [Incident] = []
        if let first = invocation.positionals.first {
            if invocation.arguments.flag("all") {
                throw UsageError("give INCIDENT or --all, not both", command: "check")
            }
            incidents = [try invocation.store.load(try invocation.incidentID(first))]
        } else {
            let (summaries, problems) = invocation.store.summaries()
            invocation.warn(problems)
            for summary in summaries.sorted(by: { $0.id < $1.id })
            where invocation.arguments.flag("all") || summary.phase >= .review {
                do { incidents.append(try invocation.store.load(summary.id)) } catch {
                    invocation.output.warning(error.message)
                }
            }
        }
        let problems = incidents.flatMap {
            ReviewCheck.problems(of: $0, now: invocation.now, majorSeverities: major)
        }
        if invocation.json {
            try invocation.printJSON(
                problems.map {
                    Problem(
                        incident: $0.incident.description, rule: $0.rule.rawValue,
                        message: $0.message, fix: $0.fix)
                })
        } else {
            let style = invocation.output.style
            let display = invocation.display
            for problem in problems {
                let message = display.localizingTimestamps(in: problem.message)
                invocation.output.line(
                    "\(problem.incident)  \(style.yellow(problem.rule.rawValue))  "
                        + "\(TerminalText.singleLine(message))"
                )
                invocation.output.line("    fix: \(TerminalText.singleLine(problem.fix))")
            }
        }
        let checked = "\(incidents.count) incident\(incidents.count == 1 ? "" : "s") checked"
        if problems.isEmpty {
            invocation.output.note("no problems (\(checked))")
            return ExitCode.success
        }
        let affected = Set(problems.map(\.incident)).count
        invocation.output.note(
            "\(problems.count) problem\(problems.count == 1 ? "" : "s") in \(affected) "
                + "incident\(affected == 1 ? "" : "s") (\(checked))"
        )
        return ExitCode.failure
    }
}
