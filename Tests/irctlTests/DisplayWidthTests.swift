import Testing

@testable import irctl

/// The table's width measure answers common scripts from ranges, for speed; it must agree with
/// the full rule (marks take no column, wide and emoji-presentation scalars two) everywhere.
@Suite struct DisplayWidthTests {
    /// The full rule, scalar by scalar, as it was before the ranges.
    static func slowWidth(_ scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v < 0x20 || (0x7F..<0xA0).contains(v) { return 0 }
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
            || (0x20000...0x3FFFD).contains(v) || scalar.properties.isEmojiPresentation
        return wide ? 2 : 1
    }

    @Test func theFastRangesAgreeWithTheFullRule() {
        for v in UInt32(0)...0x3000 {
            guard let scalar = Unicode.Scalar(v) else { continue }
            #expect(scalarWidth(scalar) == Self.slowWidth(scalar), "U+\(String(v, radix: 16))")
        }
        for text in [
            "—", "Checkout – “5xx” …", "日本語", "🚨 alert", "e\u{301}", "Ωμέγα", "Привет", "plain",
        ] {
            #expect(
                displayWidth(text) == text.unicodeScalars.map(Self.slowWidth).reduce(0, +),
                "\(text)")
        }
    }
}
