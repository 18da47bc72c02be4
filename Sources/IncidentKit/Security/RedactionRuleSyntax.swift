/// The shapes of regular expression a store's own redaction rule may not use, because a
/// backtracking engine can take exponential time on them (`(a+)+$` on 120 characters: a minute).
///
/// A store's `config.json` arrives by `git pull`, and every note, title and error message passes
/// through its rules, so a rule is checked when the config is loaded:
///
/// | Refused                                         | Example        | Instead          |
/// |-------------------------------------------------|----------------|------------------|
/// | a repeated group that itself repeats            | `(a+)+`, `(\w*\s?)*` | `a+`, `[\w\s]*` |
/// | a repeated group with alternatives              | `(a|aa)+`      | `[a]+`, `(?:ab|cd){1,4}` |
/// | a backreference                                 | `(a)\1`        | spell it out     |
/// | a pattern longer than 1,000 characters          |                |                  |
///
/// "Repeated" means `*`, `+`, `{n,}` or `{n,m}` with m above 16; a group with `?` or a small
/// bounded count is fine. What remains can still be polynomial (`a*a*a*b`): that is caught by
/// counting the engine's steps (see ``CompiledRule``).
enum RedactionRuleSyntax {
    static let maxPatternLength = 1000
    static let maxBoundedRepeat = 16

    /// Why `pattern` is refused, or nil when its shape is allowed.
    static func problem(in pattern: String) -> String? {
        guard pattern.count <= maxPatternLength else {
            return "it is longer than \(maxPatternLength) characters"
        }
        let chars = Array(pattern)
        // One frame per open group: whether it holds a repetition or an alternation so far.
        var frames: [(repeats: Bool, alternates: Bool)] = [(false, false)]
        var index = 0
        /// The quantifier at `index`, if any: (unbounded or large, length in characters).
        func quantifier(at index: Int) -> (large: Bool, length: Int)? {
            guard index < chars.count else { return nil }
            var length = 0
            var large = false
            switch chars[index] {
            case "*", "+":
                large = true
                length = 1
            case "?": length = 1
            case "{":
                guard let close = chars[index...].firstIndex(of: "}") else { return nil }
                let body = String(chars[(index + 1)..<close])
                let parts = body.split(separator: ",", omittingEmptySubsequences: false)
                guard (1...2).contains(parts.count), let low = Int(parts[0]) else { return nil }
                if parts.count == 2 {
                    if let high = Int(parts[1]) {
                        large = high > maxBoundedRepeat || low > maxBoundedRepeat
                    } else if parts[1].isEmpty {
                        large = true
                    } else {
                        return nil
                    }
                } else {
                    large = low > maxBoundedRepeat
                }
                length = close - index + 1
            default: return nil
            }
            // Lazy (`+?`) and possessive (`++`) forms repeat all the same.
            if index + length < chars.count,
                chars[index + length] == "?" || chars[index + length] == "+"
            {
                length += 1
            }
            return (large, length)
        }
        while index < chars.count {
            let c = chars[index]
            switch c {
            case "\\":
                guard index + 1 < chars.count else { return nil }
                let next = chars[index + 1]
                if next.isNumber, next != "0" { return "it uses a backreference (\\\(next))" }
                if next == "k", index + 2 < chars.count, chars[index + 2] == "<" {
                    return "it uses a backreference (\\k<…>)"
                }
                // \Q…\E quotes literally.
                if next == "Q" {
                    var end = index + 2
                    while end + 1 < chars.count, !(chars[end] == "\\" && chars[end + 1] == "E") {
                        end += 1
                    }
                    index = end + 2
                } else {
                    index += 2
                }
                if let q = quantifier(at: index) {
                    frames[frames.count - 1].repeats = true
                    index += q.length
                }
                continue
            case "[":
                // Skip a character class, nested sets and escapes included.
                var depth = 0
                var end = index
                while end < chars.count {
                    if chars[end] == "\\" {
                        end += 2
                        continue
                    }
                    if chars[end] == "[" { depth += 1 }
                    if chars[end] == "]", end > index + 1 || depth > 1 {
                        depth -= 1
                        if depth == 0 { break }
                    }
                    end += 1
                }
                index = end + 1
                if let q = quantifier(at: index) {
                    frames[frames.count - 1].repeats = true
                    index += q.length
                }
                continue
            case "(":
                frames.append((false, false))
                index += 1
                // `(?…` group options and names are not quantifiers.
                if index < chars.count, chars[index] == "?" { index += 1 }
                continue
            case ")":
                let inner: (repeats: Bool, alternates: Bool) =
                    frames.count > 1 ? frames.removeLast() : (false, false)
                index += 1
                if let q = quantifier(at: index) {
                    if q.large, inner.repeats {
                        return
                            "a repeated group contains a repetition "
                            + "('\(snippet(chars, around: index))')"
                    }
                    if q.large, inner.alternates {
                        return
                            "a repeated group contains alternatives "
                            + "('\(snippet(chars, around: index))')"
                    }
                    frames[frames.count - 1].repeats = true
                    index += q.length
                }
                // What a group holds, its enclosing group holds too.
                if inner.repeats { frames[frames.count - 1].repeats = true }
                if inner.alternates { frames[frames.count - 1].alternates = true }
                continue
            case "|":
                frames[frames.count - 1].alternates = true
                index += 1
                continue
            default:
                index += 1
                if let q = quantifier(at: index) {
                    frames[frames.count - 1].repeats = true
                    index += q.length
                }
            }
        }
        return nil
    }

    private static func snippet(_ chars: [Character], around index: Int) -> String {
        let start = max(0, index - 12)
        return String(chars[start..<min(chars.count, index + 2)])
    }
}
