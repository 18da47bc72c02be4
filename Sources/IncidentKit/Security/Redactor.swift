import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Replaces secrets in text with `[REDACTED:<kind>]` before anything is written (DESIGN §6).
///
/// The built-in rules are listed, with their kinds, in ``RedactionRule/standard``.
///
/// ## Usage
/// ```swift
/// Redactor.standard.redact("psql postgres://app:hunter2@db")
/// // "psql postgres://app:[REDACTED:url-password]@db"
/// ```
public struct Redactor: Sendable {
    /// The built-in rules, compiled once per process.
    public static let standard = Redactor(compiled: RedactionRule.standard.map {
        // The built-in patterns are covered by tests; a failure here is a programming error.
        try! CompiledRule($0)
    })

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

/// A rule with its expression compiled and keywords prepared for a byte search.
///
/// `NSRegularExpression` is immutable and `Sendable` in swift-corelibs-foundation, so no wrapper is needed.
struct CompiledRule: Sendable {
    let kind: String
    let regex: NSRegularExpression
    let keywords: [[UInt8]]
    let secretGroup: SecretGroup

    enum SecretGroup: Sendable { case named, first, whole }

    init(_ rule: RedactionRule) throws(RedactionError) {
        do {
            regex = try NSRegularExpression(pattern: rule.pattern)
        } catch {
            throw .invalidPattern(kind: rule.kind, pattern: rule.pattern, reason: Self.reason(rule.pattern))
        }
        kind = rule.kind
        // NUL-terminated for strstr; a keyword with a NUL could never match, so it is dropped.
        keywords = rule.keywords
            .filter { !$0.isEmpty && !$0.utf8.contains(0) }
            .map { Array($0.lowercased().utf8) + [0] }
        if rule.pattern.contains("(?<secret>") {
            secretGroup = .named
        } else if regex.numberOfCaptureGroups > 0 {
            secretGroup = .first
        } else {
            secretGroup = .whole
        }
    }

    /// A short reason for an invalid pattern; Foundation on Linux only says "the value is invalid".
    private static func reason(_ pattern: String) -> String {
        do {
            _ = try Regex(pattern)
            return "not a valid regular expression"
        } catch {
            let text = "\(error)".split(separator: "\n").first.map(String.init) ?? ""
            return text.isEmpty ? "not a valid regular expression" : text.lowercased()
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
            switch secretGroup {
            case .named: range = match.range(withName: "secret")
            case .first: range = match.range(at: 1)
            case .whole: break
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
