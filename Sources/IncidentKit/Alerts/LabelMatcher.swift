import Foundation

/// One label condition of an alert route, in Alertmanager's own syntax: `severity="critical"`,
/// `team!=db`, `service=~"checkout|payments"`, `env!~"dev.*"`. Regular expressions are
/// anchored (they must match the whole value, as in Alertmanager), and a missing label
/// matches as the empty string.
public struct LabelMatcher: Hashable, Sendable, CustomStringConvertible {
    public enum Operator: String, Hashable, Sendable, CaseIterable {
        case equal = "="
        case notEqual = "!="
        case matches = "=~"
        case notMatches = "!~"
    }

    public var name: String
    public var op: Operator
    public var value: String

    /// Parses `NAME OP VALUE`, the value bare or in double quotes (with `\"`, `\\`, `\n` escapes).
    public init(_ text: String) throws(AlertError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let nameEnd =
            trimmed.firstIndex { !($0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_")) }
            ?? trimmed.endIndex
        let name = String(trimmed[..<nameEnd])
        guard let first = name.first, !first.isNumber else {
            throw .invalidMatcher(text, reason: "it does not start with a label name")
        }
        let rest = trimmed[nameEnd...].drop { $0 == " " }
        guard
            let op = [Operator.matches, .notMatches, .notEqual, .equal].first(where: {
                rest.hasPrefix($0.rawValue)
            })
        else {
            throw .invalidMatcher(text, reason: "no operator after '\(name)'")
        }
        var raw = rest.dropFirst(op.rawValue.count).trimmingCharacters(in: .whitespaces)
        if raw.hasPrefix("\"") {
            guard raw.count >= 2, raw.hasSuffix("\""),
                !raw.hasSuffix("\\\"") || raw.hasSuffix("\\\\\"")
            else {
                throw .invalidMatcher(text, reason: "the quoted value is not closed")
            }
            raw = Self.unescape(String(raw.dropFirst().dropLast()))
        }
        self.name = name
        self.op = op
        self.value = raw
        if op == .matches || op == .notMatches {
            let regex: NSRegularExpression
            do {
                regex = try NSRegularExpression(pattern: Self.anchored(raw))
            } catch {
                throw .invalidMatcher(
                    text, reason: "'\(ValueError.shown(raw))' is not a valid regular expression")
            }
            try Self.checkCost(regex, pattern: raw, text: text)
        }
    }

    /// Routes arrive by git like redaction rules, and are bounded the same way (``RuleBudget``): a
    /// shape that backtracks without bound is refused, and so is an expression that takes too many
    /// engine steps on a hostile value made of its own characters.
    private static func checkCost(
        _ regex: NSRegularExpression, pattern: String,
        text: String
    ) throws(AlertError) {
        let fix =
            "write it without nested or alternated repetition, e.g. 'a+' for '(a+)+', "
            + "'(?:ab|cd){1,4}' for '(ab|cd)+'"
        if let problem = RedactionRuleSyntax.problem(in: pattern) {
            throw .invalidMatcher(
                text,
                reason: "the regular expression is too costly: "
                    + "\(problem); \(fix)")
        }
        for probe in RuleBudget.probes(for: pattern) where boundedMatch(regex, probe) == nil {
            throw .invalidMatcher(
                text,
                reason: "the regular expression is too costly: it takes "
                    + "more than \(RuleBudget.stepsPerWindow) steps on a value of \(probe.count) "
                    + "'\(probe.first!)'; \(fix)")
        }
    }

    /// Whether `regex` matches `value`, within the step budget of one ``RuleBudget/window``; nil
    /// when it ran out of steps.
    static func boundedMatch(_ regex: NSRegularExpression, _ value: String) -> Bool? {
        let range = NSRange(value.startIndex..., in: value)
        let allowance = range.length + 2 + RuleBudget.stepsPerWindow / RuleBudget.stepsPerReport
        var reports = 0
        var found = false
        var stopped = false
        regex.enumerateMatches(in: value, options: [.reportProgress], range: range) {
            match, flags, stop in
            if match != nil {
                found = true
                stop.pointee = true
            } else if flags.contains(.progress) {
                reports += 1
                if reports > allowance {
                    stopped = true
                    stop.pointee = true
                }
            }
        }
        return stopped ? nil : found
    }

    public var description: String {
        let escaped = value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(
            of: "\"", with: "\\\"")
        return "\(name)\(op.rawValue)\"\(escaped)\""
    }

    /// True when the alert's labels satisfy this condition.
    public func matches(_ labels: [String: String]) -> Bool {
        let actual = labels[name] ?? ""
        switch op {
        case .equal: return actual == value
        case .notEqual: return actual != value
        case .matches: return Self.fullMatch(value, actual)
        case .notMatches: return !Self.fullMatch(value, actual)
        }
    }

    private static func anchored(_ pattern: String) -> String { "^(?:" + pattern + ")$" }

    private static func fullMatch(_ pattern: String, _ text: String) -> Bool {
        // Validated when the route was read; an expression that still fails matches nothing, and
        // so does one that runs out of steps on a value (within the budget checked at load).
        guard let regex = try? NSRegularExpression(pattern: anchored(pattern)) else { return false }
        return boundedMatch(regex, text) ?? false
    }

    private static func unescape(_ text: String) -> String {
        var result = ""
        var escaping = false
        for character in text {
            if escaping {
                switch character {
                case "n": result.append("\n")
                case "\"", "\\": result.append(character)
                default: result += "\\" + String(character)  // a regex escape such as \. stays
                }
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else {
                result.append(character)
            }
        }
        return result
    }
}

extension LabelMatcher: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            try self.init(text)
        } catch {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: error.message))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
