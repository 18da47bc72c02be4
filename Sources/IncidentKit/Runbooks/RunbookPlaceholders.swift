/// The `<placeholder>` markers of a runbook command (format: `runbooks/README.md`).
public enum RunbookPlaceholders {
    /// The placeholders still in `command`, in order of appearance, each once: a `<`, a letter,
    /// then anything but spaces and angle brackets, then `>` (`<mount-point>`, `<host/volume>`).
    /// Shell redirections (`2>/dev/null`, `< file`) do not match.
    public static func find(in command: String) -> [String] {
        var found: [String] = []
        let scalars = Array(command.unicodeScalars)
        var index = 0
        while index < scalars.count {
            defer { index += 1 }
            guard scalars[index] == "<", index + 1 < scalars.count,
                scalars[index + 1].properties.isAlphabetic
            else { continue }
            var end = index + 1
            while end < scalars.count, scalars[end] != ">", scalars[end] != "<",
                !scalars[end].properties.isWhitespace
            { end += 1 }
            guard end < scalars.count, scalars[end] == ">" else { continue }
            var marker = String.UnicodeScalarView()
            marker.append(contentsOf: scalars[index...end])
            let text = String(marker)
            if !found.contains(text) { found.append(text) }
            index = end
        }
        return found
    }

    /// `<incident>` stands for the incident the runbook is attached to: filled in before running.
    public static func fillIncident(_ command: String, id: IncidentID) -> String {
        command.split(separator: "<incident>", omittingEmptySubsequences: false).joined(
            separator: id.description)
    }
}
