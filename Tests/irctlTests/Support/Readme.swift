import Foundation

/// README.md read the way its replay test needs it: the fenced blocks, each with the `##`
/// section it sits in, and the transcripts in them.
///
/// A block whose info string is `console` is a transcript: lines starting with a prompt are
/// commands, the lines after one (up to the next prompt) are what it prints, stdout and stderr
/// together as on a terminal. The prompt is `$ ` (the reader, `alice`, in `~`) or
/// `NAME:~/DIR$ ` (NAME in DIR). A command line ending in ` \` goes on on the next line.
/// A block whose info string has a `file=PATH` word is written to PATH (under `~`) when the
/// replay reaches it. Any other block is text to read, and the replay test names the test that
/// exercises it.
struct Readme: Sendable {
    struct Block: Sendable {
        var section: String
        /// The info string after the opening fence (`console`, `sh`, `json file=alert.json`).
        var info: String
        var lines: [String]
        /// 1-based line of the opening fence in README.md.
        var line: Int

        var isTranscript: Bool { info == "console" }
        /// Where a file block goes, relative to `~`.
        var file: String? {
            info.split(separator: " ").first { $0.hasPrefix("file=") }.map {
                String($0.dropFirst("file=".count))
            }
        }
    }

    struct Step: Sendable {
        var user: String
        /// The working directory relative to `~`: "" for `~` itself.
        var directory: String
        var command: String
        var expected: [String]
        var line: Int
    }

    var text: String
    var blocks: [Block]

    static let path: String = {
        let here = URL(fileURLWithPath: #filePath)
        return here.deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("README.md").path
    }()

    /// The repository's README.md (empty when it can't be read: the tests then fail on it).
    static let repository = Readme(
        text: (try? String(contentsOfFile: path, encoding: .utf8)) ?? "")

    init(text: String) {
        self.text = text
        var blocks: [Block] = []
        var section = "(top)"
        var open: Block?
        var fence = ""
        for (index, line) in text.components(separatedBy: "\n").enumerated() {
            if var block = open {
                if line == fence {
                    blocks.append(block)
                    open = nil
                } else {
                    block.lines.append(line)
                    open = block
                }
            } else if line.hasPrefix("```") {
                fence = String(line.prefix { $0 == "`" })
                let info = line.dropFirst(fence.count).trimmingCharacters(in: .whitespaces)
                open = Block(section: section, info: info, lines: [], line: index + 1)
            } else if line.hasPrefix("## ") {
                section = String(line.dropFirst(3))
            }
        }
        self.blocks = blocks
    }

    /// The sections that hold a transcript, in the README's order.
    var transcriptSections: [String] {
        var sections: [String] = []
        for block in blocks where block.isTranscript && !sections.contains(block.section) {
            sections.append(block.section)
        }
        return sections
    }

    /// The transcript and file blocks of `section`, in order.
    func replayed(in section: String) -> [Block] {
        blocks.filter { $0.section == section && ($0.isTranscript || $0.file != nil) }
    }

    /// The blocks that are neither replayed nor written: text for a person to read or run.
    var readOnly: [Block] { blocks.filter { !$0.isTranscript && $0.file == nil } }

    /// The commands of a transcript block with the output each is expected to print.
    static func steps(of block: Block) -> [Step] {
        var steps: [Step] = []
        var continuing = false
        for (offset, line) in block.lines.enumerated() {
            if continuing, var step = steps.popLast() {
                step.command += "\n" + line
                continuing = line.hasSuffix(" \\")
                steps.append(step)
            } else if let (user, directory, command) = prompt(line) {
                steps.append(
                    Step(
                        user: user, directory: directory, command: command, expected: [],
                        line: block.line + 1 + offset))
                continuing = command.hasSuffix(" \\")
            } else if var step = steps.popLast() {
                step.expected.append(line)
                steps.append(step)
            }
        }
        return steps
    }

    /// `$ COMMAND` or `NAME:~/DIR$ COMMAND`.
    static func prompt(_ line: String) -> (user: String, directory: String, command: String)? {
        if line.hasPrefix("$ ") { return ("alice", "", String(line.dropFirst(2))) }
        guard let dollar = line.range(of: "$ "), let colon = line.firstIndex(of: ":"),
            colon < dollar.lowerBound
        else { return nil }
        let user = line[..<colon]
        let place = line[line.index(after: colon)..<dollar.lowerBound]
        guard !user.isEmpty, user.allSatisfy({ $0.isLetter }),
            place == "~" || place.hasPrefix("~/"), !place.contains(" ")
        else { return nil }
        return (
            String(user), String(place.dropFirst(place == "~" ? 1 : 2)),
            String(line[dollar.upperBound...])
        )
    }

    /// Whether `actual` is what `expected` shows. A line `...` stands for any lines (none
    /// included); `...` inside a line for any text. Trailing spaces are not compared (an
    /// editor strips them from the README).
    static func matches(expected: [String], actual: [String]) -> Bool {
        let expected = expected.map(trimmingTrailingSpaces)
        let actual = actual.map(trimmingTrailingSpaces)
        func match(_ e: Int, _ a: Int) -> Bool {
            if e == expected.count { return a == actual.count }
            if expected[e] == "..." {
                return (a...actual.count).contains { match(e + 1, $0) }
            }
            return a < actual.count && lineMatches(expected[e], actual[a]) && match(e + 1, a + 1)
        }
        return match(0, 0)
    }

    static func lineMatches(_ pattern: String, _ text: String) -> Bool {
        let parts = pattern.components(separatedBy: "...")
        guard parts.count > 1 else { return pattern == text }
        guard text.hasPrefix(parts[0]) else { return false }
        var rest = text.dropFirst(parts[0].count)
        for part in parts.dropFirst().dropLast() {
            guard let found = rest.range(of: part) else { return false }
            rest = rest[found.upperBound...]
        }
        let last = parts[parts.count - 1]
        return rest.count >= last.count && rest.hasSuffix(last)
    }

    private static func trimmingTrailingSpaces(_ line: String) -> String {
        var line = Substring(line)
        while line.last == " " { line = line.dropLast() }
        return String(line)
    }
}
