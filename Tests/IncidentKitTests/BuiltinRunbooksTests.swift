import Foundation
import Testing

@testable import IncidentKit

/// Where the repository's `runbooks/` live, found from this file's path so the tests work from
/// any working directory.
enum RunbookRepository {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let runbooks = root.appendingPathComponent("runbooks")

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

@Suite struct BuiltinRunbooksTests {
    @Test func compiledCopyMatchesFiles() throws {
        let shipped = try RunbookRepository.shipped()
        #expect(BuiltinRunbooks.all.map(\.name) == shipped.map(\.name))
        // Compared as a flag so a mismatch prints the advice, not every runbook's text.
        let stale = zip(BuiltinRunbooks.all, shipped).filter { $0.0.markdown != $0.1.markdown }.map(
            \.1.name)
        #expect(stale == [], "compiled copy differs; run: swift run generate-runbooks")
    }
}
