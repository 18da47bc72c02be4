/// Finds the body of a PEM key whose `-----BEGIN … PRIVATE KEY-----` line is missing: the tail of a
/// `cat key.pem` cut to its last lines, or a paste that started too late.
///
/// A body is two or more consecutive lines of 60 to 76 base64 characters (PEM wraps at 64, OpenSSH
/// at 70, MIME at 76), each mixing upper case, lower case and digits, so hex digests, words and
/// ordinary prose never qualify. A run that follows a BEGIN line of something public (a
/// certificate, a public key) is left alone; a run whose header is missing or unknown is treated as
/// a key. Written out rather than as a regular expression so that text without such lines costs one
/// pass over its line breaks.
enum HeaderlessKeyBody {
    static let kind = "private-key"

    /// `text` with every such run (with a short last line and an END line right after it) replaced
    /// by `[REDACTED:private-key]`, or nil when there is none.
    static func redact(_ text: String) -> String? {
        let bytes = Array(text.utf8)
        var lines: [Range<Int>] = []
        var start = 0
        for index in bytes.indices where bytes[index] == 0x0A {
            lines.append(start..<index)
            start = index + 1
        }
        lines.append(start..<bytes.count)
        func content(_ line: Range<Int>) -> ArraySlice<UInt8> {
            var end = line.upperBound
            if end > line.lowerBound, bytes[end - 1] == 0x0D { end -= 1 }
            return bytes[line.lowerBound..<end]
        }
        /// nil when `chars` holds a byte that is not base64 (padding aside); else whether it mixes
        /// upper case, lower case and digits, as key material does and words don't.
        func mixedBase64<C: Collection>(_ chars: C) -> Bool? where C.Element == UInt8 {
            var upper = false
            var lower = false
            var digit = false
            for byte in chars {
                switch byte {
                case 0x41...0x5A: upper = true
                case 0x61...0x7A: lower = true
                case 0x30...0x39: digit = true
                case 0x2B, 0x2F: break
                default: return nil
                }
            }
            return upper && lower && digit
        }
        func isBodyLine(_ line: Range<Int>) -> Bool {
            let chars = content(line)
            guard (60...76).contains(chars.count) else { return false }
            return mixedBase64(chars) == true
        }
        // The short last line of a body: whole base64 quads, padded or mixing case and digits, so
        // that a word such as "done" after the key is not taken for it.
        func isLastLine(_ line: Range<Int>) -> Bool {
            let chars = content(line)
            guard !chars.isEmpty, chars.count <= 76, chars.count % 4 == 0 else { return false }
            let body = chars.prefix { $0 != 0x3D }
            let padding = chars.count - body.count
            guard padding <= 2, chars.dropFirst(body.count).allSatisfy({ $0 == 0x3D }),
                let mixed = mixedBase64(body)
            else { return false }
            return padding > 0 || mixed
        }
        func string(of line: Range<Int>) -> String {
            String(decoding: content(line), as: UTF8.self)
        }
        func isEndLine(_ line: Range<Int>) -> Bool {
            let string = string(of: line)
            return string.hasPrefix("-----END ") && string.hasSuffix("-----")
        }
        func isPublicBegin(_ line: Range<Int>) -> Bool {
            let string = string(of: line)
            return string.hasPrefix("-----BEGIN ") && string.hasSuffix("-----")
                && !string.contains("PRIVATE KEY")
        }

        var replaced: [Range<Int>] = []  // line index ranges
        var index = 0
        while index < lines.count {
            guard isBodyLine(lines[index]) else {
                index += 1
                continue
            }
            var end = index
            while end + 1 < lines.count, isBodyLine(lines[end + 1]) { end += 1 }
            defer { index = end + 1 }
            guard end > index else { continue }
            if index > 0, isPublicBegin(lines[index - 1]) { continue }
            if end + 1 < lines.count, isLastLine(lines[end + 1]) { end += 1 }
            if end + 1 < lines.count, isEndLine(lines[end + 1]) { end += 1 }
            replaced.append(index..<(end + 1))
        }
        guard !replaced.isEmpty else { return nil }
        var result = ""
        var cursor = 0
        for run in replaced {
            let from = lines[run.lowerBound].lowerBound
            // Keep a trailing "\r" of the last line out of the cut, so line endings stay as they
            // were.
            let to = content(lines[run.upperBound - 1]).endIndex
            result += String(decoding: bytes[cursor..<from], as: UTF8.self)
            result += "[REDACTED:\(kind)]"
            cursor = to
        }
        result += String(decoding: bytes[cursor...], as: UTF8.self)
        return result
    }
}
