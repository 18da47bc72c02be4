import Foundation
import IncidentKit

enum SearchCommand {
    static let command = Command(
        name: "search", aliases: ["grep"],
        summary: "find past incidents by what was written in them",
        arguments: [.repeating("QUERY")],
        discussion: """
            Looks through every incident, open and closed: titles, timeline texts, the narrative
            (root cause, resolution …), services, tags, action items and alert labels. Case and
            accents don't matter ("reseau" finds "Réseau"), nor do plurals and -ed/-ing endings.

            QUERY syntax (words of several arguments are one query):
              word            an incident must mention every word (when none mentions them
                              all, those mentioning most are shown, and a note says so)
              "two words"     an exact phrase (quote it for the shell too: '"pool exhausted"')
              conn*           any word starting with conn
              -word           leave out incidents mentioning word (also -"a phrase", -tag:db)
              service:NAME    only incidents affecting NAME (also tag:TAG, sev:1, phase:closed)
            A word nothing mentions finds words one letter away ("postgress" finds "postgres").
            An excluded word that is also an option (-a, -s, -n, -h) goes after '--'.

            Hits are ranked by relevance (BM25, a title word counting most), the most recent first
            among equals. Each shows id, severity, phase, detection day and title, then the text
            that matched (matches in bold on a terminal, between '*' elsewhere), and for a closed
            incident its root cause (or resolution). At most --limit hits (default 10); --all shows
            every one. -s, --service and --since narrow like field filters.

            With --json: an object {"query", "total", "partial", "hits": [...]}, each hit {"id",
            "uid", "severity", "phase", "open", "detectedAt", "title", "services", "tags", "score",
            "snippet": {"source", "label", "text", "marks"} or null, "rootCause", "resolution"};
            "marks" are [start, end) offsets into the snippet's text, in Unicode scalars.
            """,
        options: [
            .flag("--all", "-a", help: "every hit, not only the first --limit"),
            .value(
                "-s", "--severity", value: "SEV", kind: .severity, repeatable: true,
                help: "only this severity (repeatable)"),
            .value("--service", value: "NAME", help: "only incidents affecting this service"),
            .value(
                "--since", value: "TIME", kind: .time,
                help: "only incidents detected at or after TIME"),
            .value("--limit", "-n", value: "N", help: "at most N hits (default 10)"),
        ],
        examples: [
            "irctl search connection pool exhausted",
            "irctl search '\"pool exhausted\"' service:postgres -replica",
            "irctl search deploy* --since \"30d ago\" -s 1 -s 2",
            "irctl search kafka lag --all --json",
        ],
        dashWords: true,
        run: run)

    static let defaultLimit = 10

    static func run(_ invocation: Invocation) throws -> Int32 {
        let arguments = invocation.arguments
        let text = invocation.positionals.joined(separator: " ")
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw UsageError(
                "missing QUERY; say what to look for, e.g. irctl search \"connection pool\"",
                command: "search")
        }
        var query = try SearchQuery(text)
        let config = try invocation.config()
        let scheme = config.severityScheme
        // Field values as the index keeps them: a severity by its level's name, a phase checked.
        query.clauses = try query.clauses.map { try normalized($0, scheme: scheme) }
        query.excluded = try query.excluded.map { try normalized($0, scheme: scheme) }
        for text in arguments.all("severity").flatMap(DeclareCommand.splitList) {
            query.clauses.append(
                .field(.severity, SearchQuery.fieldValue(try scheme.parse(text).name)))
        }
        if let service = arguments.value("service") {
            query.clauses.append(.field(.service, SearchQuery.fieldValue(service)))
        }
        let limit = try self.limit(invocation)
        var options = SearchOptions(limit: limit, since: try invocation.time("since"))
        options.matchAll = true
        let result = invocation.store.search(query, options: options)
        if invocation.json {
            let hits = result.hits.map(JSONHit.init)
            try invocation.printJSON(
                JSONResult(query: text, total: result.total, partial: result.partial, hits: hits))
            return ExitCode.success
        }
        guard !result.hits.isEmpty else {
            invocation.output.note(
                "no incident matches \(TerminalText.singleLine(String(text.prefix(80))))")
            return ExitCode.success
        }
        if result.partial {
            invocation.output.note("no incident mentions every word; these mention some of them")
        }
        invocation.output.write(render(result.hits, invocation: invocation))
        if result.total > result.hits.count {
            invocation.output.note(
                "\(result.hits.count) of \(result.total) matching incidents shown; "
                    + "--limit N or --all shows more")
        }
        return ExitCode.success
    }

    static func limit(_ invocation: Invocation) throws -> Int? {
        let arguments = invocation.arguments
        if arguments.flag("all") {
            if arguments.has("limit") {
                throw UsageError(
                    "--all and --limit exclude each other; give one",
                    command: invocation.command.name)
            }
            return nil
        }
        guard let text = arguments.value("limit") else { return defaultLimit }
        guard let n = Int(text), n >= 1, n <= 100_000 else {
            throw ValueError.invalidValue(
                option: "--limit", value: text, expected: "a whole number from 1 to 100000")
        }
        return n
    }

    private static func normalized(
        _ clause: SearchQuery.Clause, scheme: SeverityScheme
    ) throws
        -> SearchQuery.Clause
    {
        guard case .field(let field, let value) = clause else { return clause }
        switch field {
        case .severity:
            do {
                return .field(.severity, SearchQuery.fieldValue(try scheme.parse(value).name))
            } catch {
                throw SearchError.badFieldValue(
                    field: "sev", value: value,
                    expected: "use a severity such as 1, SEV1 or P1")
            }
        case .phase:
            do {
                return .field(.phase, try Phase.parse(value).rawValue)
            } catch {
                throw SearchError.badFieldValue(
                    field: "phase", value: value,
                    expected: "use one of " + Phase.allCases.map(\.rawValue).joined(separator: ", ")
                )
            }
        case .service, .tag:
            return clause
        }
    }

    // MARK: Output

    /// Each hit: a header line, the text that matched, and a closed incident's answer.
    static func render(_ hits: [SearchHit], invocation: Invocation) -> String {
        let style = invocation.output.style
        let scheme = ((try? invocation.config()) ?? StoreConfig()).severityScheme
        let width = invocation.output.width
        var out = ""
        let idWidth = hits.map { "INC-\($0.number)".count }.max() ?? 0
        for hit in hits {
            let id = pad("INC-\(hit.number)", to: idWidth)
            let severity = style.severity(
                pad(TerminalText.singleLine(hit.severity), to: 4),
                rank: scheme.rank(of: hit.severity))
            let phase =
                Phase(rawValue: hit.phase).map { style.phase($0) }
                ?? TerminalText.singleLine(hit.phase)
            let phaseColumn = phase + String(repeating: " ", count: max(0, 9 - hit.phase.count))
            let lead = "\(id)  \(severity)  \(phaseColumn)  \(invocation.display.date(hit.date))  "
            let titleRoom = width.map { max(10, $0 - displayWidth(lead.strippingStyle)) }
            out +=
                style.bold(id) + String(lead.dropFirst(id.count))
                + marked(hit.title, hit.titleMarks, style: style, room: titleRoom) + "\n"
            let indent = String(repeating: " ", count: idWidth + 2)
            let answer = hit.answer
            // A snippet of the root cause (or resolution) is the answer line itself.
            let answerShown =
                hit.snippet.map {
                    $0.source == "narrative" && narrativeName($0.label) == answer?.label
                } ?? false
            if let snippet = hit.snippet {
                let label =
                    snippet.source == "narrative" ? narrativeName(snippet.label) : snippet.source
                let room = width.map { max(10, $0 - indent.count - label.count - 2) }
                out +=
                    indent + style.dim(label + ":") + " "
                    + marked(snippet.text, snippet.marks, style: style, room: room) + "\n"
            }
            if let answer, !answerShown {
                let line = answer.label + ": " + TerminalText.singleLine(answer.text)
                out +=
                    indent + (width.map { truncate(line, to: max(10, $0 - indent.count)) } ?? line)
                    + "\n"
            }
        }
        return out
    }

    /// "rootCause" as a person says it: "root cause".
    static func narrativeName(_ key: String) -> String {
        var out = ""
        for character in key {
            if character.isUppercase {
                out += " " + character.lowercased()
            } else {
                out.append(character)
            }
        }
        return out
    }

    /// `text` with the byte ranges `marks` in bold (between '*' without colours), cut to `room`
    /// columns when there is a terminal.
    static func marked(_ text: String, _ marks: [Range<Int>], style: Style, room: Int?) -> String {
        let bytes = Array(text.utf8)
        var out = ""
        var used = 0
        var at = 0
        var cut = false
        func add(_ piece: String, bold: Bool) {
            guard !cut else { return }
            var piece = TerminalText.singleLine(piece)
            let extra = bold && !style.enabled ? 2 : 0
            if let room, used + displayWidth(piece) + extra > room {
                piece = truncate(piece, to: max(1, room - used - extra))
                cut = true
            }
            used += displayWidth(piece) + extra
            out += bold ? (style.enabled ? style.bold(piece) : "*" + piece + "*") : piece
        }
        for mark in marks where mark.lowerBound >= at && mark.upperBound <= bytes.count {
            add(String(decoding: bytes[at..<mark.lowerBound], as: UTF8.self), bold: false)
            add(String(decoding: bytes[mark], as: UTF8.self), bold: true)
            at = mark.upperBound
        }
        add(String(decoding: bytes[at...], as: UTF8.self), bold: false)
        return out
    }

    // MARK: JSON

    struct JSONResult: Encodable {
        var query: String
        var total: Int
        var partial: Bool
        var hits: [JSONHit]
    }

    struct JSONSnippet: Encodable {
        var source: String
        var label: String
        var text: String
        var marks: [[Int]]
    }

    struct JSONHit: Encodable {
        var id: String
        var uid: String
        var severity: String
        var phase: String
        var open: Bool
        var detectedAt: Date
        var title: String
        var services: [String]
        var tags: [String]
        var score: Double
        var snippet: JSONSnippet?
        var rootCause: String?
        var resolution: String?

        init(_ hit: SearchHit) {
            id = "INC-\(hit.number)"
            uid = hit.uid
            severity = hit.severity
            phase = hit.phase
            open = hit.isOpen
            detectedAt = hit.date
            title = hit.title
            services = hit.services
            tags = hit.tags
            score = (hit.score * 1000).rounded() / 1000
            snippet = hit.snippet.map { snippet in
                let bytes = Array(snippet.text.utf8)
                func scalars(_ offset: Int) -> Int {
                    String(decoding: bytes[0..<offset], as: UTF8.self).unicodeScalars.count
                }
                return JSONSnippet(
                    source: snippet.source, label: snippet.label, text: snippet.text,
                    marks: snippet.marks.map { [scalars($0.lowerBound), scalars($0.upperBound)] })
            }
            rootCause = hit.rootCause
            resolution = hit.resolution
        }

        enum CodingKeys: String, CodingKey {
            case id, uid, severity, phase, open, detectedAt, title, services, tags, score, snippet
            case rootCause, resolution
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(uid, forKey: .uid)
            try c.encode(severity, forKey: .severity)
            try c.encode(phase, forKey: .phase)
            try c.encode(open, forKey: .open)
            try c.encode(detectedAt, forKey: .detectedAt)
            try c.encode(title, forKey: .title)
            try c.encode(services, forKey: .services)
            try c.encode(tags, forKey: .tags)
            try c.encode(score, forKey: .score)
            // Always present, null when there is none, so scripts need not test for the key.
            try c.encode(snippet, forKey: .snippet)
            try c.encode(rootCause, forKey: .rootCause)
            try c.encode(resolution, forKey: .resolution)
        }
    }
}

extension String {
    /// The text without ANSI styling, for measuring.
    var strippingStyle: String {
        var out = ""
        var inEscape = false
        for scalar in unicodeScalars {
            if scalar == "\u{1B}" {
                inEscape = true
                continue
            }
            if inEscape {
                if scalar == "m" { inEscape = false }
                continue
            }
            out.unicodeScalars.append(scalar)
        }
        return out
    }
}
