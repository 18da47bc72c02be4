/// The vocabulary of the runbook format (documented in `runbooks/README.md`).
enum RunbookFormat {
    static let builtinSource = "built-in"

    /// Front matter keys irctl understands; any other key is a lint error, so a typo
    /// (`severty`) is caught instead of silently ignored.
    static let knownKeys: Set<String> = [
        "title", "severity", "tags", "services", "owner", "escalation", "reviewed",
    ]
    /// Keys kept in `Runbook.metadata` (the rest have their own fields).
    static let metadataKeys: Set<String> = ["services", "owner", "escalation", "reviewed"]

    static let whenToUse = "when to use"
    static let steps = "steps"
    static let verify = "verify"
    static let escalate = "escalate"
    static let communicate = "communicate"
    /// A runbook is not usable at 2 a.m. without these: when it applies, what to do,
    /// and how to know it worked.
    static let requiredSections = [whenToUse, steps, verify]
    static let knownSections: Set<String> = [whenToUse, steps, verify, escalate, communicate]

    /// Headings as written in the files, for messages.
    static func heading(_ key: String) -> String {
        switch key {
        case whenToUse: return "## When to use"
        case steps: return "## Steps"
        case verify: return "## Verify"
        case escalate: return "## Escalate"
        default: return "## Communicate"
        }
    }

    /// Splits `a, b` or `[a, b]` into trimmed, unquoted, non-empty items.
    static func list(_ value: String) -> [String] {
        var text = value.runbookTrimmed
        if text.hasPrefix("["), text.hasSuffix("]") { text = String(text.dropFirst().dropLast()) }
        return text.split(separator: ",").map { unquote(String($0).runbookTrimmed) }.filter {
            !$0.isEmpty
        }
    }

    static func unquote(_ value: String) -> String {
        guard value.count >= 2, let first = value.first, first == value.last,
            first == "\"" || first == "'"
        else { return value }
        return String(value.dropFirst().dropLast())
    }

    /// `SEV<n>` or `P<n>`, any case: the forms `irctl declare -s` accepts.
    static func isSeverity(_ value: String) -> Bool {
        let upper = value.uppercased()
        let digits: Substring
        if upper.hasPrefix("SEV") {
            digits = upper.dropFirst(3)
        } else if upper.hasPrefix("P") {
            digits = upper.dropFirst(1)
        } else {
            return false
        }
        return !digits.isEmpty && digits.count <= 2
            && digits.allSatisfy { $0.isASCII && $0.isNumber }
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces and tabs (and a stray `\r`).
    var runbookTrimmed: String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" || last == "\r" {
            scalars.removeLast()
        }
        return String(scalars)
    }
}
