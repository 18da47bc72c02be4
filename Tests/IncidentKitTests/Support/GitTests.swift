import Foundation
import Testing

@testable import IncidentKit

/// The one type that runs git: arguments as an array, output captured, git's message on failure,
/// never a prompt or an editor, a clear error without git.
@Suite(.timeLimit(.minutes(5))) struct GitTests {
    let directory = FileManager.default.temporaryDirectory.path
    var environment: [String: String] {
        [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "HOME": directory, "GIT_CONFIG_NOSYSTEM": "1",
        ]
    }

    @Test func runsGitAndCapturesItsOutput() throws {
        let result = try Git(directory: directory, environment: environment).run(["--version"])
        #expect(result.status == 0)
        #expect(result.output.hasPrefix("git version "))
        #expect(result.lines.count == 1)
    }

    @Test func aFailureCarriesGitsOwnMessage() throws {
        let empty = directory + "/irctl-git-test-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: empty) }
        let git = Git(
            directory: empty,
            environment: environment.merging(["GIT_CEILING_DIRECTORIES": directory]) { $1 })
        #expect(try git.attempt(["rev-parse", "--show-toplevel"]).status == 128)
        let error = try #require(throws: GitError.self) {
            try git.run(["rev-parse", "--show-toplevel"])
        }
        guard case .failed(let arguments, let status, let message) = error else {
            Issue.record("expected .failed, got \(error)")
            return
        }
        #expect(arguments == ["rev-parse", "--show-toplevel"])
        #expect(status == 128)
        #expect(message.contains("not a git repository"), "\(message)")
        #expect(
            error.message.hasPrefix(
                "'git rev-parse --show-toplevel' failed (exit 128): fatal: not a git repository"))
    }

    @Test func withoutGitOnThePathTheErrorSaysSo() throws {
        let git = Git(directory: directory, environment: ["PATH": directory + "/no-such-bin"])
        let error = try #require(throws: GitError.self) { try git.run(["--version"]) }
        #expect(error == .notInstalled(path: directory + "/no-such-bin"))
        #expect(error.message.hasPrefix("git is not installed"))
    }

    @Test func feedsStandardInputWithoutDeadlock() throws {
        let git = Git(directory: directory, environment: environment)
        #expect(
            try git.run(["hash-object", "--stdin"], input: Array("hello\n".utf8)).output
                == "ce013625030ba8dba906f756967f9e9ca394464a")
        // Far more than a pipe holds, in both directions at once.
        let big = [UInt8](repeating: UInt8(ascii: "x"), count: 3 * 1024 * 1024)
        let echoed = try git.run(["-c", "core.pager=cat", "stripspace"], input: big + [10])
        #expect(echoed.stdoutBytes.count == big.count + 1)
    }

    @Test func neverOpensAnEditorOrPrompts() throws {
        let git = Git(
            directory: directory,
            environment: environment.merging(["EDITOR": "vi", "VISUAL": "vi"]) { $1 })
        #expect(try git.run(["var", "GIT_EDITOR"]).output == "true")
        #expect(git.childEnvironment["GIT_TERMINAL_PROMPT"] == "0")
        #expect(git.childEnvironment["LC_ALL"] == "C")
    }
}
