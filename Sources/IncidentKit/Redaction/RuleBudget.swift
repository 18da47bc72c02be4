/// How much work a store's own redaction rule may do, counted in the regular-expression engine's
/// steps rather than in time, so the bound is the same on every machine and a test can check it.
///
/// ICU reports progress once per position it tries a match at, and once per 10,000 steps spent
/// inside one attempt. A rule may use one report per position of its window plus
/// ``stepsPerWindow`` steps of backtracking; past that the search stops, and the line is replaced
/// as a whole. Over one text, the backtracking of all windows together may not exceed
/// ``stepsPerText``: after that, every remaining line is replaced without searching. A rule sees
/// at most ``window`` characters at once: one line, or a window of a longer line.
struct RuleBudget {
    static let window = 4096
    static let stepsPerReport = 10_000
    static let stepsPerWindow = 500_000
    static let stepsPerText = 5_000_000

    /// Backtracking steps spent so far, beyond one report per position.
    private(set) var steps = 0
    /// A window ran out of steps.
    var exceeded = false
    var exhausted: Bool { steps > Self.stepsPerText }

    mutating func spend(reports: Int, window: Int) {
        steps += max(0, reports - (window + 2)) * Self.stepsPerReport
    }

    /// Hostile lines for a pattern: each character it names, and a few common ones, repeated to a
    /// window's worth, then one character that matches nothing, which makes a backtracking engine
    /// try every way of splitting the run before it gives up.
    static func probes(for pattern: String) -> [String] {
        var characters: [Character] = ["a", "A", "0", " ", "-", "_", "."]
        for character in pattern
        where character.isASCII && !character.isWhitespace && !characters.contains(character)
            && !"\\()[]{}|*+?^$".contains(character)
        {
            characters.append(character)
        }
        return characters.prefix(40).map { String(repeating: $0, count: 256) + "\u{1}" }
    }
}
