import Foundation
import Testing

@testable import IncidentKit

/// Where the repository's `runbooks/` and the generated Swift file live, found from this
/// file's path so the tests work from any working directory.
enum RunbookRepository {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let runbooks = root.appendingPathComponent("runbooks")
    static let generatedFile = root.appendingPathComponent(
        "Sources/IncidentKit/Runbooks/BuiltinRunbooks.swift")

    /// The shipped runbooks, sorted by name, with line endings normalised to `\n` (a
    /// Swift multi-line literal cannot hold `\r\n`).
    static func shipped() throws -> [(name: String, markdown: String)] {
        let files = try FileManager.default.contentsOfDirectory(atPath: runbooks.path)
            .filter { $0.hasSuffix(".md") && $0 != "README.md" }.sorted()
        return try files.map { file in
            let text = try String(
                contentsOf: runbooks.appendingPathComponent(file), encoding: .utf8)
            return (String(file.dropLast(3)), text.replacingOccurrences(of: "\r\n", with: "\n"))
        }
    }
}

/// Renders `BuiltinRunbooks.swift` from the runbook files.
enum BuiltinRunbooksRenderer {
    static func render(_ runbooks: [(name: String, markdown: String)]) -> String {
        var out = """
            // GENERATED from runbooks/*.md by BuiltinRunbooksTests. Do not edit by hand; after
            // changing a runbook run: IRCTL_REGENERATE_RUNBOOKS=1 swift test --filter BuiltinRunbooksTests

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

@Suite struct BuiltinRunbooksTests {
    @Test func generatedFileIsUpToDate() throws {
        let expected = BuiltinRunbooksRenderer.render(try RunbookRepository.shipped())
        let committed =
            (try? String(contentsOf: RunbookRepository.generatedFile, encoding: .utf8)) ?? ""
        if committed == expected { return }
        if ProcessInfo.processInfo.environment["IRCTL_REGENERATE_RUNBOOKS"] == "1" {
            try expected.write(
                to: RunbookRepository.generatedFile, atomically: true, encoding: .utf8)
            // Fail this one run: the binary under test was compiled from the old copy.
            Issue.record("BuiltinRunbooks.swift regenerated; run the tests again")
        } else {
            Issue.record(
                "BuiltinRunbooks.swift is stale; run: IRCTL_REGENERATE_RUNBOOKS=1 swift test --filter BuiltinRunbooksTests"
            )
        }
    }

    @Test func compiledCopyMatchesFiles() throws {
        let shipped = try RunbookRepository.shipped()
        #expect(BuiltinRunbooks.all.map(\.name) == shipped.map(\.name))
        // Compared as a flag so a mismatch prints the advice, not every runbook's text.
        let stale = zip(BuiltinRunbooks.all, shipped).filter { $0.0.markdown != $0.1.markdown }.map(
            \.1.name)
        #expect(
            stale == [],
            "compiled copy differs; run: IRCTL_REGENERATE_RUNBOOKS=1 swift test --filter BuiltinRunbooksTests"
        )
    }

    @Test(arguments: [
        ("plain", 1), ("a \"# b", 2), ("\"\"\"##", 3), ("\\#(x)", 2), ("## heading", 1),
    ])
    func delimiterOutrunsContent(text: String, expected: Int) {
        #expect(BuiltinRunbooksRenderer.delimiterLength(text) == expected)
    }
}
