/// Escaping for text from an incident placed into markdown, so that what a responder typed can't
/// change the document's structure: no injected headings, table cells, HTML or code
/// fences that swallow the rest of the page. Control characters are shown escaped first, as on a
/// terminal, since the file is likely to be `cat`ed too.
public enum Markdown {
    /// Text for one line of prose, a heading or a list item: newlines become spaces and every
    /// character markdown gives meaning inline is backslash-escaped; `<` and `&` become entities.
    public static func inline(_ text: String) -> String {
        escapeInline(TerminalText.singleLine(normalized(text)), lineBreak: " ")
    }

    /// Like `inline`, but the writer's own links (`[text](url)`, `![alt](url)`) stay links: for
    /// text a responder typed and explicitly allowed to carry them.
    public static func inlineKeepingLinks(_ text: String) -> String {
        escapeInline(
            TerminalText.singleLine(normalized(text)), lineBreak: " ",
            keep: ["[", "]", "!"])
    }

    /// Text for one table cell: like `inline`, and a newline becomes `<br>`.
    public static func cell(_ text: String) -> String {
        escapeInline(
            TerminalText.sanitize(normalized(text)).replacingOccurrences(of: "\t", with: " "),
            lineBreak: "<br>")
    }

    /// A block of the team's own markdown (a narrative field): lists, emphasis and code blocks are
    /// kept, but raw HTML is escaped, a line can't start a heading (`#`, or a `===`/`---`
    /// underline), and an unclosed code fence is closed so it can't swallow the sections after it.
    public static func block(_ text: String) -> String {
        var out: [String] = []
        var fence: (character: Character, length: Int)?
        for raw in TerminalText.sanitize(normalized(text)).split(
            separator: "\n", omittingEmptySubsequences: false)
        {
            let line = String(raw)
            let indent = line.prefix(while: { $0 == " " }).count
            let body = line.dropFirst(indent)
            if indent <= 3, let marker = body.first, marker == "`" || marker == "~" {
                let length = body.prefix(while: { $0 == marker }).count
                if length >= 3 {
                    if let open = fence {
                        if marker == open.character, length >= open.length,
                            body.dropFirst(length).allSatisfy({ $0 == " " })
                        {
                            fence = nil
                        }
                    } else if marker == "~" || !body.dropFirst(length).contains("`") {
                        fence = (marker, length)
                    }
                    out.append(line)
                    continue
                }
            }
            if fence != nil {
                out.append(line)
                continue
            }
            var escaped = line.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(
                of: "<", with: "&lt;")
            let trimmed = body.trimmingTrailingSpaces
            if indent <= 3, let first = trimmed.first {
                let headingLike = first == "#"
                let underline =
                    (first == "=" || first == "-") && trimmed.allSatisfy({ $0 == first })
                    && (first == "=" || trimmed.count >= 2)
                if headingLike || underline {
                    escaped = String(line.prefix(indent)) + "\\" + escaped.dropFirst(indent)
                }
            }
            out.append(escaped)
        }
        if let open = fence { out.append(String(repeating: open.character, count: open.length)) }
        return out.joined(separator: "\n")
    }

    /// A label inside a Mermaid diagram: only characters Mermaid's grammar treats as plain text
    /// (letters, digits, spaces and `-_.,()/+'`), everything else becomes a space; at most 80
    /// characters.
    public static func mermaidLabel(_ text: String) -> String {
        var out = ""
        for character in text {
            let plain = character.isLetter || character.isNumber || " -_.,()/+'".contains(character)
            out.append(plain && !character.isNewline ? character : " ")
        }
        let words = out.split(separator: " ", omittingEmptySubsequences: true).joined(
            separator: " ")
        return words.count > 80 ? String(words.prefix(79)) + "…" : words
    }

    // MARK: -

    private static func normalized(_ text: String) -> String {
        text.replacingOccurrences(of: "\r\n", with: "\n")
    }

    private static let specials: Set<Character> = [
        "\\", "`", "*", "_", "[", "]", "|", "#", "~", "!", "$",
    ]

    private static func escapeInline(
        _ text: String, lineBreak: String,
        keep: Set<Character> = []
    ) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "\n": out += lineBreak
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            default:
                if specials.contains(character), !keep.contains(character) { out.append("\\") }
                out.append(character)
            }
        }
        return out
    }
}

extension Substring {
    fileprivate var trimmingTrailingSpaces: Substring {
        var s = self
        while s.last == " " || s.last == "\t" { s = s.dropLast() }
        return s
    }
}
