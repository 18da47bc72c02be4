import Testing

@testable import IncidentKit

@Suite struct TerminalTextTests {
    @Test(arguments: [
        ("\u{1B}]0;pwned\u{07}", #"\x1B]0;pwned\x07"#),
        ("\u{1B}[2J", #"\x1B[2J"#),
        ("ring\u{07}", #"ring\x07"#),
        ("nul\u{00}byte", #"nul\x00byte"#),
        ("del\u{7F}", #"del\x7F"#),
        ("a\rb", #"a\x0Db"#),
        ("\u{9B}31m", #"\u{9B}31m"#),
        ("next\u{85}line", #"next\u{85}line"#),
        ("\u{80}\u{9F}", #"\u{80}\u{9F}"#),
        ("back\\slash \\x1B", "back\\slash \\x1B"),
    ])
    func sanitizeEscapesControls(input: String, expected: String) {
        #expect(TerminalText.sanitize(input) == expected)
    }

    @Test(arguments: Array(0x202A...0x202E) + Array(0x2066...0x2069))
    func bidiScalarsAreEscaped(value: Int) {
        let scalar = Character(Unicode.Scalar(UInt32(value))!)
        let expected = "a\\u{\(String(value, radix: 16, uppercase: true))}b"
        #expect(TerminalText.sanitize("a\(scalar)b") == expected)
        #expect(TerminalText.singleLine("a\(scalar)b") == expected)
    }

    @Test func sanitizeKeepsNewlineAndTab() {
        #expect(TerminalText.sanitize("one\ntwo\tthree") == "one\ntwo\tthree")
    }

    @Test func singleLineFoldsLineBreaksAndTabs() {
        #expect(TerminalText.singleLine("one\ntwo\tthree\rfour") == "one two three four")
        #expect(TerminalText.singleLine("a\r\nb") == "a  b")
        #expect(TerminalText.singleLine("bell\u{07}\n") == #"bell\x07 "#)
    }

    @Test(arguments: ["", "plain ascii", "🚨 prod down 👩‍💻", "数据库故障", "naïve café", "flag 🇫🇷"])
    func ordinaryTextUnchanged(text: String) {
        #expect(TerminalText.sanitize(text) == text)
        #expect(TerminalText.singleLine(text) == text)
    }

    @Test func everyC0ControlIsEscapedExceptNewlineAndTab() {
        for value in UInt32(0)...0x1F where value != 0x0A && value != 0x09 {
            let text = String(Character(Unicode.Scalar(value)!))
            let sanitized = TerminalText.sanitize(text)
            #expect(sanitized.hasPrefix("\\x") && sanitized.count == 4, "U+\(value)")
            #expect(!sanitized.unicodeScalars.contains { $0.value < 0x20 })
        }
    }
}
