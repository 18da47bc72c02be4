import Foundation
import IncidentKit

/// The help topics' text: a small part of markdown (headings, paragraphs, lists, code blocks,
/// tables, `code` and **bold**), written once and shown both on a terminal and in the man page.
struct Prose {
    enum Block: Equatable {
        case heading(level: Int, text: String)
        case paragraph(String)
        /// Items, each with its marker (`-` or `1.`).
        case list([(marker: String, text: String)])
        case code([String])
        case table([[String]])

        static func == (a: Block, b: Block) -> Bool {
            switch (a, b) {
            case (.heading(let l, let x), .heading(let m, let y)): l == m && x == y
            case (.paragraph(let x), .paragraph(let y)): x == y
            case (.list(let x), .list(let y)):
                x.map(\.marker) == y.map(\.marker) && x.map(\.text) == y.map(\.text)
            case (.code(let x), .code(let y)): x == y
            case (.table(let x), .table(let y)): x == y
            default: false
            }
        }
    }

    var blocks: [Block]

    init(_ text: String) {
        blocks = Self.parse(
            text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
    }

    static func parse(_ lines: [String]) -> [Block] {
        var blocks: [Block] = []
        var index = 0
        func isListItem(_ line: String) -> (String, String)? {
            if line.hasPrefix("- ") { return ("-", String(line.dropFirst(2))) }
            let digits = line.prefix(while: \.isNumber)
            if !digits.isEmpty, line.dropFirst(digits.count).hasPrefix(". ") {
                return (digits + ".", String(line.dropFirst(digits.count + 2)))
            }
            return nil
        }
        while index < lines.count {
            let line = lines[index]
            if line.trimmingCharacters(in: .whitespaces).isEmpty {
                index += 1
            } else if line.hasPrefix("```") {
                var code: [String] = []
                index += 1
                while index < lines.count, !lines[index].hasPrefix("```") {
                    code.append(lines[index])
                    index += 1
                }
                index += 1
                blocks.append(.code(code))
            } else if line.hasPrefix("#") {
                let level = line.prefix(while: { $0 == "#" }).count
                blocks.append(
                    .heading(
                        level: level,
                        text: line.dropFirst(level).trimmingCharacters(in: .whitespaces)))
                index += 1
            } else if line.hasPrefix("|") {
                var rows: [[String]] = []
                while index < lines.count, lines[index].hasPrefix("|") {
                    let row = cells(lines[index])
                    if !row.allSatisfy({ $0.allSatisfy { "-: ".contains($0) } }) {
                        rows.append(row)
                    }
                    index += 1
                }
                blocks.append(.table(rows))
            } else if line.hasPrefix("    ") {
                var code: [String] = []
                while index < lines.count,
                    lines[index].hasPrefix("    ") || lines[index].isEmpty,
                    !(lines[index].isEmpty
                        && (index + 1 == lines.count || !lines[index + 1].hasPrefix("    ")))
                {
                    code.append(String(lines[index].dropFirst(4)))
                    index += 1
                }
                blocks.append(.code(code))
            } else if isListItem(line) != nil {
                var items: [(marker: String, text: String)] = []
                while index < lines.count {
                    if let (marker, text) = isListItem(lines[index]) {
                        items.append((marker, text))
                    } else if lines[index].hasPrefix("  "), !items.isEmpty {
                        items[items.count - 1].text +=
                            " " + lines[index].trimmingCharacters(in: .whitespaces)
                    } else {
                        break
                    }
                    index += 1
                }
                blocks.append(.list(items))
            } else {
                var words: [String] = []
                while index < lines.count {
                    let next = lines[index]
                    if next.trimmingCharacters(in: .whitespaces).isEmpty || next.hasPrefix("```")
                        || next.hasPrefix("#") || next.hasPrefix("|") || isListItem(next) != nil
                    {
                        break
                    }
                    words.append(next.trimmingCharacters(in: .whitespaces))
                    index += 1
                }
                blocks.append(.paragraph(words.joined(separator: " ")))
            }
        }
        return blocks
    }

    /// A table row's cells; `\|` is a bar inside a cell.
    static func cells(_ line: String) -> [String] {
        var cells: [String] = []
        var current = ""
        var escaped = false
        for character in line.trimmingCharacters(in: .whitespaces).dropFirst() {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "|" {
                cells.append(current.trimmingCharacters(in: .whitespaces))
                current = ""
            } else {
                current.append(character)
            }
        }
        return cells
    }

    /// Inline markup as plain text: `code` and **bold** lose their marks, a link keeps its words
    /// (and its address, when it leads out of the help).
    static func plain(_ text: String) -> String {
        var result = ""
        var inCode = false
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if character == "`" {
                inCode.toggle()
                index = text.index(after: index)
                continue
            }
            if !inCode, text[index...].hasPrefix("**") {
                index = text.index(index, offsetBy: 2)
                continue
            }
            if !inCode, character == "[", let close = text[index...].firstIndex(of: "]"),
                text.index(after: close) < text.endIndex, text[text.index(after: close)] == "(",
                let end = text[close...].firstIndex(of: ")")
            {
                let words = text[text.index(after: index)..<close]
                let target = text[text.index(close, offsetBy: 2)..<end]
                result +=
                    target.hasPrefix("#") || target.hasPrefix("irctl help")
                    ? String(words) : "\(words) (\(target))"
                index = text.index(after: end)
                continue
            }
            result.append(character)
            index = text.index(after: index)
        }
        return result
    }

    // MARK: Terminal

    func terminal(style: Style, width: Int) -> String {
        var out: [String] = []
        for block in blocks {
            switch block {
            case .heading(_, let text):
                out.append(style.bold(Self.plain(text).uppercased()))
            case .paragraph(let text):
                out.append(
                    Self.wrap(Self.plain(text), width: width, indent: "").joined(separator: "\n"))
            case .list(let items):
                out.append(
                    items.map { item in
                        let lead = "  " + item.marker + " "
                        return Self.wrap(
                            Self.plain(item.text), width: width,
                            indent: String(repeating: " ", count: lead.count),
                            first: lead
                        ).joined(separator: "\n")
                    }.joined(separator: "\n"))
            case .code(let lines):
                out.append(lines.map { $0.isEmpty ? "" : "    " + $0 }.joined(separator: "\n"))
            case .table(let rows):
                let plain = rows.map { $0.map(Self.plain) }
                if let lines = Self.aligned(plain, width: width - 2) {
                    out.append(
                        lines.enumerated().map {
                            "  " + ($0.offset == 0 ? style.bold($0.element) : $0.element)
                        }
                        .joined(separator: "\n"))
                } else {
                    // Too wide for columns: each row's first cell, the others under it.
                    out.append(
                        plain.dropFirst().map { row in
                            (["  " + (row.first ?? "")]
                                + Self.wrap(
                                    row.dropFirst().joined(separator: "; "), width: width,
                                    indent: "      ")).joined(separator: "\n")
                        }.joined(separator: "\n"))
                }
            }
        }
        return out.joined(separator: "\n\n") + "\n"
    }

    /// A table's rows as lines of aligned columns, or nil when they would be wider than `width`.
    static func aligned(_ rows: [[String]], width: Int) -> [String]? {
        let columns = rows.map(\.count).max() ?? 0
        let widths = (0..<columns).map { column in
            rows.map { column < $0.count ? displayWidth($0[column]) : 0 }.max() ?? 0
        }
        guard widths.reduce(0, +) + 2 * max(0, columns - 1) <= width else { return nil }
        return rows.map { row in
            row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : pad(cell, to: widths[column])
            }.joined(separator: "  ")
        }
    }

    /// Words filled to `width`; a word longer than the line stays whole.
    static func wrap(_ text: String, width: Int, indent: String, first: String? = nil) -> [String] {
        var lines: [String] = []
        var line = first ?? indent
        var empty = true
        for word in text.split(separator: " ") {
            if !empty, displayWidth(line) + 1 + displayWidth(String(word)) > width {
                lines.append(line)
                line = indent
                empty = true
            }
            line += (empty ? "" : " ") + word
            empty = false
        }
        lines.append(line)
        return lines
    }

    // MARK: roff

    /// The blocks as man(7) requests; `level` 1 and 2 headings become subsections.
    func roff() -> String {
        var out = ""
        for block in blocks {
            switch block {
            case .heading(_, let text):
                out += ".SS " + Roff.escape(Self.plain(text)) + "\n"
            case .paragraph(let text):
                out += ".PP\n" + Roff.line(Self.plain(text)) + "\n"
            case .list(let items):
                for item in items {
                    let marker = item.marker == "-" ? "\\(bu" : item.marker
                    out += ".IP \(marker) 4\n" + Roff.line(Self.plain(item.text)) + "\n"
                }
            case .code(let lines):
                out +=
                    ".PP\n.RS 4\n.nf\n" + lines.map(Roff.line).joined(separator: "\n")
                    + "\n.fi\n.RE\n"
            case .table(let rows):
                // tbl is not always run on a man page: aligned lines, or tagged paragraphs.
                let plain = rows.map { $0.map(Self.plain) }
                if let lines = Self.aligned(plain, width: 76) {
                    out +=
                        ".PP\n.RS 2\n.nf\n" + lines.map(Roff.line).joined(separator: "\n")
                        + "\n.fi\n.RE\n"
                } else {
                    for row in plain.dropFirst() {
                        out +=
                            ".TP\n" + Roff.line(row.first ?? "") + "\n"
                            + Roff.line(row.dropFirst().joined(separator: "; ")) + "\n"
                    }
                }
            }
        }
        return out
    }
}

/// Text made safe for roff.
enum Roff {
    /// Escapes roff's specials; characters beyond ASCII as groff's \[uXXXX].
    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\e"
            case "-": out += "\\-"
            case "\u{2060}", "\u{200B}": break
            case _ where scalar.value > 0x7E || scalar.value < 0x20:
                out += scalar.value < 0x20 ? " " : String(format: "\\[u%04X]", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// One input line that is never taken for a request.
    static func line(_ text: String) -> String {
        let escaped = escape(text)
        return escaped.hasPrefix(".") || escaped.hasPrefix("'") ? "\\&" + escaped : escaped
    }
}
