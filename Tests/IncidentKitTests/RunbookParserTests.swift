import Foundation
import Testing

@testable import IncidentKit

@Suite struct RunbookParserTests {
    static let shippedNames = [
        "database-outage", "disk-full", "error-rate-spike", "failed-deployment",
        "latency-regression",
        "leaked-credential", "tls-certificate-expiry", "traffic-spike-ddos",
    ]

    @Test(arguments: shippedNames)
    func shippedRunbookIsClean(name: String) throws {
        let shipped = try #require(try RunbookRepository.shipped().first { $0.name == name })
        let (parsed, problems) = RunbookParser.parse(
            shipped.markdown, name: name, source: "runbooks/\(name).md")
        #expect(problems.map(\.description) == [])
        let runbook = try #require(parsed)
        #expect(!runbook.title.isEmpty)
        #expect(runbook.whenToUse?.isEmpty == false)
        #expect(runbook.severity.map(RunbookFormat.isSeverity) == true)
        #expect(runbook.steps.count >= 5)
        #expect(runbook.steps.map(\.number) == Array(1...runbook.steps.count))
        #expect(runbook.steps.allSatisfy { !$0.text.isEmpty })
        #expect(runbook.steps.contains { $0.command != nil })
        // Every command is flush left once the list indentation is removed.
        #expect(
            runbook.steps.compactMap(\.command).allSatisfy { !$0.hasPrefix(" ") && !$0.isEmpty })
        #expect(!runbook.tags.isEmpty)
        #expect(runbook.metadata["escalation"] != nil)
        for section in ["## Verify", "## Escalate", "## Communicate"] {
            #expect(runbook.markdown.contains("\n\(section)\n"), "\(name) lacks \(section)")
        }
    }

    @Test func everyShippedRunbookIsTested() throws {
        #expect(try RunbookRepository.shipped().map(\.name) == Self.shippedNames)
    }

    @Test func parsesFieldsStepsAndCommands() throws {
        let text = """
            ---
            title: "Disk full"
            severity: sev2
            tags: [disk, storage]
            services: api, db
            owner: platform
            # a comment
            ---

            # Ignored heading title

            ## When to use

            Disk alert.

            ## Steps

            Read this first.

            1. See what is full,
               on **every** mount.

               ```sh
               df -h \\
                 --total
               ```

               More notes, not part of the text.

            2. Record it.
               - a nested list item, not part of the text

            10x. not a step

            ## Verify

            Works.
            """
        let (parsed, problems) = RunbookParser.parse(
            text, name: "disk-full", source: "/tmp/disk-full.md")
        #expect(problems.map(\.description) == [])
        let runbook = try #require(parsed)
        #expect(runbook.title == "Disk full")
        #expect(runbook.severity == "sev2")
        #expect(runbook.tags == ["disk", "storage"])
        #expect(runbook.services == ["api", "db"])
        #expect(runbook.metadata == ["services": "api, db", "owner": "platform"])
        #expect(runbook.whenToUse == "Disk alert.")
        #expect(runbook.source == "/tmp/disk-full.md")
        #expect(runbook.markdown == text)
        #expect(
            runbook.steps == [
                RunbookStep(
                    number: 1, text: "See what is full, on **every** mount.",
                    command: "df -h \\\n  --total", line: 20),
                RunbookStep(number: 2, text: "Record it.", command: nil, line: 30),
            ])
    }

    @Test func headingGivesTitleWithoutFrontMatter() throws {
        let text =
            "# Restart the worker ##\n\n## When to use\n\nStuck.\n\n## steps\n\n1. Restart.\n\n## "
            + "VERIFY\n\nOK.\n"
        let (parsed, problems) = RunbookParser.parse(text, name: "worker", source: "worker.md")
        #expect(problems.isEmpty)
        #expect(parsed?.title == "Restart the worker")
        #expect(parsed?.severity == nil)
        #expect(parsed?.steps.count == 1)
    }

    static let tail = "## When to use\n\nAlert.\n\n## Steps\n\n1. Do it.\n\n## Verify\n\nOK.\n"

    /// One broken runbook per lint rule: the exact line and the start of the message.
    static let broken: [(String, String, Int, String)] = [
        ("missing title", tail, 1, "missing title; add 'title: <title>'"),
        (
            "unknown key", "---\ntitle: T\nseverty: SEV2\n---\n" + tail, 3,
            "unknown front matter key 'severty'; known keys:"
        ),
        (
            "duplicate key", "---\ntitle: T\ntitle: U\n---\n" + tail, 3,
            "duplicate front matter key 'title'"
        ),
        (
            "not key: value", "---\ntitle: T\njust words\n---\n" + tail, 3,
            "expected 'key: value' in front matter"
        ),
        (
            "unterminated front matter", "---\ntitle: T\n" + tail, 1,
            "front matter opened with '---' is never closed"
        ),
        ("no steps section", "# T\n## When to use\nx\n## Verify\nv\n", 1, "no '## Steps' section"),
        (
            "no steps", "# T\n## When to use\nx\n## Steps\nJust do it.\n## Verify\nv\n", 4,
            "'## Steps' has no steps"
        ),
        (
            "misnumbered", "# T\n## When to use\nx\n## Steps\n1. a\n3. b\n## Verify\nv\n", 6,
            "step numbered 3, expected 2"
        ),
        (
            "starts at 0", "# T\n## When to use\nx\n## Steps\n0. a\n## Verify\nv\n", 5,
            "step numbered 0, expected 1"
        ),
        (
            "empty step",
            "# T\n## When to use\nx\n## Steps\n1. a\n2.\n   ```\n   ls\n   ```\n## Verify\nv\n", 6,
            "step 2 has no text"
        ),
        (
            "unterminated code",
            "# T\n## When to use\nx\n## Verify\nv\n## Steps\n1. a\n   ```sh\n   ls\n", 8,
            "code block opened with ``` is never closed"
        ),
        (
            "two commands",
            "# T\n## When to use\nx\n## Steps\n1. a\n   ```\n   ls\n   ```\n   ~~~\n   pwd\n   "
                + "~~~\n## Verify\nv\n",
            9, "step 1 has more than one code block"
        ),
        (
            "unindented command",
            "# T\n## When to use\nx\n## Steps\n1. a\n\n```\nls\n```\n## Verify\nv\n", 7,
            "code block is not indented under step 1"
        ),
        (
            "bad severity", "---\ntitle: T\nseverity: high\n---\n" + tail, 3,
            "invalid severity 'high'; write it like SEV2 or P2"
        ),
        (
            "missing verify", "# T\n## When to use\nx\n## Steps\n1. a\n", 1,
            "missing '## Verify' section"
        ),
        (
            "missing when to use", "# T\n## Steps\n1. a\n## Verify\nv\n", 1,
            "missing '## When to use' section"
        ),
        (
            "duplicate section", "# T\n" + tail + "## Verify\nagain\n", 13,
            "duplicate '## Verify' section"
        ),
    ]

    @Test(arguments: broken)
    func lintRule(label: String, text: String, line: Int, message: String) {
        let (_, problems) = RunbookParser.parse(text, name: "case", source: "case.md")
        #expect(problems.count == 1, "\(label): \(problems.map(\.description))")
        #expect(
            problems.first?.description.hasPrefix("case.md:\(line): \(message)") == true,
            "\(label): \(problems.map(\.description))")
    }

    @Test(arguments: ["missing title", "unterminated front matter", "no steps section", "no steps"])
    func unusableRunbooksAreNil(label: String) throws {
        let text = try #require(Self.broken.first { $0.0 == label }?.1)
        #expect(RunbookParser.parse(text, name: "case", source: "case.md").runbook == nil)
    }

    @Test func usableDespiteProblems() {
        let text = "---\ntitle: T\nseverity: high\n---\n# T\n## Steps\n1. a\n3. b\n"
        let (parsed, problems) = RunbookParser.parse(text, name: "case", source: "case.md")
        #expect(parsed?.steps.map(\.number) == [1, 3])
        #expect(parsed?.severity == nil)
        #expect(problems.count == 4)  // severity, numbering, two missing sections
    }

    @Test(arguments: ["../x", "Disk-Full", "disk_full", "-x", "a/b", ""])
    func invalidNameIsAProblem(name: String) {
        let (parsed, problems) = RunbookParser.parse(
            "# T\n" + Self.tail, name: name, source: "x.md")
        #expect(parsed == nil)
        #expect(problems.map(\.message).contains { $0.hasPrefix("invalid runbook name '\(name)'") })
    }

    @Test func crlfAndBomAreAccepted() throws {
        let text = "\u{FEFF}# T\r\n" + Self.tail.replacingOccurrences(of: "\n", with: "\r\n")
        let (parsed, problems) = RunbookParser.parse(text, name: "t", source: "t.md")
        #expect(problems.isEmpty)
        #expect(try #require(parsed).steps.first?.text == "Do it.")
    }

    @Test(arguments: [
        ("SEV1", true), ("sev12", true), ("P0", true), ("p3", true), ("SEV", false),
        ("high", false), ("SEV-1", false), ("P1a", false), ("", false),
    ])
    func severityForm(value: String, valid: Bool) {
        #expect(RunbookFormat.isSeverity(value) == valid)
    }
}
