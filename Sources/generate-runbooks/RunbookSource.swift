import Foundation

/// The shipped runbook files and the Swift file that compiles them into the binary.
enum RunbookSource {
    static let generatedPath = "Sources/IncidentKit/Runbooks/BuiltinRunbooks.swift"

    /// The runbooks under `root/runbooks`, sorted by name, with line endings normalised to `\n`
    /// (a Swift multi-line literal cannot hold `\r\n`).
    static func read(root: URL) throws -> [(name: String, markdown: String)] {
        let directory = root.appendingPathComponent("runbooks")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".md") && $0 != "README.md" }.sorted()
        return try files.map { file in
            let text = try String(
                contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            return (String(file.dropLast(3)), text.replacingOccurrences(of: "\r\n", with: "\n"))
        }
    }

    static func render(_ runbooks: [(name: String, markdown: String)]) -> String {
        var out = """
            // swift-format-ignore-file
            // GENERATED from runbooks/*.md. Do not edit by hand; after changing a runbook run:
            // swift run generate-runbooks

            /// The starter runbooks compiled into the binary, so an installed `irctl` has them
            /// without the repository. Sorted by name.
            public enum BuiltinRunbooks {
                public static let all: [(name: String, markdown: String)] = [

            """
        for runbook in runbooks {
            let hashes = String(repeating: "#", count: delimiterLength(runbook.markdown))
            out += "        (name: \"\(runbook.name)\", markdown: \(hashes)\"\"\"\n"
            out += runbook.markdown
            out += "\n\"\"\"\(hashes)),\n"
        }
        out += "    ]\n}\n"
        return out
    }

    /// One more `#` than the longest run after a `"` or `\` in the text, so neither the
    /// closing delimiter nor an escape can appear inside the literal.
    static func delimiterLength(_ text: String) -> Int {
        var longest = 0
        var run: Int?
        for character in text {
            if character == "#", let count = run {
                run = count + 1
                longest = max(longest, count + 1)
            } else {
                run = character == "\"" || character == "\\" ? 0 : nil
            }
        }
        return longest + 1
    }
}
