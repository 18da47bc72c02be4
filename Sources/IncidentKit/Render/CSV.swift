/// Comma-separated values as RFC 4180 has them: a header row, CRLF line ends, a field quoted
/// when it holds a comma, a quote or a line break, quotes doubled. A cell a spreadsheet would run
/// as a formula (`=`, `+`, `-`, `@`, a tab or a carriage return first) gets a leading `'`, so
/// an incident title can't become `=HYPERLINK(…)` in someone's spreadsheet.
public enum CSV {
    public static func document(header: [String], rows: [[String]]) -> String {
        var out = line(header)
        for row in rows { out += line(row) }
        return out
    }

    public static func line(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\r\n"
    }

    public static func field(_ value: String) -> String {
        var text = value
        if let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) { text = "'" + text }
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
