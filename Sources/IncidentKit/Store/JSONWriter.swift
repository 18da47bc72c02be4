/// Writes JSON the one way the store does: keys sorted by their UTF-8 bytes, two-space indent,
/// slashes and non-ASCII text as they are, strings escaped as `JSONString` does. Written here
/// rather than with `JSONEncoder` so the bytes of a file depend only on its content, never on the
/// Foundation version of the clone that wrote it: every clone of a team's store must hold the same
/// bytes.
enum JSONWriter {
    static func pretty(_ value: JSONValue) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(4096)
        write(value, into: &out, indent: 0, pretty: true)
        out.append(0x0A)
        return out
    }

    static func compact(_ value: JSONValue) -> String {
        var out: [UInt8] = []
        write(value, into: &out, indent: 0, pretty: false)
        return String(decoding: out, as: UTF8.self)
    }

    static func sortedKeys(_ object: [String: JSONValue]) -> [String] {
        object.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// A newline and the indentation of each depth, made once: this runs for every line written.
    private static let indents: [[UInt8]] = (0..<64).map {
        [0x0A] + [UInt8](repeating: 0x20, count: $0 * 2)
    }

    private static func newline(_ out: inout [UInt8], _ indent: Int) {
        if indent < indents.count {
            out.append(contentsOf: indents[indent])
        } else {
            out.append(0x0A)
            out.append(contentsOf: [UInt8](repeating: 0x20, count: indent * 2))
        }
    }

    private static func write(
        _ value: JSONValue, into out: inout [UInt8], indent: Int, pretty: Bool
    ) {
        switch value {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let flag): out.append(contentsOf: (flag ? "true" : "false").utf8)
        case .int(let number): out.append(contentsOf: String(number).utf8)
        case .double(let number): out.append(contentsOf: String(number).utf8)
        case .string(let text): string(text, into: &out)
        case .array(let items):
            guard !items.isEmpty else {
                out.append(contentsOf: [0x5B, 0x5D])
                return
            }
            out.append(0x5B)
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(0x2C) }
                if pretty { newline(&out, indent + 1) }
                write(item, into: &out, indent: indent + 1, pretty: pretty)
            }
            if pretty { newline(&out, indent) }
            out.append(0x5D)
        case .object(let fields):
            guard !fields.isEmpty else {
                out.append(contentsOf: [0x7B, 0x7D])
                return
            }
            out.append(0x7B)
            for (i, key) in sortedKeys(fields).enumerated() {
                if i > 0 { out.append(0x2C) }
                if pretty { newline(&out, indent + 1) }
                string(key, into: &out)
                out.append(0x3A)
                if pretty { out.append(0x20) }
                write(fields[key]!, into: &out, indent: indent + 1, pretty: pretty)
            }
            if pretty { newline(&out, indent) }
            out.append(0x7D)
        }
    }

    /// A string as the store writes it: the one JSON string escaper irctl has.
    static func string(_ text: String, into out: inout [UInt8]) {
        JSONString.append(text, to: &out)
    }
}
