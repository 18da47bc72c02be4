/// Human durations: ages in lists, metric values, and postmortem offsets.
///
/// Every form floors (toward zero) rather than rounds, so "3m" means at least three minutes
/// and a displayed duration never overstates what the timeline records.
public enum DurationFormat {
    /// Durations are clamped to this many seconds (about 31 million years) so that absurd or
    /// infinite inputs format instead of trapping in `Int(_:)`.
    static let limit = 1e15

    /// Whole seconds toward zero; NaN counts as zero.
    private static func wholeSeconds(_ seconds: Double) -> Int {
        guard !seconds.isNaN else { return 0 }
        return Int(min(max(seconds, -limit), limit))
    }

    /// One unit, floored: `45s`, `3m`, `2h`, `4d`; negative durations show as `0s`.
    public static func age(_ seconds: Double) -> String {
        let s = max(wholeSeconds(seconds), 0)
        return ASCIIWriter.string(capacity: 24) { w in
            switch s {
            case ..<60:
                w.integer(s)
                w.byte(UInt8(ascii: "s"))
            case ..<3600:
                w.integer(s / 60)
                w.byte(UInt8(ascii: "m"))
            case ..<86_400:
                w.integer(s / 3600)
                w.byte(UInt8(ascii: "h"))
            default:
                w.integer(s / 86_400)
                w.byte(UInt8(ascii: "d"))
            }
        }
    }

    /// The two most significant units: `45s`, `3m 20s`, `1h 23m`, `2d 4h`; a zero second unit
    /// is dropped (`2h`, not `2h 0m`), and negative durations get a leading `-`.
    public static func long(_ seconds: Double) -> String {
        let s = wholeSeconds(seconds)
        let v = s.magnitude
        return ASCIIWriter.string(capacity: 40) { w in
            if s < 0 { w.byte(UInt8(ascii: "-")) }
            func pair(_ major: UInt, _ majorUnit: UInt8, _ minor: UInt, _ minorUnit: UInt8) {
                w.integer(Int(major))
                w.byte(majorUnit)
                if minor > 0 {
                    w.byte(UInt8(ascii: " "))
                    w.integer(Int(minor))
                    w.byte(minorUnit)
                }
            }
            switch v {
            case ..<60:
                w.integer(Int(v))
                w.byte(UInt8(ascii: "s"))
            case ..<3600: pair(v / 60, UInt8(ascii: "m"), v % 60, UInt8(ascii: "s"))
            case ..<86_400: pair(v / 3600, UInt8(ascii: "h"), v / 60 % 60, UInt8(ascii: "m"))
            default: pair(v / 86_400, UInt8(ascii: "d"), v / 3600 % 24, UInt8(ascii: "h"))
            }
        }
    }

    /// Offset from detection in a postmortem timeline, to the minute (toward zero):
    /// `T+0m`, `T+7m`, `T+1h05m`, `T+2d3h`, and `T-12m` before detection.
    ///
    /// Under an hour shows minutes; under a day hours and two-digit minutes, so the column
    /// lines up; beyond that days and hours, where minutes stop mattering.
    public static func offset(_ seconds: Double) -> String {
        let minutes = wholeSeconds(seconds) / 60  // Int division truncates toward zero
        let v = minutes.magnitude
        return ASCIIWriter.string(capacity: 40) { w in
            w.byte(UInt8(ascii: "T"))
            w.byte(minutes < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
            switch v {
            case ..<60:
                w.integer(Int(v))
                w.byte(UInt8(ascii: "m"))
            case ..<1440:
                w.integer(Int(v / 60))
                w.byte(UInt8(ascii: "h"))
                w.twoDigits(Int(v % 60))
                w.byte(UInt8(ascii: "m"))
            default:
                w.integer(Int(v / 1440))
                w.byte(UInt8(ascii: "d"))
                w.integer(Int(v / 60 % 24))
                w.byte(UInt8(ascii: "h"))
            }
        }
    }
}
