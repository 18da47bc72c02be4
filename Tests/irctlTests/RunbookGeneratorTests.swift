import Foundation
import Testing

@testable import generate_runbooks

/// The generator that compiles runbooks/*.md into the binary: the checked-in file is what it
/// writes today, and its literals can hold any runbook text.
@Suite struct RunbookGeneratorTests {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func checkedInFileIsWhatTheGeneratorWrites() throws {
        let expected = RunbookSource.render(try RunbookSource.read(root: Self.root))
        let committed = try String(
            contentsOf: Self.root.appendingPathComponent(RunbookSource.generatedPath),
            encoding: .utf8)
        // Compared as a flag so a mismatch prints the advice, not every runbook's text.
        #expect(
            committed == expected,
            "\(RunbookSource.generatedPath) is stale: run 'swift run generate-runbooks'")
    }

    @Test(arguments: [
        ("plain", 1), ("a \"# b", 2), ("\"\"\"##", 3), ("\\#(x)", 2), ("## heading", 1),
    ])
    func delimiterOutrunsContent(text: String, expected: Int) {
        #expect(RunbookSource.delimiterLength(text) == expected)
    }
}
