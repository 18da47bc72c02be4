/// A JSON string literal written by hand, byte for byte as irctl's JSONEncoder (`JSONCoding`,
/// slashes unescaped) writes it: `"` and `\` escaped, control characters as `\n`, `\t` … or
/// `\u00XX`; for output that must not pay for an encoder.
public enum JSONString {
    public static func quoted(_ text: String) -> String {
        var out = [UInt8]()
        append(text, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    public static func append(_ text: String, to out: inout [UInt8]) {
        // Over the contiguous bytes: iterating `text.utf8` a byte at a time was most of what
        // `list --all --json` cost at 10,000 incidents.
        var text = text
        text.withUTF8 { append(bytes: $0, to: &out) }
    }

    static func append(bytes text: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        out.append(0x22)
        // Most text needs no escape at all: copy it whole.
        if !text.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) {
            out.append(contentsOf: text)
            out.append(0x22)
            return
        }
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        for byte in text {
            switch byte {
            case 0x22: out += [0x5C, 0x22]
            case 0x5C: out += [0x5C, 0x5C]
            case 0x0A: out += [0x5C, 0x6E]
            case 0x0D: out += [0x5C, 0x72]
            case 0x09: out += [0x5C, 0x74]
            case 0x08: out += [0x5C, 0x62]
            case 0x0C: out += [0x5C, 0x66]
            case 0..<0x20:
                out += [0x5C, 0x75, 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            default: out.append(byte)
            }
        }
        out.append(0x22)
    }
}
