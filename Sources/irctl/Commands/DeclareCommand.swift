import Foundation
import IncidentKit

enum DeclareCommand {
    static let creationOptions: [OptionSpec] = [
        .value(
            "-s", "--severity", value: "SEV", kind: .severity,
            help: "severity: SEV1 (critical) … SEV4 (low); also 2, sev2, P2. Default SEV3"),
        .value(
            "--service", value: "NAME", repeatable: true,
            help: "an affected service (repeat for several)"),
        .value(
            "--commander", "--owner", value: "NAME",
            help: "the incident commander (--owner: the older spelling)"),
        .value("--tag", value: "TAG", repeatable: true, help: "a tag (repeat for several)"),
        .value(
            "--started", value: "TIME", kind: .time,
            help: "when impact began, if before detection"),
        .value(
            "--detected", value: "TIME", kind: .time,
            help: "when it was detected (default: now, or --at)"),
        .at(
            "declare: when it was declared (default now); detect: when it was detected. Past times "
                + "only"
        ),
        .value("--summary", value: "TEXT", help: "a first summary of what is happening"),
        .value(
            "--title", value: "TEXT",
            help: "the title, when it could be mistaken for an id (e.g. '42')"),
        .value(
            "--runbook", value: "NAME", kind: .runbook,
            help: "attach this runbook as a checklist (see 'irctl runbook list')"),
        runbooksOption,
        .flag("--no-similar", help: "don't print past incidents like it (see 'irctl similar')"),
        .flag(
            "--drill",
            help: "an exercise, not a real incident: marked as such, left out of 'irctl stats'"),
    ]

    static let declare = Command(
        name: "declare", summary: "declare an incident, or promote a detected one",
        forms: [
            UsageForm(arguments: [.required("TITLE")]),
            UsageForm(
                arguments: [.incident],
                options: [
                    "severity", "service", "commander", "tag", "started", "detected", "at",
                    "summary", "runbook", "drill",
                ]),
        ],
        discussion: """
            With a TITLE, opens a new incident in phase 'declare' and prints its id. With an
            INCIDENT id (INC-7, 7) of an incident in phase 'detect', declares it; the other options
            (severity, services, tags, commander, times, summary, runbook, --drill) apply to it in
            the same change.
            The detection and the declaration are the first entries of its timeline. --runbook NAME
            attaches a runbook as a checklist in the same change (see 'irctl runbook'). A title that
            is a number is given with --title: 'irctl declare --title 42'.

            --drill marks an exercise: shown as a drill in list, show, the postmortem, --json
            ("drill": true) and the site, and left out of 'irctl stats' unless --include drills.

            Writing an incident up afterwards: --at TIME dates the declaration (and the detection,
            unless --detected says otherwise), also when promoting: 'irctl declare INC-7 --at
            14:05'. A bare time such as 23:50 later than now means yesterday's. Bare times given
            together are read together: the latest of --at, --detected and --started as just said,
            and each earlier one on the same day. '--started 13:55 --detected 14:02' typed at 14:00
            is yesterday's 13:55 and 14:02.
            """,
        options: creationOptions,
        examples: [
            "irctl declare \"Checkout returns 5xx\" -s SEV2 --service checkout --commander alice",
            "irctl declare \"Deploy 2.4 broke checkout\" -s 2 --runbook failed-deployment",
            "irctl declare \"Checkout returns 5xx\" --detected \"yesterday 14:02\" --at "
                + "\"yesterday 14:05\"",
            "irctl declare INC-4 -s 1 --at 14:05",
            "irctl declare INC-4 --commander alice --service search",
            "irctl declare \"Game day: primary database failover\" --drill",
        ],
        run: { try run($0, phase: .declare) })

    static let detect = Command(
        name: "detect", summary: "open a possible incident (phase detect)",
        arguments: [.required("TITLE")],
        discussion: """
            Records something that may be an incident before anyone has confirmed it. Promote it
            with 'irctl declare INCIDENT' once confirmed, or close it with 'irctl close INCIDENT
            --force'.
            """,
        options: creationOptions,
        examples: ["irctl detect \"p99 latency alert on search\" --service search"],
        run: { try run($0, phase: .detect) })

    static func run(_ invocation: Invocation, phase: Phase) throws -> Int32 {
        let arguments = invocation.arguments
        let config = try invocation.config()
        let scheme = config.severityScheme
        let severity = try arguments.value("severity").map { text throws(ValueError) in
            try scheme.parse(text)
        }
        // Looked up before the store is locked: a wrong name changes nothing.
        let runbook = try arguments.value("runbook").map {
            try invocation.runbookLibrary(config: config).find($0)
        }

        // `declare INC-7`: promote a detected incident.
        if phase == .declare, arguments.value("title") == nil, invocation.positionals.count == 1,
            let id = IncidentID(invocation.positionals[0])
        {
            return try promote(id, severity: severity, runbook: runbook, invocation: invocation)
        }

        let title: String
        if let explicit = arguments.value("title") {
            try invocation.expectPositionals(atMost: 0)
            title = explicit
        } else {
            guard !invocation.positionals.isEmpty else {
                throw UsageError(
                    "missing TITLE; say what is wrong, e.g. irctl \(phase.rawValue) \"Checkout "
                        + "returns 5xx\"",
                    command: phase.rawValue)
            }
            title = invocation.positionals.joined(separator: " ")
        }
        guard title.utf8.count <= 1000, !title.contains(where: \.isNewline) else {
            throw ValueError.invalidValue(
                option: "TITLE", value: String(title.prefix(40)),
                expected: "one line of at most 1000 bytes")
        }
        var new = NewIncident(
            title: title, severity: severity ?? scheme.parse(default: "SEV3"), phase: phase)
        new.services = arguments.all("service").flatMap(splitList)
        new.tags = arguments.all("tag").flatMap(splitList)
        new.roles.commander = arguments.value("commander").flatMap {
            $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0
        }
        let times = try invocation.eventTimes()
        new.startedAt = times.started
        new.detectedAt = times.detected
        new.isDrill = arguments.flag("drill")
        if let at = times.at {
            if phase == .declare {
                new.declaredAt = at
            } else if let detected = new.detectedAt, detected != at {
                throw UsageError(
                    "--at and --detected both say when it was detected; give one", command: "detect"
                )
            } else {
                new.detectedAt = at
            }
        }
        new.summary = arguments.value("summary")
        if let started = new.startedAt,
            started > (new.detectedAt ?? new.declaredAt ?? invocation.now)
        {
            // A bad value, not a bad command line: the message alone, without the usage.
            let detected = new.detectedAt ?? new.declaredAt ?? invocation.now
            throw ValueError.invalidValue(
                option: "--started", value: arguments.value("started")!,
                expected: "a time at or before the detection (\(Timestamp.format(detected)));"
                    + " impact can't begin after it was detected")
        }
        let context = try invocation.editContext(config: config)
        let uid = UUID().uuidString.lowercased()
        let incident = try invocation.store.create { id in
            var incident = try Incident.open(new, id: id, uid: uid, context: context)
            if let runbook {
                try incident.attachRunbook(
                    runbook, at: new.declaredAt ?? new.detectedAt, context: context)
            }
            return incident
        }
        var line =
            "\(incident.id) \(phase == .detect ? "detected" : "declared")"
            + (incident.isDrill ? " (drill)" : "") + ": \(incident.severity) · "
            + "\(incident.title)"
        if let commander = incident.roles.commander { line += " · commander \(commander)" }
        if let checklist = incident.runbook {
            line += " · runbook \(checklist.name) (\(checklist.steps.count) steps)"
        }
        let status = try invocation.report(incident, line)
        if !invocation.json, !arguments.flag("no-similar"), config.similar != false {
            // After the incident is stored: the hint never delays or fails the declaration.
            for hint in SimilarCommand.hints(for: incident.incident, invocation: invocation) {
                invocation.output.note("similar: " + hint)
            }
        }
        return status
    }

    /// `declare INC-7 [options]`: declares a detected incident, and applies the other options
    /// given in the same change.
    static func promote(
        _ id: IncidentID, severity: SeverityLevel?, runbook: Runbook?, invocation: Invocation
    ) throws -> Int32 {
        let arguments = invocation.arguments
        let config = try invocation.config()
        let context = try invocation.editContext(config: config)
        let times = try invocation.eventTimes()
        let services = arguments.all("service").flatMap(splitList)
        let tags = arguments.all("tag").flatMap(splitList)
        let commander = arguments.value("commander")?.trimmingCharacters(in: .whitespaces)
        let summary = arguments.value("summary")
        let update = {
            try invocation.store.update(id) { incident in
                // Detection and impact first: the declaration can't come before them.
                let started = times.started.map(Timestamp.wholeSeconds)
                let detected = times.detected.map(Timestamp.wholeSeconds)
                if let started, started != incident.startedAt, started <= incident.detectedAt {
                    try incident.setStarted(started, at: times.at, context: context)
                }
                if let detected, detected != incident.detectedAt {
                    try incident.setDetected(detected, at: times.at, context: context)
                }
                if let started, started != incident.startedAt {
                    try incident.setStarted(started, at: times.at, context: context)
                }
                try incident.declare(severity: severity, at: times.at, context: context)
                let newServices = services.filter { !incident.services.contains($0) }
                if !newServices.isEmpty {
                    try incident.changeServices(
                        add: newServices, remove: [], at: times.at, context: context)
                }
                let newTags = tags.filter { !incident.tags.contains($0) }
                if !newTags.isEmpty {
                    try incident.changeTags(
                        add: newTags, remove: [], at: times.at, context: context)
                }
                if let commander, !commander.isEmpty, incident.roles.commander != commander {
                    try incident.assign([(.commander, commander)], at: times.at, context: context)
                }
                if let summary, incident.narrative.summary != summary {
                    try incident.setNarrative(
                        .summary, to: summary, at: times.at, context: context)
                }
                if arguments.flag("drill"), !incident.isDrill {
                    try incident.markDrill(at: times.at, context: context)
                }
                if let runbook {
                    try incident.attachRunbook(runbook, at: times.at, context: context)
                }
            }
        }
        let incident: StoredIncident
        do {
            incident = try update()
        } catch StoreError.incidentNotFound(let missing, let store)
            where invocation.positionals[0].allSatisfy(\.isNumber)
        {
            throw DeclareError.noIncidentToPromote(
                missing, typed: invocation.positionals[0], store: store)
        }
        var line =
            "\(incident.id) declared" + (incident.isDrill ? " (drill)" : "")
            + ": \(incident.severity) · \(incident.title)"
        if let commander = incident.roles.commander { line += " · commander \(commander)" }
        if let checklist = incident.runbook, runbook != nil {
            line += " · runbook \(checklist.name) (\(checklist.steps.count) steps)"
        }
        return try invocation.report(incident, line)
    }

    /// `--service a,b` is the same as `--service a --service b`.
    static func splitList(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter {
            !$0.isEmpty
        }
    }
}

extension SeverityScheme {
    /// The level for a default name, else the middle of the scheme: SEV3 in the standard one.
    func parse(default name: String) -> SeverityLevel {
        (try? parse(name)) ?? levels[levels.count / 2]
    }
}

/// A declaration that can't be made.
enum DeclareError: DescribedError {
    /// `declare 42` with no INC-42: perhaps 42 was meant as the title.
    case noIncidentToPromote(IncidentID, typed: String, store: String)

    var message: String {
        switch self {
        case .noIncidentToPromote(let id, let typed, let store):
            "no incident \(id) to promote in the store at \(store); to declare a new incident"
                + " titled '\(typed)', give the title with --title: irctl declare --title \(typed)"
        }
    }
}
