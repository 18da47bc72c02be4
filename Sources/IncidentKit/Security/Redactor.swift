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
    public static let standard = Redactor(compiled: RedactionRule.standard.map(CompiledRule.init(deferring:)))

    let compiled: [CompiledRule]

    private init(compiled: [CompiledRule]) {
        self.compiled = compiled
    }

    /// Creates a redactor with the built-in rules plus `extraRules` (a store's own, from config.json).
    public init(extraRules: [RedactionRule] = []) throws(RedactionError) {
        var compiled = Redactor.standard.compiled
        for rule in extraRules {
            compiled.append(try CompiledRule(rule))
        }
        self.compiled = compiled
    }

    /// Returns `text` with every secret replaced by `[REDACTED:<kind>]`.
    public func redact(_ text: String) -> String {
        apply(to: text).text
    }

    /// Returns the kinds of secret found in `text`, each once, in rule order; never the secret itself.
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
        return (current, kinds)
    }
}

/// A rule with its expression compiled (now or on first use) and keywords prepared for a byte search.
struct CompiledRule: Sendable {
    let kind: String
    let keywords: [[UInt8]]
    /// Replace the `secret` group; otherwise group 1 if there is one, else the whole match.
    let hasNamedSecret: Bool
    private let expression: LazyRegex

    var regex: NSRegularExpression { expression.regex }

    /// Compiles the rule now, so a store's bad pattern is reported when the config is loaded.
    init(_ rule: RedactionRule) throws(RedactionError) {
        let regex: NSRegularExpression
        do {
            regex = try NSRegularExpression(pattern: rule.pattern)
        } catch {
            throw .invalidPattern(kind: rule.kind, pattern: rule.pattern, reason: Self.reason(rule.pattern))
        }
        self.init(rule, expression: LazyRegex(pattern: rule.pattern, compiled: regex))
    }

    /// Defers compiling to the first text that has one of the keywords: starting ICU alone costs
    /// about 2.5 ms, which a note without keywords never pays. Only for the built-in patterns,
    /// which the tests compile one by one.
    init(deferring rule: RedactionRule) {
        self.init(rule, expression: LazyRegex(pattern: rule.pattern, compiled: nil))
    }

    private init(_ rule: RedactionRule, expression: LazyRegex) {
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
            // Swift Regex only lends its clearer syntax messages; what it does not support, ICU may.
            let text = "\(error)".split(separator: "\n").first.map(String.init) ?? ""
            return text.isEmpty || text.contains("supported") ? "not a valid regular expression" : text.lowercased()
        }
    }

    /// Whether one of the keywords occurs in the lowercased, NUL-terminated UTF-8 text (always, without keywords).
    func mayMatch(_ lowered: [UInt8]) -> Bool {
        if keywords.isEmpty { return true }
        return lowered.withUnsafeBufferPointer { haystack in
            keywords.contains { keyword in
                keyword.withUnsafeBufferPointer { needle in
                    // libc's strstr is far faster than a Swift loop in a debug build.
                    strstr(UnsafeRawPointer(haystack.baseAddress!).assumingMemoryBound(to: CChar.self),
                           UnsafeRawPointer(needle.baseAddress!).assumingMemoryBound(to: CChar.self)) != nil
                }
            }
        }
    }

    /// Returns `text` with this rule's secrets replaced, or nil when nothing was replaced.
    func redact(_ text: String) -> String? {
        let matches = regex.matches(in: text, range: NSRange(text.startIndex..., in: text))
        guard !matches.isEmpty else { return nil }
        var result = ""
        var cursor = text.startIndex
        var replaced = false
        for match in matches {
            var range = match.range
            if hasNamedSecret {
                range = match.range(withName: "secret")
            } else if match.numberOfRanges > 1 {
                range = match.range(at: 1)
            }
            // A secret group that did not take part (an alternation) falls back to the whole match.
            if range.location == NSNotFound { range = match.range }
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

    /// Whether a matched secret is only a placeholder such as `ghp_xxxxxxxx…` or `sk_live_********…`.
    static func isPlaceholder(_ secret: Substring) -> Bool {
        // Skip a lowercase token prefix such as "ghp_" or "sk_live_"; what remains decides.
        var body = secret[...]
        while let separator = body.prefix(12).firstIndex(where: { $0 == "_" || $0 == "-" }),
              body[..<separator].allSatisfy({ $0.isLowercase && $0.isASCII }) {
            body = body[body.index(after: separator)...]
        }
        return !body.isEmpty && body.allSatisfy { "xX*#.".contains($0) }
    }
}

/// An `NSRegularExpression` compiled at most once, on first use, by whichever thread gets there first.
///
/// `NSRegularExpression` is immutable and `Sendable` in swift-corelibs-foundation; the `Mutex` makes
/// the one-time compile safe, so no `@unchecked` is needed.
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
