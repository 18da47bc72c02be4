import Foundation

/// A word of searched text: its folded and stemmed form, and the bytes of the text it came from.
public struct SearchToken: Hashable, Sendable {
    var term: String
    /// UTF-8 byte offsets into the text that was split.
    public var range: Range<Int>
}

/// Splits text into searchable words: case and accents folded ("Réseau" is "reseau"), letters and
/// digits kept together, everything else a separator; an ideograph or kana is a word of its own,
/// since Chinese and Japanese put no spaces between words. English plurals and -ed/-ing endings
/// are cut, so "timeouts" finds "timeout" and "restarted" finds "restart".
public enum SearchTokenizer {
    /// A word longer than this is cut: a pasted hash or blob is no better found by all of it.
    static let maxWordBytes = 64

    public static func tokens(_ text: String, stem: Bool = true) -> [SearchToken] {
        var result: [SearchToken] = []
        var text = text
        text.withUTF8 { bytes in
            split(bytes) { range, ascii, single in
                let word = UnsafeBufferPointer(rebasing: bytes[range])
                let folded = ascii ? foldASCII(word) : foldUnicode(word)
                guard !folded.isEmpty else { return }
                result.append(
                    SearchToken(
                        term: stem && !single ? self.stem(folded) : folded,
                        range: range))
            }
        }
        return result
    }

    /// The terms of `text`, in order.
    static func terms(_ text: String, stem: Bool = true) -> [String] {
        tokens(text, stem: stem).map(\.term)
    }

    /// Calls `body` with each word's byte range, whether it is plain ASCII, and whether it is a
    /// single ideograph or kana.
    private static func split(
        _ bytes: UnsafeBufferPointer<UInt8>,
        _ body: (Range<Int>, Bool, Bool) -> Void
    ) {
        var i = 0
        var start = -1
        var ascii = true
        func flush(_ end: Int) {
            if start >= 0 { body(start..<end, ascii, false) }
            start = -1
            ascii = true
        }
        while i < bytes.count {
            let b = bytes[i]
            if b < 0x80 {
                let word =
                    (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
                if word {
                    if start < 0 { start = i }
                } else if b == 0x27, start >= 0, i + 1 < bytes.count, isLetterByte(bytes[i + 1]) {
                    // "can't", "pod's": one word.
                } else {
                    flush(i)
                }
                i += 1
                continue
            }
            let (scalar, length) = decode(bytes, at: i)
            defer { i += length }
            guard let scalar else {
                flush(i)
                continue
            }
            if scalar.value == 0x2019, start >= 0, i + length < bytes.count,
                isLetterByte(bytes[i + length])
            {
                continue
            }
            if isSingleWord(scalar) {
                flush(i)
                body(i..<(i + length), false, true)
                continue
            }
            let properties = scalar.properties
            if properties.isAlphabetic || properties.numericType != nil
                || properties.generalCategory == .nonspacingMark
                || properties.generalCategory == .spacingMark
            {
                if start < 0 { start = i }
                ascii = false
            } else {
                flush(i)
            }
        }
        flush(bytes.count)
    }

    private static func isLetterByte(_ b: UInt8) -> Bool {
        (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b >= 0x80
    }

    /// Han ideographs, hiragana and katakana.
    private static func isSingleWord(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        return (0x3040...0x30FF).contains(v) || (0x3400...0x4DBF).contains(v)
            || (0x4E00...0x9FFF).contains(v) || (0xF900...0xFAFF).contains(v)
            || (0x20000...0x2FA1F).contains(v)
    }

    /// One scalar of well-formed UTF-8 (a Swift string's bytes are), and its length.
    private static func decode(
        _ bytes: UnsafeBufferPointer<UInt8>, at i: Int
    ) -> (
        Unicode.Scalar?, Int
    ) {
        let b = bytes[i]
        let length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1
        guard length > 1, i + length <= bytes.count else { return (nil, 1) }
        var value = UInt32(b) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
        for k in 1..<length { value = value << 6 | (UInt32(bytes[i + k]) & 0x3F) }
        return (Unicode.Scalar(value), length)
    }

    private static func foldASCII(_ word: UnsafeBufferPointer<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(min(word.count, maxWordBytes))
        for b in word where b != 0x27 {
            if out.count == maxWordBytes { break }
            out.append(b >= 0x41 && b <= 0x5A ? b + 0x20 : b)
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func foldUnicode(_ word: UnsafeBufferPointer<UInt8>) -> String {
        let text = String(decoding: word, as: UTF8.self)
        let folded = text.folding(
            options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive],
            locale: nil
        ).lowercased()
        var out = ""
        for scalar in folded.unicodeScalars where scalar != "'" && scalar != "\u{2019}" {
            let p = scalar.properties
            // Marks left over by the folding ("ﬁ", Hangul jamo keep theirs) are dropped.
            if p.generalCategory == .nonspacingMark { continue }
            if out.utf8.count + String(scalar).utf8.count > maxWordBytes { break }
            out.unicodeScalars.append(scalar)
        }
        return out
    }

    /// A light English stemmer: plurals, -ed and -ing. Only for words of ASCII letters; both
    /// the text and the query go through it, so what matters is that it is the same on both.
    static func stem(_ word: String) -> String {
        let bytes = Array(word.utf8)
        guard bytes.count > 3, bytes.allSatisfy({ $0 >= 0x61 && $0 <= 0x7A }) else { return word }
        func ends(_ suffix: String) -> Bool {
            let s = Array(suffix.utf8)
            return bytes.count > s.count && Array(bytes.suffix(s.count)) == s
        }
        func cut(_ n: Int, _ add: String = "") -> String {
            String(decoding: bytes.dropLast(n), as: UTF8.self) + add
        }
        if ends("ies"), bytes.count > 4 { return cut(3, "y") }
        if ends("sses") { return cut(2) }
        if ends("s"), !ends("ss"), !ends("us"), !ends("is") { return suffixes(cut(1)) }
        return suffixes(word)
    }

    /// -ing, -ed and -ion: "evictions", "evicted" and "evicting" all become "evict".
    private static func suffixes(_ word: String) -> String {
        let bytes = Array(word.utf8)
        func ends(_ suffix: String) -> Bool {
            let s = Array(suffix.utf8)
            return bytes.count > s.count && Array(bytes.suffix(s.count)) == s
        }
        func cut(_ n: Int) -> String { String(decoding: bytes.dropLast(n), as: UTF8.self) }
        if ends("ing"), bytes.count > 5 { return undouble(cut(3)) }
        if ends("ed"), bytes.count > 4, !ends("eed") { return undouble(cut(2)) }
        if ends("ion"), bytes.count > 6 { return cut(3) }
        return word
    }

    /// The longest start every word with this beginning keeps once stemmed: "timeouts*" looks
    /// for "timeout…", since the index holds "timeout".
    static func stemmedPrefix(_ prefix: String) -> String {
        let stemmed = Array(stem(prefix).utf8)
        let raw = Array(prefix.utf8)
        var n = 0
        while n < min(raw.count, stemmed.count), raw[n] == stemmed[n] { n += 1 }
        return n >= 2 ? String(decoding: raw.prefix(n), as: UTF8.self) : prefix
    }

    /// "stopp" (from "stopped") is "stop", so "stopped" and "stops" meet.
    private static func undouble(_ stem: String) -> String {
        let bytes = Array(stem.utf8)
        guard bytes.count > 3, bytes[bytes.count - 1] == bytes[bytes.count - 2],
            !"lsz".utf8.contains(bytes[bytes.count - 1])
        else { return stem }
        return String(decoding: bytes.dropLast(), as: UTF8.self)
    }
}
