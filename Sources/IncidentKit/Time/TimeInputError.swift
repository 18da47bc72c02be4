/// Why a `--at`, `--since` or other time option could not be read.
public enum TimeInputError: Error, Hashable, Sendable {
    /// The text is not one of the accepted forms; carries the input as given.
    case invalid(String)
    /// The form is right but a field is impossible (month 13, 25:00, Feb 30, year 0) or the
    /// result lies outside years 1–9999; carries the input as given.
    case outOfRange(String)
}

extension TimeInputError {
    static let acceptedForms =
        "use an ISO 8601 time (2026-11-21T14:02:00Z), 14:02, yesterday 23:10, Nov 23 14:02, 10m "
        + "ago, -10m or now"

    /// A short lowercase phrase that reads after "irctl: error: ", naming the value and the
    /// accepted forms.
    public var message: String {
        switch self {
        case .invalid(let text):
            "invalid time '\(Self.shown(text))'; \(Self.acceptedForms)"
        case .outOfRange(let text):
            "time '\(Self.shown(text))' is out of range: no such date or time; "
                + "\(Self.acceptedForms)"
        }
    }

    /// The input made safe to print: control characters escaped (a stray escape sequence
    /// must not reach the terminal) and long input cut short.
    static func shown(_ text: String) -> String {
        var out = ""
        for (n, scalar) in text.unicodeScalars.enumerated() {
            if n == 60 {
                out += "…"
                break
            }
            if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
                out += "\\u{" + String(scalar.value, radix: 16) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
