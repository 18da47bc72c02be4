/// Comma-separated values as RFC 4180 has them: a header row, CRLF line ends, a field quoted
/// when it holds a comma, a quote or a line break, quotes doubled. A cell a spreadsheet would run
/// as a formula (`=`, `+`, `-`, `@`, a tab or a carriage return first) gets a leading `'`, so
/// an incident title can't become `=HYPERLINK(…)` in someone's spreadsheet.
public enum CSV {
    public static func document(header: [String], rows: [[String]]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((rows.count + 1) * 160)
        append(header, to: &out)
        for row in rows { append(row, to: &out) }
        return String(decoding: out, as: UTF8.self)
    }

    public static func line(_ fields: [String]) -> String {
        var out: [UInt8] = []
        append(fields, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    public static func field(_ value: String) -> String {
        var out: [UInt8] = []
        append(field: value, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    static func append(_ fields: [String], to out: inout [UInt8]) {
        for (index, value) in fields.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            append(field: value, to: &out)
        }
        out.append(0x0D)
        out.append(0x0A)
    }

    static func append(field value: String, to out: inout [UInt8]) {
        let utf8 = value.utf8
        let formula = utf8.first.map { "=+-@\t\r".utf8.contains($0) } ?? false
        let quoted = utf8.contains {
            $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D
        }
        if quoted { out.append(UInt8(ascii: "\"")) }
        if formula { out.append(UInt8(ascii: "'")) }
        if quoted {
            for byte in utf8 {
                out.append(byte)
                if byte == UInt8(ascii: "\"") { out.append(byte) }
            }
            out.append(UInt8(ascii: "\""))
        } else {
            out.append(contentsOf: utf8)
        }
    }
}
