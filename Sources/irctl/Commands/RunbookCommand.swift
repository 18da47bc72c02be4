import Foundation
import IncidentKit

/// `irctl runbook list|show|lint|attach`.
enum RunbookCommand {
    static let command = Command(
        name: "runbook", aliases: ["runbooks"], summary: "list, show, lint and attach runbooks",
        discussion: """
            A runbook is a markdown file of numbered steps, each optionally with a command; the
            format is defined in runbooks/README.md. irctl looks for NAME.md in, first match wins:
              1. --runbooks DIR
              2. IRCTL_RUNBOOKS (directories separated by ':')
              3. the store's config.json 'runbooks' (relative to the store)
              4. runbooks/ beside the store (the repository root for a team's .irctl/)
              5. the starter set built into irctl
            so a team's disk-full.md replaces the built-in one. Missing directories in 2-4 are
            skipped; a missing --runbooks DIR is an error.
            """,
        options: [
            runbooksOption,
            .flag(
                "--replace",
                help: "attach: replace the runbook already attached "
                    + "(its progress stays in the timeline)"
            ),
            .at("attach: when it was attached, if not now"),
        ],
        subcommands: [
            Subcommand(
                name: "list", aliases: ["ls"],
                summary: "every runbook: name, suggested severity, steps, title, source",
                options: ["runbooks"], examples: ["irctl runbook list"],
                run: { invocation in
                    try invocation.expectPositionals(atMost: 0)
                    return try list(invocation)
                }),
            Subcommand(
                name: "show", summary: "a runbook's markdown",
                arguments: [.required("NAME", .runbook)], options: ["runbooks"],
                examples: ["irctl runbook show disk-full"],
                run: { invocation in
                    guard let name = invocation.positionals.first else {
                        throw UsageError(
                            "missing NAME; run 'irctl runbook list' to see them", command: "runbook"
                        )
                    }
                    try invocation.expectPositionals(atMost: 1)
                    return try show(invocation, name: name)
                }),
            Subcommand(
                name: "lint", summary: "check runbook files for problems",
                arguments: [.repeating("PATH", .file, optional: true)], options: ["runbooks"],
                discussion: """
                    Checks files and directories (every *.md but README.md; default: the
                    directories above that exist, else the built-in set). Each problem is printed
                    to stdout as 'file:line: message'; exit 1 if there is any, else prints
                    'N runbooks OK'.
                    """,
                examples: ["irctl runbook lint runbooks/"],
                run: { try lint($0, paths: $0.positionals) }),
            Subcommand(
                name: "attach", summary: "copy a runbook's steps onto an incident as a checklist",
                arguments: [.incident, .required("NAME", .runbook)],
                options: ["replace", "runbooks", "at"],
                discussion: """
                    Copies the runbook's steps onto the incident as a checklist (a 'runbook'
                    entry); an attached runbook is only replaced with --replace. Tick steps off
                    with 'irctl step'.
                    """,
                examples: ["irctl runbook attach INC-1 failed-deployment"],
                run: { invocation in
                    let words = invocation.positionals
                    guard words.count >= 2 else {
                        throw UsageError(
                            "attach needs INCIDENT and NAME, "
                                + "e.g. irctl runbook attach INC-1 disk-full",
                            command: "runbook")
                    }
                    try invocation.expectPositionals(atMost: 2)
                    return try attach(invocation, incident: words[0], name: words[1])
                }),
        ],
        examples: [
            "irctl runbook list", "irctl runbook show disk-full", "irctl runbook lint runbooks/",
            "irctl runbook attach INC-1 failed-deployment",
        ])

    // MARK: list

    /// One line of `runbook list --json`.
    struct Listed: Encodable {
        var name: String
        var title: String
        var severity: String?
        var steps: Int
        var source: String
        var builtin: Bool
        var tags: [String]
        var services: [String]
    }

    static func list(_ invocation: Invocation) throws -> Int32 {
        let library = try invocation.runbookLibrary(config: invocation.config())
        let (runbooks, problems) = library.list()
        for problem in problems { invocation.output.warning(problem.description) }
        if invocation.json {
            try invocation.printJSON(
                runbooks.map {
                    Listed(
                        name: $0.name, title: $0.title, severity: $0.severity,
                        steps: $0.steps.count, source: $0.source,
                        builtin: $0.isBuiltin, tags: $0.tags, services: $0.services)
                })
            return ExitCode.success
        }
        guard !runbooks.isEmpty else {
            invocation.output.note("no runbooks found")
            return ExitCode.success
        }
        let style = invocation.output.style
        var table = Table(
            columns: [
                .init(header: "NAME", dropPriority: nil),
                .init(header: "SEV", dropPriority: 2),
                .init(header: "STEPS", dropPriority: 1),
                .init(header: "TITLE", dropPriority: nil, flexible: true),
                .init(header: "SOURCE", dropPriority: 3),
            ], rows: [])
        for runbook in runbooks {
            table.rows.append([
                TerminalText.singleLine(runbook.name),
                TerminalText.singleLine(runbook.severity ?? "—"),
                String(runbook.steps.count), TerminalText.singleLine(runbook.title),
                TerminalText.singleLine(
                    relative(runbook.source, to: invocation.system.workingDirectory)),
            ])
            let builtin = runbook.isBuiltin
            table.stylers.append([nil, nil, nil, nil, { builtin ? style.dim($0) : $0 }])
        }
        invocation.output.write(table.render(width: invocation.output.width, style: style))
        return ExitCode.success
    }

    // MARK: show

    static func show(_ invocation: Invocation, name: String) throws -> Int32 {
        let runbook = try invocation.runbookLibrary(config: invocation.config()).find(name)
        if invocation.json {
            try invocation.printJSON(runbook)
            return ExitCode.success
        }
        var text = TerminalText.sanitize(runbook.markdown)
        if !text.hasSuffix("\n") { text += "\n" }
        invocation.output.write(text)
        return ExitCode.success
    }

    // MARK: lint

    struct LintReport: Encodable {
        struct Problem: Encodable {
            var file: String
            var line: Int
            var message: String
        }
        var checked: Int
        var problems: [Problem]
    }

    static func lint(_ invocation: Invocation, paths: [String]) throws -> Int32 {
        let report: (checked: Int, problems: [RunbookProblem])
        if paths.isEmpty {
            let library = try invocation.runbookLibrary(config: invocation.config())
            let existing = library.directories.filter { path in
                var isDirectory: ObjCBool = false
                return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
                    && isDirectory.boolValue
            }
            report =
                existing.isEmpty
                ? RunbookLibrary.lintBuiltins() : RunbookLibrary.lintReport(paths: existing)
        } else {
            report = RunbookLibrary.lintReport(paths: paths)
        }
        if invocation.json {
            try invocation.printJSON(
                LintReport(
                    checked: report.checked,
                    problems: report.problems.map {
                        .init(file: $0.file, line: $0.line, message: $0.message)
                    }))
        } else if report.problems.isEmpty {
            invocation.output.line("\(report.checked) runbook\(report.checked == 1 ? "" : "s") OK")
        } else {
            for problem in report.problems {
                invocation.output.line(TerminalText.singleLine(problem.description))
            }
            let files = Set(report.problems.map(\.file)).count
            let count = report.problems.count
            let checked = report.checked
            invocation.output.note(
                "irctl: \(count) problem\(count == 1 ? "" : "s") in \(files) of \(checked) "
                    + "runbook file\(checked == 1 ? "" : "s")")
        }
        return report.problems.isEmpty ? ExitCode.success : ExitCode.failure
    }

    /// A team runbook's path as the table shows it: relative to the current directory when it is
    /// below it (`runbooks/disk-full.md`), else as it is.
    static func relative(_ path: String, to directory: String) -> String {
        let base = directory.hasSuffix("/") ? directory : directory + "/"
        return path.hasPrefix(base) ? String(path.dropFirst(base.count)) : path
    }

    // MARK: attach

    static func attach(
        _ invocation: Invocation, incident text: String, name: String
    ) throws -> Int32 {
        let id = try invocation.incidentID(text)
        let config = try invocation.config()
        let runbook = try invocation.runbookLibrary(config: config).find(name)
        let context = try invocation.editContext(config: config)
        let replace = invocation.arguments.flag("replace")
        let at = try invocation.time("at")
        let incident = try invocation.store.update(id) { incident in
            try incident.attachRunbook(runbook, replace: replace, at: at, context: context)
        }
        return try invocation.report(incident, attachedLine(incident.incident, runbook: runbook))
    }

    static func attachedLine(_ incident: Incident, runbook: Runbook) -> String {
        var line = "\(incident.id): attached runbook \(runbook.name) (\(runbook.steps.count) steps"
        if !runbook.isBuiltin { line += ", from \(runbook.source)" }
        line += ")"
        if let checklist = incident.runbook { line += " · " + checklist.progressLine }
        return line
    }
}
