import Foundation
import IncidentKit

enum ListCommand {
    static let command = Command(
        name: "list", aliases: ["ls"], summary: "list incidents, most severe first",
        discussion: """
            Lists open incidents, most severe first, then the oldest first. Filters combine (all
            must match); -s and --phase may be repeated (any of them matches). AGE is the time since
            detection. The table fits the terminal; titles are cut with '…', and on a narrow
            terminal the services, commander, age and phase columns make room for the title, in that
            order. An incident whose promised status update (see 'irctl update') is late is marked
            '[update overdue]'; a drill '[drill]', and one closed as a false alarm or a duplicate
            '[false alarm]' or '[duplicate]'. --csv prints RFC 4180 CSV with a header row (times in
            UTC ISO 8601).
            """,
        options: [
            .flag("--all", "-a", help: "include closed incidents"),
            .flag("--active", help: "only incidents still being worked (before review)"),
            .value(
                "-s", "--severity", value: "SEV", kind: .severity, repeatable: true,
                help: "only this severity (repeatable)"),
            .value(
                "--phase", value: "PHASE", kind: .phase, repeatable: true,
                help: "only this phase (repeatable; 'closed' implies --all)"),
            .value("--service", value: "NAME", help: "only incidents affecting this service"),
            .value(
                "--commander", "--owner", value: "NAME",
                help: "only incidents with this commander (--owner: the older spelling)"),
            .value("--tag", value: "TAG", help: "only incidents with this tag"),
            .value(
                "--since", value: "TIME", kind: .time,
                help: "only incidents detected at or after TIME"),
            .flag("--csv", help: "print CSV (RFC 4180, a header row) instead of a table"),
        ],
        examples: [
            "irctl list", "irctl list -s SEV1 -s SEV2 --active",
            "irctl list --all --since \"7d ago\" --json",
            "irctl list --all --csv > incidents.csv",
        ],
        run: run)

    static func run(_ invocation: Invocation) throws -> Int32 {
        try invocation.expectPositionals(atMost: 0)
        let arguments = invocation.arguments
        if invocation.json, arguments.flag("csv") {
            throw UsageError("--json and --csv exclude each other; give one", command: "list")
        }
        let config = try invocation.config()
        let scheme = config.severityScheme
        let severities = Set(
            try arguments.all("severity").flatMap(DeclareCommand.splitList).map {
                try scheme.parse($0).name
            })
        let phases = Set(
            try arguments.all("phase").flatMap(DeclareCommand.splitList).map { try Phase.parse($0) }
        )
        let since = try invocation.time("since")
        let includeClosed = arguments.flag("all") || phases.contains(.closed)

        // A table straight from the cache when it is trusted: rows cost what they print.
        if !arguments.flag("csv"),
            let listing = invocation.store.listing(includeClosed: includeClosed)
        {
            let filter = Filter(
                arguments: arguments, severities: severities, phases: phases, since: since,
                includeClosed: includeClosed)
            if let status = fast(listing, filter: filter, scheme: scheme, invocation: invocation) {
                return status
            }
        }
        let (all, problems) = invocation.store.summaries(
            includeClosed: includeClosed, progress: progress(invocation))
        invocation.warn(problems)
        var incidents = all.filter { summary in
            (includeClosed || summary.isOpen)
                && (!arguments.flag("active") || summary.isActive)
                && (severities.isEmpty || severities.contains(summary.severity))
                && (phases.isEmpty || phases.contains(summary.phase))
                && (arguments.value("service").map { summary.services.contains($0) } ?? true)
                && (arguments.value("commander").map { summary.roles.commander == $0 } ?? true)
                && (arguments.value("tag").map { summary.tags.contains($0) } ?? true)
                && (since.map { summary.detectedAt >= $0 } ?? true)
        }
        // Ranks looked up once per severity name, not once per comparison.
        var ranks: [String: Int] = [:]
        for summary in incidents where ranks[summary.severity] == nil {
            ranks[summary.severity] = scheme.rank(of: summary.severity)
        }
        // Sort small keys, not the summaries themselves (each a dozen strings to retain and
        // release).
        let keys = incidents.map {
            (open: $0.isOpen, rank: ranks[$0.severity]!, detected: $0.detectedAt, id: $0.id.number)
        }
        let order = keys.indices.sorted { i, j in
            let a = keys[i]
            let b = keys[j]
            if a.open != b.open { return a.open }
            if a.rank != b.rank { return a.rank < b.rank }
            if a.detected != b.detected { return a.detected < b.detected }
            return a.id < b.id
        }
        incidents = order.map { incidents[$0] }

        if invocation.json {
            var bytes = SummaryJSON.encode(incidents)
            bytes.append(0x0A)
            invocation.output.write(String(decoding: bytes, as: UTF8.self))
            return ExitCode.success
        }
        if arguments.flag("csv") {
            invocation.output.write(csv(incidents))
            return ExitCode.success
        }
        guard !incidents.isEmpty else {
            noneNote(arguments: arguments, includeClosed: includeClosed, invocation: invocation)
            return ExitCode.success
        }
        invocation.output.write(
            table(
                incidents, scheme: scheme,
                overdue: overdueUpdates(incidents, invocation: invocation),
                invocation: invocation))
        return ExitCode.success
    }

    static func noneNote(arguments: ParsedArguments, includeClosed: Bool, invocation: Invocation) {
        let filtered =
            arguments.has("severity") || arguments.has("phase") || arguments.has("service")
            || arguments.has("commander") || arguments.has("tag") || arguments.has("since")
            || arguments.flag("active")
        invocation.output.note(
            filtered
                ? "no incidents match" : (includeClosed ? "no incidents yet" : "no open incidents"))
    }

    /// The filters of `list`, as they apply to a summary and to a row of a listing alike.
    struct Filter {
        var includeClosed: Bool
        var active: Bool
        var severities: Set<String>
        var phases: Set<Phase>
        var service: String?
        var owner: String?
        var tag: String?
        var since: Date?

        init(
            arguments: ParsedArguments, severities: Set<String>, phases: Set<Phase>, since: Date?,
            includeClosed: Bool
        ) {
            self.includeClosed = includeClosed
            active = arguments.flag("active")
            self.severities = severities
            self.phases = phases
            service = arguments.value("service")
            owner = arguments.value("commander")
            tag = arguments.value("tag")
            self.since = since
        }

        func matches(_ row: Listing.Row, in listing: Listing) -> Bool {
            (includeClosed || row.isOpen)
                && (!active || row.isActive)
                && (phases.isEmpty || phases.contains(row.phase))
                && (severities.isEmpty || severities.contains(listing.text(row.severity)))
                && (service.map { listing.list(row.services, contains: $0) } ?? true)
                && (owner.map { !row.commander.isEmpty && listing.field(row.commander, is: $0) }
                    ?? true)
                && (tag.map { listing.list(row.tags, contains: $0) } ?? true)
                && (since.map { Double(row.detectedAt) >= $0.timeIntervalSince1970 } ?? true)
        }
    }

    /// The table or JSON from a listing, in the order and with the marks of those from
    /// summaries; nil when a record can't be written this way (the summaries then decide).
    static func fast(
        _ listing: Listing, filter: Filter, scheme: SeverityScheme,
        invocation: Invocation
    ) -> Int32? {
        var rows: [Int] = []
        rows.reserveCapacity(listing.rows.count)
        for (i, row) in listing.rows.enumerated() where filter.matches(row, in: listing) {
            rows.append(i)
        }
        guard !rows.isEmpty || invocation.json else {
            noneNote(
                arguments: invocation.arguments, includeClosed: filter.includeClosed,
                invocation: invocation)
            return ExitCode.success
        }
        // Ranks looked up once per severity name, not once per row: rows are compared with the
        // few distinct names by their bytes.
        var distinct: [(name: Range<Int>, rank: Int)] = []
        var ranks = [Int](repeating: 0, count: listing.rows.count)
        for i in rows {
            let severity = listing.rows[i].severity
            if let known = distinct.first(where: { listing.sameBytes($0.name, severity) }) {
                ranks[i] = known.rank
            } else {
                let rank = scheme.rank(of: listing.text(severity))
                distinct.append((severity, rank))
                ranks[i] = rank
            }
        }
        // Open first, most severe, oldest, lowest number: packed into one key and the number.
        let keys = rows.map { i -> (key: UInt64, number: Int, row: Int) in
            let row = listing.rows[i]
            let detected = UInt64(clamping: min(max(row.detectedAt + (1 << 45), 0), (1 << 46) - 1))
            let key = (row.isOpen ? 0 : 1 << 62) | UInt64(min(ranks[i], 0xFFFF)) << 46 | detected
            return (key, row.number, i)
        }.sorted { $0.key != $1.key ? $0.key < $1.key : $0.number < $1.number }
        rows = keys.map(\.row)
        if invocation.json {
            guard var bytes = SummaryJSON.encode(listing, order: rows) else { return nil }
            bytes.append(0x0A)
            invocation.output.write(bytes: bytes)
            return ExitCode.success
        }
        let now = invocation.now
        let overdue = rows.map { i -> Bool in
            let row = listing.rows[i]
            guard row.isOpen, let due = row.nextUpdateAt else { return false }
            return now > Date(timeIntervalSince1970: Double(due))
        }
        let table = ListingTable(
            listing: listing, order: rows, ranks: rows.map { ranks[$0] }, overdue: overdue)
        invocation.output.write(
            bytes: table.render(
                now: now, width: invocation.output.width,
                style: invocation.output.style))
        return ExitCode.success
    }

    /// A progress line on stderr while incident files are read (a fresh clone, a large pull), once
    /// that has taken over a second, and only when stderr is a terminal; erased before the output.
    static func progress(_ invocation: Invocation) -> ((Int, Int) -> Void)? {
        guard invocation.system.stderrIsTerminal else { return nil }
        let started = DispatchTime.now().uptimeNanoseconds
        let write = invocation.system.writeError
        return { done, total in
            guard DispatchTime.now().uptimeNanoseconds - started > 1_000_000_000 else { return }
            let line = "reading incident files: \(done) of \(total)…"
            write(
                "\r" + line
                    + (done >= total ? "\r" + String(repeating: " ", count: line.count) + "\r" : "")
            )
        }
    }

    /// The incidents whose promised status update is late, from their summaries.
    static func overdueUpdates(
        _ incidents: [IncidentSummary], invocation: Invocation
    ) -> Set<IncidentID> {
        Set(incidents.filter { $0.isUpdateOverdue(at: invocation.now) }.map(\.id))
    }

    static let csvHeader = [
        "id", "title", "severity", "phase", "open", "commander", "comms", "tech", "scribe",
        "services", "tags",
        "startedAt", "detectedAt", "declaredAt", "containedAt", "recoveredAt", "closedAt",
        "entryCount", "openActionItems", "uid", "drill", "closedAs", "duplicateOf",
    ]

    static func csv(_ incidents: [IncidentSummary]) -> String {
        func time(_ date: Date?) -> String { date.map(Timestamp.format) ?? "" }
        return CSV.document(
            header: csvHeader,
            rows: incidents.map { s in
                [
                    s.id.description, s.title, s.severity, s.phase.rawValue,
                    s.isOpen ? "true" : "false",
                    s.roles.commander ?? "", s.roles.comms ?? "", s.roles.tech ?? "",
                    s.roles.scribe ?? "",
                    s.services.joined(separator: ";"), s.tags.joined(separator: ";"),
                    time(s.startedAt), time(s.detectedAt), time(s.declaredAt), time(s.containedAt),
                    time(s.recoveredAt), time(s.closedAt),
                    String(s.entryCount), String(s.openActionItems), s.uid,
                    s.isDrill ? "true" : "false", s.closedAs?.name ?? "",
                    s.closedAs?.original ?? "",
                ]
            })
    }

    static func table(
        _ incidents: [IncidentSummary], scheme: SeverityScheme, overdue: Set<IncidentID> = [],
        invocation: Invocation
    ) -> String {
        let style = invocation.output.style
        let now = invocation.now
        var table = Table(columns: ListingTable.columns, rows: [])
        for summary in incidents {
            let age =
                summary.isOpen
                ? DurationFormat.age(now.timeIntervalSince(summary.detectedAt)) : "closed"
            table.rows.append([
                summary.id.description,
                TerminalText.singleLine(summary.severity),
                summary.phase.rawValue,
                age,
                TerminalText.singleLine(summary.roles.commander ?? "—"),
                TerminalText.singleLine(
                    summary.services.isEmpty ? "—" : summary.services.joined(separator: ",")),
                (overdue.contains(summary.id) ? "[update overdue] " : "")
                    + ClosedAs.marker(drill: summary.isDrill, closedAs: summary.closedAs)
                    + TerminalText.singleLine(summary.title),
            ])
            let rank = scheme.rank(of: summary.severity)
            let phase = summary.phase
            let late: ((String) -> String)? = overdue.contains(summary.id) ? { style.red($0) } : nil
            table.stylers.append([
                nil, { style.severity($0, rank: rank) }, { _ in style.phase(phase) }, nil, nil, nil,
                late,
            ])
        }
        return table.render(width: invocation.output.width, style: style)
    }
}
