import Foundation

/// The markdown form `irctl edit` opens in the editor: the title and every narrative field under a
/// `## Heading`, each with a one-line HTML comment saying what belongs there.
///
/// Reading it back: text under a known heading, up to the next known heading, is that field, with
/// comment lines (`<!-- … -->` on one line) dropped and blank lines trimmed; an empty section
/// clears the field, a deleted heading leaves it as it was. Other `## ` lines are part of the text.
public enum NarrativeForm {
    public enum Field: Hashable, Sendable {
        case title
        case narrative(NarrativeField)

        public var heading: String {
            switch self {
            case .title: "Title"
            case .narrative(let field): field.title
            }
        }
    }

    public static let fields: [Field] = [.title] + NarrativeField.allCases.map(Field.narrative)

    public static func render(_ incident: Incident) -> String {
        var out =
            "<!-- irctl edit \(incident.id). Write under each heading; an empty section clears "
            + "that field. -->\n"
        out +=
            "<!-- Save and quit to store the changes; quit without saving (or exit non-zero, :cq "
            + "in vi) to cancel. -->\n"
        for field in fields {
            out += "\n## \(field.heading)\n"
            switch field {
            case .title:
                out += "<!-- One line. -->\n" + incident.title + "\n"
            case .narrative(let narrative):
                out += "<!-- \(narrative.prompt) -->\n"
                if let text = incident.narrative[narrative] { out += text + "\n" }
            }
        }
        return out
    }

    /// The value of each field found in `text`; nil for a section left empty.
    public static func parse(_ text: String) -> [Field: String?] {
        var result: [Field: String?] = [:]
        var current: Field?
        var lines: [Substring] = []
        func finish() {
            guard let field = current else { return }
            let body = lines.filter { !isComment($0) }
            let joined = body.joined(separator: "\n").trimmingCharacters(
                in: .whitespacesAndNewlines)
            result[field] = .some(joined.isEmpty ? nil : joined)
        }
        for line in text.replacingOccurrences(of: "\r\n", with: "\n").split(
            separator: "\n", omittingEmptySubsequences: false)
        {
            if line.hasPrefix("## "),
                let field = fields.first(where: {
                    $0.heading.lowercased()
                        == line.dropFirst(3).trimmingCharacters(in: .whitespaces).lowercased()
                }),
                result[field] == nil, field != current
            {
                finish()
                current = field
                lines = []
            } else if current != nil {
                lines.append(line)
            }
        }
        finish()
        return result
    }

    private static func isComment(_ line: Substring) -> Bool {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        return trimmed.hasPrefix("<!--") && trimmed.hasSuffix("-->")
    }
}
