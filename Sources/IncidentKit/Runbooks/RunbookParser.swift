/// Parses runbook markdown (format: `runbooks/README.md`) and lints it in the same pass.
///
/// The parser is line based and deliberately small: it understands front matter, `#`/`##`
/// headings, fenced code blocks, and top-level numbered list items under `## Steps`.
/// Everything else is kept verbatim in `markdown` for display.
public enum RunbookParser {
    /// Parses a runbook; returns the runbook (nil when it is unusable) and every problem found
    /// (lint).
    ///
    /// A runbook is usable when its name is valid and it has a title and at least one step;
    /// any other problem is reported but does not stop a responder from using it.
    public static func parse(
        _ text: String, name: String, source: String
    ) -> (runbook: Runbook?, problems: [RunbookProblem]) {
        var parser = Parse(text: text, name: name, source: source)
        return parser.run()
    }

    /// Decodes file bytes as UTF-8, reporting the line of the first invalid byte.
    static func decode(_ bytes: [UInt8], file: String) -> (text: String?, problem: RunbookProblem?)
    {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var scalars = String.UnicodeScalarView()
        var line = 1
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                if scalar == "\n" { line += 1 }
                scalars.append(scalar)
            case .emptyInput:
                var text = String(scalars)
                if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
                return (text, nil)
            case .error:
                return (
                    nil,
                    RunbookProblem(
                        file: file, line: line,
                        message: "file is not valid UTF-8; save it as UTF-8 text")
                )
            }
        }
    }

    static func problemFile(name: String, source: String) -> String {
        source == RunbookFormat.builtinSource ? "\(RunbookFormat.builtinSource)/\(name).md" : source
    }
}

/// The state of one parse; a value so the parser stays free of shared state.
private struct Parse {
    struct Fence {
        var marker: Character
        var length: Int
        var indent: Int
        var line: Int
        var step: Int?  // index of the step that owns it, if any
        var content: [String] = []
    }
    struct StepDraft {
        var number: Int
        var line: Int
        var text: [String]
        var command: String?
        var blocks = 0
        var paragraphOpen = true
    }

    let name: String
    let source: String
    let file: String
    let text: String
    var lines: [String]
    var problems: [RunbookProblem] = []

    init(text: String, name: String, source: String) {
        self.text = text
        self.name = name
        self.source = source
        self.file = RunbookParser.problemFile(name: name, source: source)
        var body = text
        if body.hasPrefix("\u{FEFF}") { body.removeFirst() }
        // "\r\n" is one Character in Swift, so it is matched as a separator of its own.
        lines = body.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }.map(
            String.init)
    }

    mutating func problem(_ line: Int, _ message: String) {
        problems.append(RunbookProblem(file: file, line: line, message: message))
    }

    mutating func run() -> (runbook: Runbook?, problems: [RunbookProblem]) {
        var usable = true
        if !RunbookName.isValid(name) {
            problem(
                1,
                "invalid runbook name '\(name)'; rename the file using lower-case letters, digits "
                    + "and '-' (e.g. disk-full.md)"
            )
            usable = false
        }
        guard let (keys, bodyStart) = frontMatter() else {
            return (nil, problems)
        }
        let body = scanBody(from: bodyStart)

        var title = keys["title"].map { RunbookFormat.unquote($0.value) }.flatMap {
            $0.isEmpty ? nil : $0
        }
        if title == nil { title = body.heading }
        if title == nil {
            problem(
                1,
                "missing title; add 'title: <title>' to the front matter or a '# <title>' heading")
            usable = false
        }

        var severity: String?
        if let entry = keys["severity"] {
            let value = RunbookFormat.unquote(entry.value)
            if RunbookFormat.isSeverity(value) {
                severity = value
            } else {
                problem(entry.line, "invalid severity '\(value)'; write it like SEV2 or P2")
            }
        }

        for section in RunbookFormat.requiredSections where body.sections[section] == nil {
            if section == RunbookFormat.steps {
                problem(1, "no '## Steps' section; add one with numbered steps ('1. …')")
            } else {
                problem(1, "missing '\(RunbookFormat.heading(section))' section; add it")
            }
        }
        if let stepsLine = body.sections[RunbookFormat.steps]?.line, body.steps.isEmpty {
            problem(
                stepsLine, "'## Steps' has no steps; write them as '1. …' at the start of a line")
        }
        if body.steps.isEmpty { usable = false }

        var steps: [RunbookStep] = []
        for (index, draft) in body.steps.enumerated() {
            if draft.number != index + 1 {
                problem(
                    draft.line,
                    "step numbered \(draft.number), expected \(index + 1); number the steps 1, 2, "
                        + "3 … in order"
                )
            }
            let stepText = draft.text.joined(separator: " ")
            if stepText.isEmpty {
                problem(
                    draft.line,
                    "step \(draft.number) has no text; write what to do after '\(draft.number).'")
            }
            steps.append(
                RunbookStep(
                    number: draft.number, text: stepText, command: draft.command, line: draft.line))
        }

        problems.sort { ($0.line, $0.message) < ($1.line, $1.message) }
        guard usable, let title else { return (nil, problems) }
        var metadata: [String: String] = [:]
        for (key, entry) in keys where RunbookFormat.metadataKeys.contains(key) {
            metadata[key] = RunbookFormat.unquote(entry.value)
        }
        let runbook = Runbook(
            name: name, title: title,
            whenToUse: body.sectionText(RunbookFormat.whenToUse, lines: lines),
            severity: severity, tags: keys["tags"].map { RunbookFormat.list($0.value) } ?? [],
            metadata: metadata, steps: steps, source: source, markdown: text)
        return (runbook, problems)
    }

    /// Reads `key: value` lines between `---` lines at the very top. Returns nil when the
    /// front matter never ends: then nothing after it can be trusted.
    mutating func frontMatter() -> (keys: [String: (value: String, line: Int)], bodyStart: Int)? {
        guard let first = lines.first, first.runbookTrimmed == "---" else { return ([:], 0) }
        guard
            let end = lines.indices.dropFirst().first(where: { lines[$0].runbookTrimmed == "---" })
        else {
            problem(
                1,
                "front matter opened with '---' is never closed; add a '---' line after the last "
                    + "key"
            )
            return nil
        }
        var keys: [String: (value: String, line: Int)] = [:]
        for index in 1..<end {
            let line = lines[index].runbookTrimmed
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let colon = line.firstIndex(of: ":"), !line[..<colon].runbookTrimmed.isEmpty
            else {
                problem(index + 1, "expected 'key: value' in front matter, found '\(line)'")
                continue
            }
            let key = String(line[..<colon]).runbookTrimmed
            let value = String(line[line.index(after: colon)...]).runbookTrimmed
            if !RunbookFormat.knownKeys.contains(key) {
                let known = RunbookFormat.knownKeys.sorted().joined(separator: ", ")
                problem(index + 1, "unknown front matter key '\(key)'; known keys: \(known)")
            } else if keys[key] != nil {
                problem(index + 1, "duplicate front matter key '\(key)'; keep one")
            } else {
                keys[key] = (value, index + 1)
            }
        }
        return (keys, end + 1)
    }

    struct Body {
        var heading: String?
        // 1-based heading line, exclusive end index
        var sections: [String: (line: Int, end: Int)] = [:]
        var steps: [StepDraft] = []

        func sectionText(_ key: String, lines: [String]) -> String? {
            guard let section = sections[key] else { return nil }
            let text = lines[section.line..<section.end].joined(separator: "\n")
                .runbookTrimming("\n \t")
            return text.isEmpty ? nil : text
        }
    }

    mutating func scanBody(from start: Int) -> Body {
        var body = Body()
        var section: String?
        var current: Int?  // index in body.steps of the step being read
        var fence: Fence?

        func closeSection(_ key: String?, at index: Int, _ body: inout Body) {
            if let key, let open = body.sections[key], open.end == Int.max {
                body.sections[key] = (open.line, index)
            }
        }

        for index in start..<lines.count {
            let line = lines[index]
            let number = index + 1
            let indent = line.prefix { $0 == " " || $0 == "\t" }.count
            let stripped = line.dropFirst(indent)

            if var open = fence {
                let run = stripped.prefix { $0 == open.marker }.count
                if run >= open.length, stripped.dropFirst(run).runbookTrimmed.isEmpty {
                    if let step = open.step, body.steps[step].command == nil {
                        body.steps[step].command = open.content.joined(separator: "\n")
                    }
                    fence = nil
                } else {
                    open.content.append(String(line.dropFirst(min(indent, open.indent))))
                    fence = open
                }
                continue
            }

            if let marker = stripped.first, marker == "`" || marker == "~" {
                let run = stripped.prefix { $0 == marker }.count
                if run >= 3 {
                    var owner: Int?
                    if section == RunbookFormat.steps, let step = current {
                        if indent == 0 {
                            problem(
                                number,
                                "code block is not indented under step \(body.steps[step].number); "
                                    + "indent it to make it the step's command"
                            )
                            current = nil
                        } else {
                            body.steps[step].paragraphOpen = false
                            body.steps[step].blocks += 1
                            if body.steps[step].blocks > 1 {
                                problem(
                                    number,
                                    "step \(body.steps[step].number) has more than one code block; "
                                        + "give each command its own step"
                                )
                            } else {
                                owner = step
                            }
                        }
                    }
                    fence = Fence(
                        marker: marker, length: run, indent: indent, line: number, step: owner)
                    continue
                }
            }

            if indent == 0, let level = headingLevel(line) {
                current = nil
                guard level <= 2 else { continue }
                let title = headingText(line, level: level)
                closeSection(section, at: index, &body)
                if level == 1 {
                    if body.heading == nil, !title.isEmpty { body.heading = title }
                    section = nil
                    continue
                }
                let key = title.lowercased()
                if RunbookFormat.knownSections.contains(key), body.sections[key] != nil {
                    problem(
                        number, "duplicate '\(RunbookFormat.heading(key))' section; merge the two")
                    section = nil
                } else {
                    section = key
                    body.sections[key] = (number, Int.max)
                }
                continue
            }

            guard section == RunbookFormat.steps else { continue }
            if indent == 0, let (stepNumber, rest) = stepMarker(line) {
                body.steps.append(
                    StepDraft(number: stepNumber, line: number, text: rest.isEmpty ? [] : [rest]))
                current = body.steps.count - 1
                continue
            }
            guard let step = current else { continue }
            if stripped.isEmpty {
                if !body.steps[step].text.isEmpty { body.steps[step].paragraphOpen = false }
            } else if indent == 0 {
                current = nil  // prose after a step ends it
            } else if body.steps[step].paragraphOpen {
                if isListItem(stripped) {
                    body.steps[step].paragraphOpen = false
                } else {
                    body.steps[step].text.append(stripped.runbookTrimmed)
                }
            }
        }
        closeSection(section, at: lines.count, &body)
        if let open = fence {
            let marker = String(repeating: open.marker, count: open.length)
            problem(
                open.line,
                "code block opened with \(marker) is never closed; add a closing \(marker) line")
        }
        return body
    }

    func headingLevel(_ line: String) -> Int? {
        let hashes = line.prefix { $0 == "#" }.count
        guard (1...6).contains(hashes) else { return nil }
        let rest = line.dropFirst(hashes)
        return rest.isEmpty || rest.first == " " || rest.first == "\t" ? hashes : nil
    }

    func headingText(_ line: String, level: Int) -> String {
        var text = Substring(line.dropFirst(level).runbookTrimmed)
        while text.last == "#" { text.removeLast() }  // closing hashes: `## Steps ##`
        return String(text).runbookTrimmed
    }

    /// `12. text` or `12.` at the start of a line.
    func stepMarker(_ line: String) -> (Int, String)? {
        let digits = line.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count <= 9 else { return nil }
        let rest = line.dropFirst(digits.count)
        guard rest.first == "." else { return nil }
        let after = rest.dropFirst()
        guard after.isEmpty || after.first == " " || after.first == "\t", let number = Int(digits)
        else { return nil }
        return (number, String(after).runbookTrimmed)
    }

    func isListItem(_ text: Substring) -> Bool {
        if let first = text.first, "-*+".contains(first), text.dropFirst().first == " " {
            return true
        }
        return stepMarker(String(text)) != nil
    }
}

extension String {
    func runbookTrimming(_ set: String) -> String {
        var text = Substring(self)
        while let first = text.first, set.contains(first) { text.removeFirst() }
        while let last = text.last, set.contains(last) { text.removeLast() }
        return String(text)
    }
}
