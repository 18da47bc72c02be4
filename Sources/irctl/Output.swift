import IncidentKit

/// Collects what a command prints. Stdout is written once at the end, so a failed write
/// (a closed pipe, a full disk) turns into an error and a non-zero exit.
final class Output {
    private(set) var text = ""
    let style: Style
    /// Usable columns, or nil when not on a terminal (nothing is cut).
    let width: Int?
    private let errorSink: (String) -> Void

    init(style: Style, width: Int?, errorSink: @escaping (String) -> Void) {
        self.style = style
        self.width = width
        self.errorSink = errorSink
    }

    /// What goes out after `text`, as bytes: a long listing made of bytes is not made a string.
    private(set) var bytes: [UInt8] = []

    func line(_ string: String = "") { text += string + "\n" }
    func write(_ string: String) { text += string }
    /// Bytes that are valid UTF-8 (the caller made them from strings and ASCII), written after
    /// all text.
    func write(bytes: [UInt8]) { self.bytes += bytes }

    func warning(_ message: String) {
        errorSink(
            "irctl: warning: " + TerminalText.sanitize(Redactor.standard.redact(message)) + "\n")
    }
    func note(_ message: String) { errorSink(TerminalText.sanitize(message) + "\n") }

    private var said: Set<String> = []
    /// A note said once per command, however many places come across its reason.
    func noteOnce(_ message: String) {
        guard said.insert(message).inserted else { return }
        note(message)
    }
}

/// ANSI styling, on only for a terminal and never with NO_COLOR, --no-color or TERM=dumb.
struct Style {
    var enabled: Bool

    static func decide(
        stdoutIsTerminal: Bool, noColorFlag: Bool, environment: [String: String]
    ) -> Style {
        if noColorFlag || !(environment["NO_COLOR"] ?? "").isEmpty { return Style(enabled: false) }
        if let force = environment["CLICOLOR_FORCE"], !force.isEmpty, force != "0" {
            return Style(enabled: true)
        }
        return Style(enabled: stdoutIsTerminal && environment["TERM"] != "dumb")
    }

    private func wrap(_ text: String, _ code: String) -> String {
        enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
    func bold(_ text: String) -> String { wrap(text, "1") }
    func dim(_ text: String) -> String { wrap(text, "2") }
    func red(_ text: String) -> String { wrap(text, "31") }
    func green(_ text: String) -> String { wrap(text, "32") }
    func yellow(_ text: String) -> String { wrap(text, "33") }
    func cyan(_ text: String) -> String { wrap(text, "36") }
    func strike(_ text: String) -> String { wrap(text, "9") }

    /// Severity colours by rank: the top level loud, then fading.
    func severity(_ name: String, rank: Int) -> String {
        switch rank {
        case 0: wrap(name, "1;37;41")
        case 1: wrap(name, "1;31")
        case 2: wrap(name, "33")
        default: wrap(name, "36")
        }
    }

    func phase(_ phase: Phase) -> String {
        switch phase {
        case .detect: yellow(phase.rawValue)
        case .declare, .contain: red(phase.rawValue)
        case .eradicate, .recover: yellow(phase.rawValue)
        case .review: green(phase.rawValue)
        case .closed: dim(phase.rawValue)
        }
    }
}

/// Columns a string takes on a terminal: East Asian wide characters and emoji count twice,
/// combining marks not at all.
func displayWidth(_ text: String) -> Int {
    // Plain printable ASCII, the common case, is one column a byte.
    if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text.utf8.count }
    var width = 0
    for scalar in text.unicodeScalars { width += scalarWidth(scalar) }
    return width
}

/// Columns one scalar takes. Latin, Greek, Cyrillic and common punctuation (the "—" of an empty
/// cell) are answered from ranges; only rarer scalars pay for a Unicode property lookup.
@inline(__always)
func scalarWidth(_ scalar: Unicode.Scalar) -> Int {
    let v = scalar.value
    if v < 0x20 { return 0 }
    if v < 0x7F { return 1 }
    if v < 0xA0 { return 0 }
    if v < 0x300 || (0x370..<0x483).contains(v) || (0x48A..<0x591).contains(v) { return 1 }
    if (0x2010...0x2027).contains(v) || (0x2030...0x205E).contains(v)
        || (0x2190...0x21FF).contains(v)
    {
        return 1
    }
    if scalar.properties.generalCategory == .nonspacingMark
        || scalar.properties.generalCategory == .enclosingMark
        || v == 0x200D || (0xFE00...0xFE0F).contains(v)
    {
        return 0
    }
    let wide =
        (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v)
        || (0xAC00...0xD7A3).contains(v)
        || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v)
        || (0xFF00...0xFF60).contains(v)
        || (0xFFE0...0xFFE6).contains(v) || (0x1F300...0x1F64F).contains(v)
        || (0x1F900...0x1F9FF).contains(v)
        || (0x20000...0x3FFFD).contains(v)
        // Emoji that terminals draw as pictures (🚨, ✅, ⌚ …) take two columns wherever they sit.
        || scalar.properties.isEmojiPresentation
    return wide ? 2 : 1
}

/// Cuts `text` to at most `width` columns, ending with "…" when cut.
func truncate(_ text: String, to width: Int) -> String {
    guard displayWidth(text) > width else { return text }
    if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
        return String(text.utf8.prefix(max(0, width - 1)))! + "…"
    }
    guard width > 1 else { return width == 1 ? "…" : "" }
    var result = ""
    var used = 0
    for character in text {
        let w = displayWidth(String(character))
        if used + w > width - 1 { break }
        result.append(character)
        used += w
    }
    return result + "…"
}

/// Breaks one line of `text` into lines of at most `width` columns, at spaces where it can
/// (a word longer than a line is cut), so that a hanging indent survives a narrow terminal.
func wrap(_ text: String, to width: Int) -> [String] {
    guard width > 0, displayWidth(text) > width else { return [text] }
    var lines: [String] = []
    var line = ""
    var used = 0
    func flush() {
        lines.append(line)
        line = ""
        used = 0
    }
    for (index, piece) in text.split(separator: " ", omittingEmptySubsequences: false).enumerated()
    {
        let word = String(piece)
        let wordWidth = displayWidth(word)
        if index > 0, used > 0 {
            if used + 1 + wordWidth <= width {
                line += " "
                used += 1
            } else {
                flush()
            }
        }
        if used + wordWidth <= width {
            line += word
            used += wordWidth
            continue
        }
        for character in word {
            let characterWidth = displayWidth(String(character))
            if used > 0, used + characterWidth > width { flush() }
            line.append(character)
            used += characterWidth
        }
    }
    if !line.isEmpty || lines.isEmpty { lines.append(line) }
    return lines
}

func pad(_ text: String, to width: Int) -> String {
    let missing = width - displayWidth(text)
    return missing > 0 ? text + String(repeating: " ", count: missing) : text
}
