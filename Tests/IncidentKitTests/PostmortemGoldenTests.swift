import Foundation
import Testing

@testable import IncidentKit

/// The postmortem of each fixture must match its golden file byte for byte. After an intended
/// change, run with IRCTL_UPDATE_GOLDEN=1 to rewrite them, and review the diff.
@Suite struct PostmortemGoldenTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Golden")

    @Test(arguments: ["minimal", "everything", "hostile"])
    func matchesGolden(name: String) throws {
        let incident = try Self.fixture(name)
        let markdown = PostmortemRenderer(incident: incident).render()
        let url = Self.directory.appendingPathComponent("postmortem-\(name).md")
        if ProcessInfo.processInfo.environment["IRCTL_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(
                at: Self.directory, withIntermediateDirectories: true)
            try Data(markdown.utf8).write(to: url)
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        #expect(
            markdown == expected,
            "postmortem-\(name).md differs; rerun with IRCTL_UPDATE_GOLDEN=1 if it is intended")
    }

    @Test func renderingIsDeterministicAndSurvivesACodableRoundTrip() throws {
        let incident = try PostmortemFixtures.everything()
        let data = try JSONEncoder().encode(incident)
        let decoded = try JSONDecoder().decode(Incident.self, from: data)
        #expect(
            PostmortemRenderer(incident: decoded).render()
                == PostmortemRenderer(incident: incident).render())
    }

    @Test func sectionsComeInTheTemplateOrder() throws {
        let markdown = PostmortemRenderer(incident: try PostmortemFixtures.everything()).render()
        let headings = markdown.split(separator: "\n").filter { $0.hasPrefix("## ") }.map {
            String($0.dropFirst(3))
        }
        #expect(
            headings == [
                "Summary", "Impact", "Detection", "Response metrics", "Timeline",
                "Root cause and trigger",
                "Contributing factors", "Resolution and recovery", "What went well",
                "What went wrong",
                "Where we got lucky", "Action items", "Lessons learned", "Responders",
                "Phase chart",
            ])
        #expect(markdown.contains("**Time to detect: 7m**"))
        #expect(
            markdown.contains(
                "| 2026-11-21 14:20 | T+18m | carol | phase | **declare → contain: rollback done, "
                    + "error rate falling** |"
            ))
        #expect(
            markdown.contains(
                "| A1 | Alert on connection pool saturation above 80% | detect | P1 | carol | "
                    + "2026-12-01 | open |"
            ))
        #expect(markdown.contains("| dave | — | 1 |"))
        #expect(markdown.contains("```mermaid\ngantt\n"))
        // contain was entered twice: 11m, then 17m.
        #expect(markdown.contains("| contain | 2026-11-21 14:20 | 28m |"))
    }

    @Test func hostileTextCannotBreakTheDocument() throws {
        let markdown = PostmortemRenderer(incident: try PostmortemFixtures.hostile()).render()
        let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false)
        // Exactly one level-1 heading, on one line, and no heading other than ours.
        #expect(lines.filter { $0.hasPrefix("# ") }.count == 1)
        #expect(
            !lines.contains {
                $0.hasPrefix("## Injected") || $0.hasPrefix("# heading") || $0.hasPrefix("# not")
            })
        #expect(!markdown.contains("<script"))
        #expect(!markdown.contains("<b>"))
        #expect(!markdown.contains("<img"))
        #expect(!markdown.contains("\u{1B}"))
        // Every table row has exactly as many unescaped pipes as its header.
        for line in lines where line.hasPrefix("|") {
            let pipes = line.replacingOccurrences(of: "\\|", with: "").filter { $0 == "|" }.count
            #expect([3, 4, 6, 8].contains(pipes), "broken row: \(line)")
        }
        // Code fences balance, so the unclosed one in the root cause can't swallow later sections.
        #expect(lines.filter { $0.hasPrefix("```") }.count % 2 == 0)
        // The gantt title keeps only characters Mermaid reads as text.
        let title = try #require(lines.first { $0.hasPrefix("    title ") })
        #expect(!title.dropFirst(10).contains { ":;#<>`|".contains($0) })
    }

    static func fixture(_ name: String) throws -> Incident {
        switch name {
        case "minimal": try PostmortemFixtures.minimal()
        case "everything": try PostmortemFixtures.everything()
        default: try PostmortemFixtures.hostile()
        }
    }
}
