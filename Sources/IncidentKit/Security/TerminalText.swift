/// Escapes control, escape and bidirectional-override characters in stored text before it reaches a
/// terminal.
///
/// Stored titles and notes come from anyone with write access to the store; printed raw, an
/// escape sequence could clear the screen or retitle the window, and a bidi override could make
/// text read differently from what it is. Escapes are visible and unambiguous:
///
/// | Input                                  | Shown as            |
/// |----------------------------------------|---------------------|
/// | C0 control (not `\n`, `\t`), DEL       | `\x1B`, `\x7F`      |
/// | C1 control U+0080–U+009F               | `\u{9B}`            |
/// | bidi U+202A–U+202E, U+2066–U+2069      | `\u{202E}`          |
public enum TerminalText {
    /// Makes stored text safe to print on a terminal: C0 controls except "\n" and "\t", DEL, C1
    /// controls (U+0080–U+009F) and the bidirectional overrides/isolates (U+202A–U+202E,
    /// U+2066–U+2069) are shown visibly escaped, never raw.
    public static func sanitize(_ text: String) -> String {
        escape(text, foldWhitespace: false)
    }

    /// Same, for one table cell or one line: additionally "\n", "\r" and "\t" become a single space
    /// each.
    public static func singleLine(_ text: String) -> String {
        escape(text, foldWhitespace: true)
    }

    /// JSON text with DEL, C1 controls and the bidirectional overrides/isolates written as `\u`
    /// escapes, so `--json` on a terminal can't be used against it either. The JSON means exactly
    /// the same: these characters can only occur inside strings, where `\u007F` and a raw DEL are
    /// one value. (The encoder already escapes C0 controls.)
    public static func escapingInvisiblesInJSON(_ json: String) -> String {
        guard
            json.unicodeScalars.contains(where: {
                action(for: $0.value, foldWhitespace: false) == .unicode || $0.value == 0x7F
            })
        else {
            return json
        }
        // Built as UTF-8 bytes: appending to a String's scalar view one scalar at a time can cost
        // time in the length of what is already there, and a pasted note is a megabyte.
        var result: [UInt8] = []
        result.reserveCapacity(json.utf8.count + 64)
        for scalar in json.unicodeScalars {
            if scalar.value == 0x7F || action(for: scalar.value, foldWhitespace: false) == .unicode
            {
                let hex = String(scalar.value, radix: 16, uppercase: true)
                result.append(
                    contentsOf: ("\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex)
                        .utf8)
            } else {
                result.append(contentsOf: String(scalar).utf8)
            }
        }
        return String(decoding: result, as: UTF8.self)
    }

    private enum Action { case keep, space, hexByte, unicode }

    @inline(__always)
    private static func action(for value: UInt32, foldWhitespace: Bool) -> Action {
        switch value {
        case 0x0A, 0x09: return foldWhitespace ? .space : .keep
        case 0x0D: return foldWhitespace ? .space : .hexByte
        case 0x00...0x1F, 0x7F: return .hexByte
        case 0x80...0x9F, 0x202A...0x202E, 0x2066...0x2069: return .unicode
        default: return .keep
        }
    }

    private static func escape(_ text: String, foldWhitespace: Bool) -> String {
        // Fast path: most text needs nothing, so return it without rebuilding.
        guard
            text.unicodeScalars.contains(where: {
                action(for: $0.value, foldWhitespace: foldWhitespace) != .keep
            })
        else {
            return text
        }
        var result: [UInt8] = []
        result.reserveCapacity(text.utf8.count + 64)
        for scalar in text.unicodeScalars {
            switch action(for: scalar.value, foldWhitespace: foldWhitespace) {
            case .keep:
                result.append(contentsOf: String(scalar).utf8)
            case .space:
                result.append(0x20)
            case .hexByte:
                result.append(contentsOf: "\\x".utf8)
                let hex = String(scalar.value, radix: 16, uppercase: true)
                if hex.count < 2 { result.append(0x30) }
                result.append(contentsOf: hex.utf8)
            case .unicode:
                result.append(
                    contentsOf: "\\u{\(String(scalar.value, radix: 16, uppercase: true))}".utf8)
            }
        }
        return String(decoding: result, as: UTF8.self)
    }
}
