import Foundation

/// Escaping for the site's pages: every text that comes from the store goes through here, so a
/// title `<script>` stays text and a quote can't end an attribute.
public enum HTML {
    /// Text content and attribute values alike: `& < > " '` become entities, and control
    /// characters other than newline and tab (which would make the document invalid) are dropped.
    public static func escape(_ text: String) -> String {
        // Most text has nothing to escape: one pass over its bytes says so. (0xC2 starts the C1
        // controls, 0xEF the noncharacters U+FFFE and U+FFFF; the slow path looks closer.)
        let plain = text.utf8.allSatisfy { b in
            b >= 0x20
                ? !(b == 0x26 || b == 0x3C || b == 0x3E || b == 0x22 || b == 0x27
                    || b == 0x7F || b == 0xC2 || b == 0xEF)
                : b == 0x0A || b == 0x09
        }
        if plain { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\n", "\t": out.unicodeScalars.append(scalar)
            default:
                let v = scalar.value
                if v < 0x20 || (0x7F...0x9F).contains(v) || v == 0xFFFE || v == 0xFFFF { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// `text` without leading and trailing whitespace; the common case, none, costs one look at
    /// each end rather than a trip through Foundation.
    public static func trimmed(_ text: String) -> String {
        guard let first = text.first, let last = text.last,
            first.isWhitespace || last.isWhitespace
        else { return text }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Text cut to `limit` characters (with an ellipsis), then escaped: for titles in tables.
    public static func short(_ text: String, _ limit: Int) -> String {
        guard text.count > limit else { return escape(text) }
        return escape(String(text.prefix(limit))) + "…"
    }

    /// A link that stored data carries, when it is a web or mail address; nil for anything else
    /// (`javascript:`, `data:`, a relative path), which is then shown as text only.
    static func safeURL(_ url: String) -> String? {
        let trimmed = url.trimmingCharacters(in: .whitespacesAndNewlines)
        let lower = trimmed.lowercased()
        guard
            lower.hasPrefix("https://") || lower.hasPrefix("http://")
                || lower.hasPrefix("mailto:"),
            !trimmed.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value == 0x7F })
        else { return nil }
        return trimmed
    }

    /// JSON embedded in a `<script type="application/json">` block: `<`, `>` and `&` are written
    /// as `\u` escapes so nothing in the data can close the element.
    static func jsonInScript(_ json: String) -> String {
        // 0xE2 starts U+2028 and U+2029, which end a line in older JavaScript.
        let plain = json.utf8.allSatisfy { $0 != 0x3C && $0 != 0x3E && $0 != 0x26 && $0 != 0xE2 }
        if plain { return json }
        var out = ""
        out.reserveCapacity(json.utf8.count)
        for scalar in json.unicodeScalars {
            switch scalar {
            case "<": out += "\\u003c"
            case ">": out += "\\u003e"
            case "&": out += "\\u0026"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
