import Foundation

/// One label condition of an alert route, in Alertmanager's own syntax: `severity="critical"`,
/// `team!=db`, `service=~"checkout|payments"`, `env!~"dev.*"`. Regular expressions are
/// anchored (they must match the whole value, as in Alertmanager), and a missing label
/// matches as the empty string.
public struct LabelMatcher: Hashable, Sendable, CustomStringConvertible {
    public enum Operator: String, Hashable, Sendable, CaseIterable {
        case equal = "=", notEqual = "!=", matches = "=~", notMatches = "!~"
    }

    public var name: String
    public var op: Operator
    public var value: String

    /// Parses `NAME OP VALUE`, the value bare or in double quotes (with `\"`, `\\`, `\n` escapes).
    public init(_ text: String) throws(AlertError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let nameEnd = trimmed.firstIndex { !($0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_")) } ?? trimmed.endIndex
        let name = String(trimmed[..<nameEnd])
        guard let first = name.first, !first.isNumber else {
            throw .invalidMatcher(text, reason: "it does not start with a label name")
        }
        let rest = trimmed[nameEnd...].drop { $0 == " " }
        guard let op = [Operator.matches, .notMatches, .notEqual, .equal].first(where: { rest.hasPrefix($0.rawValue) }) else {
            throw .invalidMatcher(text, reason: "no operator after '\(name)'")
        }
        var raw = rest.dropFirst(op.rawValue.count).trimmingCharacters(in: .whitespaces)
        if raw.hasPrefix("\"") {
            guard raw.count >= 2, raw.hasSuffix("\""), !raw.hasSuffix("\\\"") || raw.hasSuffix("\\\\\"") else {
                throw .invalidMatcher(text, reason: "the quoted value is not closed")
            }
            raw = Self.unescape(String(raw.dropFirst().dropLast()))
        }
        self.name = name
        self.op = op
        self.value = raw
        if op == .matches || op == .notMatches {
            do {
                _ = try NSRegularExpression(pattern: Self.anchored(raw))
            } catch {
                throw .invalidMatcher(text, reason: "'\(ValueError.shown(raw))' is not a valid regular expression")
            }
        }
    }

    public var description: String {
        let escaped = value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
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
        // Validated when the route was read; an expression that still fails matches nothing.
        guard let regex = try? NSRegularExpression(pattern: anchored(pattern)) else { return false }
        return regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
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
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
