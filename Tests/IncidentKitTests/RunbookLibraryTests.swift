import Foundation
import Testing

@testable import IncidentKit

/// A fresh directory per test, removed afterwards; tests run in parallel.
final class TemporaryRunbooks {
    let path: String
    init() throws {
        path =
            FileManager.default.temporaryDirectory
            .appendingPathComponent("irctl-runbooks-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }

    @discardableResult
    func write(_ file: String, _ text: String, in sub: String? = nil) throws -> String {
        let directory = sub.map { path + "/" + $0 } ?? path
        try FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true)
        let file = directory + "/" + file
        try Data(text.utf8).write(to: URL(fileURLWithPath: file))
        return file
    }
}

@Suite struct RunbookLibraryTests {
    static func runbook(_ title: String) -> String {
        "---\ntitle: \(title)\nseverity: SEV3\n---\n## When to use\n\nx\n\n## Steps\n\n1. Do "
            + "it.\n\n## Verify\n\nOK.\n"
    }

    @Test func builtinsListWithoutProblems() {
        let (runbooks, problems) = RunbookLibrary(directories: []).list()
        #expect(problems.isEmpty)
        #expect(runbooks.map(\.name) == RunbookParserTests.shippedNames)
        #expect(runbooks.allSatisfy { $0.source == "built-in" && $0.isBuiltin })
    }

    @Test func teamRunbookOverridesBuiltin() throws {
        let team = try TemporaryRunbooks()
        let path = try team.write("disk-full.md", Self.runbook("Team disk full"))
        try team.write("cache-flush.md", Self.runbook("Flush the cache"))
        let library = RunbookLibrary(directories: [team.path])

        let found = try library.find("disk-full")
        #expect(found.title == "Team disk full")
        #expect(found.source == path)

        let (runbooks, problems) = library.list()
        #expect(problems.isEmpty)
        #expect(runbooks.filter { $0.name == "disk-full" }.map(\.source) == [path])
        #expect(
            runbooks.map(\.name) == (RunbookParserTests.shippedNames + ["cache-flush"]).sorted())
        #expect(try library.find("latency-regression").source == "built-in")
    }

    @Test func firstDirectoryWins() throws {
        let first = try TemporaryRunbooks()
        let second = try TemporaryRunbooks()
        try first.write("deploy.md", Self.runbook("First"))
        try second.write("deploy.md", Self.runbook("Second"))
        try second.write("only-second.md", Self.runbook("Only second"))
        let library = RunbookLibrary(
            directories: [first.path, second.path], includeBuiltins: false)
        #expect(try library.find("deploy").title == "First")
        #expect(try library.find("deploy.md").title == "First")
        #expect(library.list().runbooks.map(\.title) == ["First", "Only second"])
    }

    @Test func missingDirectoriesAreSkipped() throws {
        let library = RunbookLibrary(directories: ["/nonexistent/irctl-runbooks"])
        #expect(try library.find("disk-full").isBuiltin)
        #expect(library.list().problems.isEmpty)
    }

    @Test func notFoundListsAvailable() throws {
        let team = try TemporaryRunbooks()
        try team.write("mine.md", Self.runbook("Mine"))
        let error = #expect(throws: RunbookError.self) {
            try RunbookLibrary(directories: [team.path], includeBuiltins: false).find("nope")
        }
        #expect(error == .notFound("nope", available: ["mine"]))
        #expect(
            error?.message == "no runbook named 'nope'; available: mine (see 'irctl runbook list')")
    }

    @Test(arguments: [
        "../x", "../../etc/passwd", "/etc/passwd", "a/b", "Disk-Full", "", ".md", "x y",
    ])
    func pathLikeNamesAreRefused(name: String) throws {
        let team = try TemporaryRunbooks()
        try team.write("x.md", Self.runbook("Outside"), in: "sub/..")
        let error = #expect(throws: RunbookError.self) {
            try RunbookLibrary(directories: [team.path + "/sub"]).find(name)
        }
        #expect(error == .invalidName(name))
        #expect(error?.message.contains("'\(name)'") == true)
    }

    @Test func brokenTeamRunbookIsAnErrorNotAFallback() throws {
        let team = try TemporaryRunbooks()
        try team.write("disk-full.md", "no title, no steps\n")
        let library = RunbookLibrary(directories: [team.path])
        let error = #expect(throws: RunbookError.self) { try library.find("disk-full") }
        guard case .invalid(let name, let problems)? = error else {
            Issue.record("expected .invalid, got \(String(describing: error))")
            return
        }
        #expect(name == "disk-full")
        #expect(problems.first?.file == team.path + "/disk-full.md")
        #expect(
            error?.message.hasPrefix(
                "runbook 'disk-full' is invalid: \(team.path)/disk-full.md:1: ") == true)
        // Listing shows the problem and does not fall back to the built-in either.
        let (runbooks, listed) = library.list()
        #expect(!runbooks.contains { $0.name == "disk-full" })
        #expect(!listed.isEmpty)
    }

    @Test func readmeIsSkippedAndBadFileNamesReported() throws {
        let team = try TemporaryRunbooks()
        try team.write("README.md", "# About our runbooks\n")
        try team.write("Disk Full.md", Self.runbook("Bad name"))
        try team.write("notes.txt", "not a runbook")
        let (runbooks, problems) = RunbookLibrary(directories: [team.path], includeBuiltins: false)
            .list()
        #expect(runbooks.isEmpty)
        #expect(
            problems.map(\.description) == [
                "\(team.path)/Disk Full.md:1: invalid runbook name 'Disk Full'; rename the file "
                    + "using lower-case letters, digits and '-' (e.g. disk-full.md)"
            ])
    }

    @Test func lintFilesAndDirectories() throws {
        let team = try TemporaryRunbooks()
        try team.write("README.md", "not checked")
        try team.write("good.md", Self.runbook("Good"))
        let bad = try team.write(
            "bad.md",
            "---\ntitle: Bad\nseverity: urgent\n---\n## When to use\nx\n## Steps\n1. a\n## "
                + "Verify\nv\n"
        )
        let problems = RunbookLibrary.lint(paths: [
            team.path, team.path + "/good.md", "/nonexistent/x.md",
        ])
        #expect(
            problems.map(\.description) == [
                "\(bad):3: invalid severity 'urgent'; write it like SEV2 or P2",
                "/nonexistent/x.md:1: no such file or directory; check the path",
            ])
    }

    @Test func lintShippedDirectoryIsClean() {
        #expect(
            RunbookLibrary.lint(paths: [RunbookRepository.runbooks.path]).map(\.description) == [])
    }

    @Test func invalidUTF8NamesTheLine() throws {
        let team = try TemporaryRunbooks()
        let file = team.path + "/latin1.md"
        var bytes = Array("# T\n## When to use\n".utf8)
        bytes += [0x63, 0x61, 0x66, 0xE9, 0x0A]  // "café" in Latin-1
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        #expect(
            RunbookLibrary.lint(paths: [file]).map(\.description) == [
                "\(file):3: file is not valid UTF-8; save it as UTF-8 text"
            ])
        let error = #expect(throws: RunbookError.self) {
            try RunbookLibrary(directories: [team.path]).find("latin1")
        }
        #expect(error?.message.contains("not valid UTF-8") == true)
    }

    @Test func searchDirectoriesFollowTheLookupOrder() {
        let directories = RunbookLibrary.searchDirectories(
            option: "/flag/runbooks", environment: ["IRCTL_RUNBOOKS": "/env/a:/env/b/"],
            storeDirectory: "/repo/.irctl", configured: "../team-runbooks")
        #expect(
            directories == [
                "/flag/runbooks", "/env/a", "/env/b", "/repo/team-runbooks", "/repo/runbooks",
            ])

        let minimal = RunbookLibrary.searchDirectories(
            option: nil, environment: [:], storeDirectory: "/repo/.irctl", configured: nil)
        #expect(minimal == ["/repo/runbooks"])
        #expect(
            RunbookLibrary.searchDirectories(
                option: nil, environment: [:], storeDirectory: nil, configured: nil) == [])
        let absolute = RunbookLibrary.searchDirectories(
            option: "/repo/runbooks", environment: [:], storeDirectory: "/repo/.irctl",
            configured: "/abs")
        #expect(absolute == ["/repo/runbooks", "/abs"])
    }

    @Test func errorMessagesNameTheValueAndTheFix() {
        #expect(
            RunbookError.invalidName("../x").message
                == "invalid runbook name '../x'; use lower-case letters, digits and '-' (e.g. "
                + "disk-full)"
        )
        #expect(
            RunbookError.unreadable(path: "/r/x.md", reason: "permission denied").message
                == "cannot read runbook '/r/x.md': permission denied")
        #expect(RunbookError.notFound("x", available: []).message.contains("available: none"))
    }
}
