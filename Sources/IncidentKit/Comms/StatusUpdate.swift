import Foundation

/// A stakeholder status update drafted from an incident (`irctl update`): state, impact, what we
/// know, what we are doing, who leads, and when the next update comes, for an internal or an
/// external audience, as plain text, markdown or Slack mrkdwn.
public struct StatusUpdate: Hashable, Sendable {
    /// Where the response stands, in the words status pages use.
    public enum State: String, CaseIterable, Sendable {
        case investigating, identified, monitoring, resolved

        /// The state a phase suggests: detect/declare investigating, contain/eradicate identified,
        /// recover monitoring, review and closed resolved.
        public init(phase: Phase) {
            switch phase {
            case .detect, .declare: self = .investigating
            case .contain, .eradicate: self = .identified
            case .recover: self = .monitoring
            case .review, .closed: self = .resolved
            }
        }

        public var title: String { rawValue.prefix(1).uppercased() + rawValue.dropFirst() }

        public static func parse(_ text: String) throws(ValueError) -> State {
            guard let state = State(rawValue: text.lowercased()) else {
                throw .invalidValue(
                    option: "--state", value: text,
                    expected: allCases.map(\.rawValue).joined(separator: ", "))
            }
            return state
        }
    }

    /// Who reads it. External updates leave out names and internal links (and the incident's
    /// severity and id, which mean nothing outside).
    public enum Audience: String, CaseIterable, Sendable {
        case `internal`, external

        public static func parse(_ text: String) throws(ValueError) -> Audience {
            guard let audience = Audience(rawValue: text.lowercased()) else {
                throw .invalidValue(
                    option: "--audience", value: text, expected: "internal or external")
            }
            return audience
        }
    }

    public enum Format: String, CaseIterable, Sendable {
        case text, markdown, slack

        public static func parse(_ text: String) throws(ValueError) -> Format {
            guard let format = Format(rawValue: text.lowercased()) else {
                throw .invalidValue(
                    option: "--format", value: text, expected: "text, markdown or slack")
            }
            return format
        }
    }

    public var state: State
    public var audience: Audience
    public var format: Format
    /// What we know now, in the responder's words; else the incident's summary.
    public var message: String?
    /// When the next update is promised; nil for none (a final update).
    public var next: Date?
    /// The message may ping a whole channel and carry links (`@here`, `<!channel>`,
    /// `[text](url)`): the responder asked for it. Stored text never may (see ``Mentions``).
    public var allowMentions: Bool

    public init(
        state: State, audience: Audience = .internal, format: Format = .text,
        message: String? = nil, next: Date? = nil, allowMentions: Bool = false
    ) {
        self.state = state
        self.audience = audience
        self.format = format
        self.message = message
        self.next = next
        self.allowMentions = allowMentions
    }

    /// What the team is doing, by phase.
    static func doing(_ phase: Phase) -> String {
        switch phase {
        case .detect: "Investigating reports of a problem; it is not confirmed yet."
        case .declare: "Investigating the cause."
        case .contain: "Working to limit the impact."
        case .eradicate: "The impact is limited; removing the cause."
        case .recover: "A fix is in place; restoring normal service and watching it."
        case .review, .closed: "Normal service is restored; we are reviewing what happened."
        }
    }

    /// The update's fields in order, as (label, value); values are one line each.
    func fields(of incident: Incident, nextText: String?) -> [(String, String)] {
        func line(_ text: String) -> String {
            text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }.joined(separator: " ")
        }
        var fields: [(String, String)] = []
        let impact =
            incident.narrative.impact.map(line)
            ?? (incident.services.isEmpty
                ? "Being assessed."
                : "Affects \(incident.services.joined(separator: ", ")); the extent is being "
                    + "assessed.")
        fields.append(("Impact", impact))
        let known =
            message.map(line).flatMap { $0.isEmpty ? nil : $0 } ?? incident.narrative.summary.map(
                line) ?? incident.title
        fields.append((Self.knownLabel, known))
        fields.append(("What we are doing", Self.doing(incident.phase)))
        if audience == .internal {
            let leads = Role.allCases.compactMap { role in
                incident.roles[role].map { "\(role.title.lowercased()) \($0)" }
            }
            fields.append(
                ("Who leads", leads.isEmpty ? "no one assigned yet" : leads.joined(separator: ", "))
            )
            if !incident.links.isEmpty {
                fields.append(
                    (
                        "Links",
                        incident.links.map { "\($0.label) \($0.url)" }.joined(separator: " · ")
                    ))
            }
        }
        fields.append(
            (
                "Next update",
                nextText
                    ?? (state == .resolved ? "none; this is the final update" : "none promised")
            ))
        return fields
    }

    /// The update as it is sent. `nextText` is the promised time as the reader should see it
    /// (with its zone); the caller formats it because the library has no idea of the reader's zone.
    public func render(_ incident: Incident, severity: SeverityLevel?, nextText: String?) -> String
    {
        let fields = fields(of: incident, nextText: nextText)
        let title = Mentions.neutralized(incident.title)
        let severityText = Mentions.neutralized(
            severity.map {
                "\($0.name) (\($0.description.prefix(while: { $0 != ":" })))"
            } ?? incident.severity)
        // Only the message typed with this command may ping or link, and only when allowed.
        let typed = message?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let ownMessage = allowMentions && !typed.isEmpty
        func own(_ label: String) -> Bool { ownMessage && label == Self.knownLabel }
        switch format {
        case .text:
            let title = TerminalText.singleLine(title)
            var out =
                audience == .internal
                ? "[\(state.rawValue.uppercased())] \(incident.id) · \(title) · \(severityText)\n"
                : "[\(state.rawValue.uppercased())] \(title)\n"
            for (label, value) in fields {
                out += "\(label): \(own(label) ? value : Mentions.neutralized(value))\n"
            }
            return out
        case .markdown:
            var out =
                audience == .internal
                ? "**\(state.title)** · \(incident.id) · \(Markdown.inline(title)) · "
                    + "\(Markdown.inline(severityText))\n\n"
                : "**\(state.title)** · \(Markdown.inline(title))\n\n"
            for (label, value) in fields {
                let shown =
                    own(label)
                    ? Markdown.inlineKeepingLinks(value)
                    : Markdown.inline(Mentions.neutralized(value))
                out += "- **\(label):** \(shown)\n"
            }
            return out
        case .slack:
            var out =
                audience == .internal
                ? "*\(state.title)* · \(incident.id) · \(Self.slack(title)) · "
                    + "\(Self.slack(severityText))\n"
                : "*\(state.title)* · \(Self.slack(title))\n"
            for (label, value) in fields {
                let shown =
                    own(label)
                    ? Self.slack(value, keepingMentions: true)
                    : Self.slack(Mentions.neutralized(value))
                out += "• *\(label):* \(shown)\n"
            }
            return out
        }
    }

    /// The field that holds the message.
    static let knownLabel = "What we know"

    /// Slack mrkdwn: `&`, `<` and `>` are control characters there (`<!channel>` pings everyone,
    /// `<url|text>` makes a link), so they are sent as entities; newlines fold into spaces.
    /// With `keepingMentions`, Slack's own mentions (`<!here>`, `<!channel>`, `<@U123>`) are left
    /// as they are, for a message the responder allowed to ping.
    public static func slack(_ text: String, keepingMentions: Bool = false) -> String {
        var out = ""
        let characters = Array(TerminalText.singleLine(text))
        var i = 0
        while i < characters.count {
            let character = characters[i]
            if keepingMentions, character == "<", i + 1 < characters.count,
                "!@".contains(characters[i + 1]),
                let end = characters[(i + 1)...].prefix(100)
                    .firstIndex(where: { " <>".contains($0) }),
                characters[end] == ">"
            {
                out += String(characters[i...end])
                i = end + 1
                continue
            }
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            default: out.append(character)
            }
            i += 1
        }
        return out
    }
}
