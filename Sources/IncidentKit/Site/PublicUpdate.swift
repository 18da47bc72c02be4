import Foundation

/// One status update as the public may see it: only what an external update said (`irctl update
/// --audience external`), never an internal update, a name, an internal link or a timeline text.
public struct PublicUpdate: Codable, Hashable, Sendable {
    public var at: Date
    public var state: String
    /// The incident's title as the update gave it.
    public var title: String
    /// The update's fields, one `Label: value` a line.
    public var body: String
}

/// The public-safety filter: from a whole incident to the few words the status page may carry.
public struct PublicFilter: Sendable {
    public var redactor: Redactor

    public init(redactor: Redactor) { self.redactor = redactor }

    /// The fields an external update may carry, in order; any other line is dropped.
    static let publicLabels = ["Impact", "What we know", "What we are doing", "Next update"]

    /// The incident's external updates that stand (not struck), oldest first, each parsed back
    /// from the text that was sent, then cleaned of names and internal links and redacted.
    public func updates(of incident: Incident) -> [PublicUpdate] {
        let struck = incident.strikes
        var names = Set<String>()
        for role in Role.allCases { if let name = incident.roles[role] { names.insert(name) } }
        for entry in incident.timeline { names.insert(entry.author) }
        for item in incident.actionItems { if let owner = item.owner { names.insert(owner) } }
        let internalLinks = incident.links.map(\.url)
        var result: [PublicUpdate] = []
        for entry in incident.timeline where entry.kind == .comms && struck[entry.hash] == nil {
            guard case .comms(let update?) = entry.change, update.audience == "external",
                let parsed = Self.parse(update.text, format: update.format)
            else { continue }
            let state = StatusUpdate.State(rawValue: update.state)?.rawValue ?? "investigating"
            func clean(_ text: String) -> String {
                redactor.redact(
                    Self.removeLinks(
                        Self.removeNames(text, names),
                        internal: internalLinks))
            }
            let body = parsed.fields.map { "\($0.0): \(clean($0.1))" }.joined(separator: "\n")
            result.append(
                PublicUpdate(
                    at: entry.at, state: state, title: clean(parsed.title),
                    body: body))
        }
        return result.sorted { $0.at < $1.at }
    }

    /// The title and the public fields of an update as sent in any of the three formats.
    static func parse(
        _ text: String, format: String
    ) -> (
        title: String,
        fields: [(
            String,
            String
        )]
    )? {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        guard !lines.isEmpty else { return nil }
        let head = lines.removeFirst()
        var title: String
        switch format {
        case "markdown", "slack":
            // "**State** · title" / "*State* · title"
            guard let dot = head.range(of: " · ") else { return nil }
            title = String(head[dot.upperBound...])
        default:
            // "[STATE] title"
            guard head.hasPrefix("["), let close = head.firstIndex(of: "]") else { return nil }
            title = String(head[head.index(after: close)...]).trimmingCharacters(in: .whitespaces)
        }
        var fields: [(String, String)] = []
        for line in lines {
            var rest = line
            for marker in [
                "- ",
                "• ",
            ] where rest.hasPrefix(marker) { rest = String(rest.dropFirst(2)) }
            rest = rest.replacingOccurrences(of: "**", with: "")
            if format == "slack" { rest = rest.replacingOccurrences(of: "*", with: "") }
            guard let colon = rest.range(of: ": ") ?? rest.range(of: ":") else { continue }
            let label = String(rest[..<colon.lowerBound])
            guard publicLabels.contains(label) else { continue }
            fields.append(
                (
                    label,
                    String(rest[colon.upperBound...]).trimmingCharacters(in: .whitespaces)
                ))
        }
        if format == "markdown" {
            title = unescapeMarkdown(title)
            fields = fields.map { ($0.0, unescapeMarkdown($0.1)) }
        } else if format == "slack" {
            title = unescapeSlack(title)
            fields = fields.map { ($0.0, unescapeSlack($0.1)) }
        }
        return (title, fields)
    }

    static func unescapeMarkdown(_ text: String) -> String {
        var out = ""
        var escaped = false
        for c in text {
            if !escaped, c == "\\" {
                escaped = true
                continue
            }
            escaped = false
            out.append(c)
        }
        return out
    }

    static func unescapeSlack(_ text: String) -> String {
        text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    /// Every responder's name in the text (as a whole word, any case) becomes "the team".
    static func removeNames(_ text: String, _ names: Set<String>) -> String {
        var out = text
        for name in names.sorted(by: { $0.count > $1.count }) where name.count >= 3 {
            var searchFrom = out.startIndex
            while let range = out.range(
                of: name, options: [.caseInsensitive],
                range: searchFrom..<out.endIndex)
            {
                let before =
                    range.lowerBound == out.startIndex
                    ? nil : out[out.index(before: range.lowerBound)]
                let after = range.upperBound == out.endIndex ? nil : out[range.upperBound]
                let boundary = { (c: Character?) in
                    c.map { !($0.isLetter || $0.isNumber) }
                        ?? true
                }
                if boundary(before) && boundary(after) {
                    let offset = out.distance(from: out.startIndex, to: range.lowerBound)
                    out.replaceSubrange(range, with: "the team")
                    searchFrom = out.index(out.startIndex, offsetBy: offset + "the team".count)
                } else {
                    searchFrom = range.upperBound
                }
            }
        }
        return out
    }

    /// Links the incident records as its own (dashboards, chat rooms), and links to hosts that
    /// only an intranet resolves, become "[internal link removed]".
    static func removeLinks(_ text: String, internal links: [String]) -> String {
        var words: [String] = []
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            let w = String(word)
            guard let start = w.range(of: "://"), w.lowercased().contains("http") else {
                words.append(w)
                continue
            }
            let host = w[start.upperBound...].prefix {
                $0 != "/" && $0 != ":" && $0 != "?"
                    && $0 != "#"
            }
            .lowercased()
            let bare = w.trimmingCharacters(in: CharacterSet(charactersIn: "()<>.,;\"\'"))
            let isInternal =
                links.contains {
                    !$0.isEmpty
                        && (bare.hasPrefix($0)
                            || $0.hasPrefix(bare))
                }
                || !host.contains(".")
                || [
                    ".internal", ".local", ".lan", ".corp", ".intranet", ".localhost", ".home.arpa",
                ]
                .contains { host.hasSuffix($0) }
                || host.allSatisfy { $0.isNumber || $0 == "." }
            words.append(isInternal ? "[internal link removed]" : w)
        }
        return words.joined(separator: " ")
    }
}
