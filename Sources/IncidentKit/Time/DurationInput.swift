import Foundation

/// A duration typed by a person, as Prometheus writes them: `30s`, `15m`, `2h`, `1d`, `1h30m`.
public enum DurationInput {
    /// Seconds, or a usage error naming the option and showing the form.
    public static func parse(_ text: String, option: String) throws(ValueError) -> Double {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800]
        var total = 0.0
        var digits = ""
        var sawUnit = false
        for character in text.trimmingCharacters(in: .whitespaces).lowercased() {
            if character.isASCII, character.isNumber {
                digits.append(character)
            } else if let unit = units[character], let value = Double(digits), digits.count <= 9 {
                total += value * unit
                digits = ""
                sawUnit = true
            } else {
                digits = "x"
                break
            }
        }
        guard digits.isEmpty, sawUnit, total > 0 else {
            throw .invalidValue(
                option: option, value: text, expected: "a duration such as 30s, 15m, 2h or 1h30m")
        }
        return total
    }
}
