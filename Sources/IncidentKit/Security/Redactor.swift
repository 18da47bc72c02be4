import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Replaces secrets in text with `[REDACTED:<kind>]` before anything is written.
///
/// The built-in rules are listed, with their kinds, in ``RedactionRule/standard``.
///
/// ## Usage
/// ```swift
/// Redactor.standard.redact("psql postgres://app:hunter2@db")
/// // "psql postgres://app:[REDACTED:url-password]@db"
/// ```
public struct Redactor: Sendable {
    /// The built-in rules; each expression is compiled once, on first use.
    public static let standard = Redactor(
        compiled: RedactionRule.standard.map(CompiledRule.init(deferring:)))

    let compiled: [CompiledRule]

    private init(compiled: [CompiledRule]) {
        self.compiled = compiled
    }

    /// Creates a redactor with the built-in rules plus `extraRules` (a store's own, from
    /// config.json).
    public init(extraRules: [RedactionRule] = []) throws(RedactionError) {
        var compiled = Redactor.standard.compiled
        for rule in extraRules {
            compiled.append(try CompiledRule(storeRule: rule))
        }
        self.compiled = compiled
    }

    /// Returns `text` with every secret replaced by `[REDACTED:<kind>]`.
    public func redact(_ text: String) -> String {
        apply(to: text).text
    }

    /// Returns the kinds of secret found in `text`, each once, in rule order; never the secret
    /// itself.
    public func findings(in text: String) -> [String] {
        apply(to: text).kinds
    }

    /// Runs the rules in order, each on the output of the one before, so a token inside
    /// `token=ghp_…` is reported once, by its most specific rule.
    func apply(to text: String) -> (text: String, kinds: [String]) {
        guard !text.isEmpty else { return (text, []) }
        // Lowercased once for every rule's keyword pre-filter, NUL-terminated for strstr; an
        // embedded NUL becomes 0x01 so it cannot hide what follows it.
        var lowered = text.lowercased().utf8.map { $0 == 0 ? 1 : $0 }
        lowered.append(0)
        var current = text
        var kinds: [String] = []
        for rule in compiled where rule.mayMatch(lowered) {
            if let replaced = rule.redact(current) {
                current = replaced
                if !kinds.contains(rule.kind) { kinds.append(rule.kind) }
            }
        }
        // A key body whose header is gone (cut off, or never pasted) is still a key.
        if lowered.contains(0x0A), let replaced = HeaderlessKeyBody.redact(current) {
            current = replaced
            if !kinds.contains(HeaderlessKeyBody.kind) { kinds.append(HeaderlessKeyBody.kind) }
        }
        return (current, kinds)
    }
}

/// A rule with its expression compiled (now or on first use) and keywords prepared for a byte
/// search.
struct CompiledRule: Sendable {
    let kind: String
    let keywords: [[UInt8]]
    /// Replace the `secret` group; otherwise group 1 if there is one, else the whole match.
    let hasNamedSecret: Bool
    private let expression: LazyRegex
    /// A store's own rule: it sees at most ``RuleBudget/window`` characters at a time and may spend
    /// only so many engine steps (see ``RuleBudget``).
    let bounded: Bool

    var regex: NSRegularExpression { expression.regex }

    /// Compiles the rule now, unbounded: for the built-in patterns, which are written to stay
    /// linear.
    init(_ rule: RedactionRule) throws(RedactionError) {
        self.init(
            rule, expression: LazyRegex(pattern: rule.pattern, compiled: try Self.compile(rule)),
            bounded: false)
    }

    private static func compile(_ rule: RedactionRule) throws(RedactionError) -> NSRegularExpression
    {
        do {
            return try NSRegularExpression(pattern: rule.pattern)
        } catch {
            throw .invalidPattern(
                kind: rule.kind, pattern: rule.pattern, reason: Self.reason(rule.pattern))
        }
    }

    /// Compiles a store's rule now, so a bad or too slow pattern is reported when the config is
    /// loaded: refused shapes (``RedactionRuleSyntax``), then a few hostile lines made of the
    /// pattern's own characters, each of which must stay within the step budget.
    init(storeRule rule: RedactionRule) throws(RedactionError) {
        let regex = try Self.compile(rule)
        if let problem = RedactionRuleSyntax.problem(in: rule.pattern) {
            throw .tooSlow(kind: rule.kind, pattern: rule.pattern, reason: problem)
        }
        self.init(
            rule, expression: LazyRegex(pattern: rule.pattern, compiled: regex), bounded: true)
        for probe in RuleBudget.probes(for: rule.pattern) {
            var budget = RuleBudget()
            _ = secretRanges(in: probe, budget: &budget)
            if budget.exceeded {
                throw .tooSlow(
                    kind: rule.kind, pattern: rule.pattern,
                    reason:
                        "it takes more than \(RuleBudget.stepsPerWindow) steps on a line of "
                        + "\(probe.count) '\(probe.first!)'"
                )
            }
        }
    }

    /// Defers compiling to the first text that has one of the keywords: starting ICU alone costs
    /// about 2.5 ms, which a note without keywords never pays. Only for the built-in patterns,
    /// which the tests compile one by one.
    init(deferring rule: RedactionRule) {
        self.init(rule, expression: LazyRegex(pattern: rule.pattern, compiled: nil), bounded: false)
    }

    private init(_ rule: RedactionRule, expression: LazyRegex, bounded: Bool) {
        self.bounded = bounded
        kind = rule.kind
        // NUL-terminated for strstr; a keyword with a NUL could never match, so it is dropped.
        keywords = rule.keywords
            .filter { !$0.isEmpty && !$0.utf8.contains(0) }
            .map { Array($0.lowercased().utf8) + [0] }
        hasNamedSecret = rule.pattern.contains("(?<secret>")
        self.expression = expression
    }

    /// A short reason for an invalid pattern; Foundation on Linux only says "the value is invalid".
    private static func reason(_ pattern: String) -> String {
        do {
            _ = try Regex(pattern)
            return "not a valid regular expression"
        } catch {
            // Swift Regex only lends its clearer syntax messages; what it does not support, ICU
            // may.
            let text = "\(error)".split(separator: "\n").first.map(String.init) ?? ""
            return text.isEmpty || text.contains("supported")
                ? "not a valid regular expression" : text.lowercased()
        }
    }

    /// Whether one of the keywords occurs in the lowercased, NUL-terminated UTF-8 text (always,
    /// without keywords).
    func mayMatch(_ lowered: [UInt8]) -> Bool {
        if keywords.isEmpty { return true }
        return lowered.withUnsafeBufferPointer { haystack in
            keywords.contains { keyword in
                keyword.withUnsafeBufferPointer { needle in
                    // libc's strstr is far faster than a Swift loop in a debug build.
                    strstr(
                        UnsafeRawPointer(haystack.baseAddress!).assumingMemoryBound(to: CChar.self),
                        UnsafeRawPointer(needle.baseAddress!).assumingMemoryBound(to: CChar.self))
                        != nil
                }
            }
        }
    }

    /// Returns `text` with this rule's secrets replaced, or nil when nothing was replaced.
    func redact(_ text: String) -> String? {
        var budget = RuleBudget()
        let ranges =
            bounded
            ? secretRanges(in: text, budget: &budget)
            : regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).map(secretRange)
        guard !ranges.isEmpty else { return nil }
        var result = ""
        var cursor = text.startIndex
        var replaced = false
        for range in ranges {
            guard let secret = Range(range, in: text), !secret.isEmpty, secret.lowerBound >= cursor,
                !Self.isPlaceholder(text[secret])
            else { continue }
            result += text[cursor..<secret.lowerBound]
            result += "[REDACTED:\(kind)]"
            cursor = secret.upperBound
            replaced = true
        }
        guard replaced else { return nil }
        result += text[cursor...]
        return result
    }

    /// The part of a match to replace: the `secret` group, else group 1, else the whole match.
    private func secretRange(_ match: NSTextCheckingResult) -> NSRange {
        var range = match.range
        if hasNamedSecret {
            range = match.range(withName: "secret")
        } else if match.numberOfRanges > 1 {
            range = match.range(at: 1)
        }
        // A secret group that did not take part (an alternation) falls back to the whole match.
        if range.location == NSNotFound { range = match.range }
        return range
    }

    /// A store rule's secrets in `text`, found line by line in windows of at most
    /// ``RuleBudget/window`` UTF-16 units (overlapping by half on a longer line), each within its
    /// step budget. A line on which the rule runs out of steps is replaced as a whole: when in
    /// doubt, redact. Sorted, not overlapping.
    func secretRanges(in text: String, budget: inout RuleBudget) -> [NSRange] {
        let units = Array(text.utf16)
        var ranges: [NSRange] = []
        var lineStart = 0
        while lineStart <= units.count {
            let lineEnd = units[lineStart...].firstIndex(of: 0x0A) ?? units.count
            let length = lineEnd - lineStart
            if length > 0 {
                // Each line on its own: the engine copies only what it searches.
                let line = String(decoding: units[lineStart..<lineEnd], as: UTF16.self)
                var found: [NSRange] = []
                var whole = budget.exhausted
                var offset = 0
                while !whole {
                    let size = min(RuleBudget.window, length - offset)
                    let window = NSRange(location: offset, length: size)
                    // Of an overlapping window, keep what starts in its own half (or in the last
                    // one, all).
                    let owned = offset + size >= length ? length : offset + RuleBudget.window / 2
                    var reports = 0
                    var stopped = false
                    let allowance = size + 2 + RuleBudget.stepsPerWindow / RuleBudget.stepsPerReport
                    regex.enumerateMatches(in: line, options: [.reportProgress], range: window) {
                        match, flags, stop in
                        if let match {
                            if match.range.location < owned {
                                var range = secretRange(match)
                                if range.location != NSNotFound { range.location += lineStart }
                                found.append(range)
                            }
                        } else if flags.contains(.progress) {
                            reports += 1
                            if reports > allowance {
                                stopped = true
                                stop.pointee = true
                            }
                        }
                    }
                    budget.spend(reports: reports, window: size)
                    if stopped {
                        budget.exceeded = true
                        whole = true
                    }
                    if offset + size >= length { break }
                    offset += RuleBudget.window / 2
                }
                if whole {
                    ranges.append(NSRange(location: lineStart, length: length))
                } else {
                    ranges += found.sorted { $0.location < $1.location }
                }
            }
            lineStart = lineEnd + 1
        }
        var merged: [NSRange] = []
        for range in ranges where range.location != NSNotFound && range.length > 0 {
            if let last = merged.last, range.location < last.location + last.length { continue }
            merged.append(range)
        }
        return merged
    }

    /// Whether a matched secret is only a placeholder such as `ghp_xxxxxxxx…` or
    /// `sk_live_********…`.
    static func isPlaceholder(_ secret: Substring) -> Bool {
        // Skip a lowercase token prefix such as "ghp_" or "sk_live_"; what remains decides.
        var body = secret[...]
        while let separator = body.prefix(12).firstIndex(where: { $0 == "_" || $0 == "-" }),
            body[..<separator].allSatisfy({ $0.isLowercase && $0.isASCII })
        {
            body = body[body.index(after: separator)...]
        }
        return !body.isEmpty && body.allSatisfy { "xX*#.".contains($0) }
    }
}

/// An `NSRegularExpression` compiled at most once, on first use, by whichever thread gets there
/// first.
///
/// `NSRegularExpression` is immutable and `Sendable` in swift-corelibs-foundation; the `Mutex`
/// makes the one-time compile safe, so no `@unchecked` is needed.
final class LazyRegex: Sendable {
    let pattern: String
    private let compiled: Mutex<NSRegularExpression?>

    init(pattern: String, compiled: NSRegularExpression?) {
        self.pattern = pattern
        self.compiled = Mutex(compiled)
    }

    var regex: NSRegularExpression {
        compiled.withLock { compiled in
            if let compiled { return compiled }
            // Only built-in patterns arrive here uncompiled; RedactorTests compiles each of them.
            let regex = try! NSRegularExpression(pattern: pattern)
            compiled = regex
            return regex
        }
    }
}
