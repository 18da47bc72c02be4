import Foundation
import Glibc
import TestSupport
import Testing

/// What an attacker, a careless path or a closed pipe could still break, through the built binary:
/// where the store is and whose it is, what is written where, what reaches stderr.
@Suite struct TrustEndToEndTests {
    /// A GitHub-token shape, built at run time so no real-looking secret sits in the source.
    static let token = "ghp_" + String(repeating: "A1b2", count: 9)

    // MARK: Where the store is

    @Test(arguments: [["--dir", ""], ["--dir="]])
    func anEmptyDirIsAUsageError(_ option: [String]) throws {
        let box = try Sandbox()
        let result = try box.run(option + ["declare", "Somewhere"])
        #expect(result.status == 2)
        #expect(
            result.stderr.hasPrefix("irctl: error: --dir is empty; give the store's directory"),
            "\(result.stderr)")
        #expect(
            !FileManager.default.fileExists(atPath: box.root + "/home/.local/share/irctl"),
            "the per-user store was used")
    }

    @Test(arguments: ["/", "/.", "/tmp/.."])
    func theRootDirectoryIsNotAStore(_ dir: String) throws {
        let box = try Sandbox()
        let result = try box.run(["--dir", dir, "list"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("the root directory / can't be a store"), "\(result.stderr)")
        #expect(!result.stderr.contains("chmod"))
    }

    /// Another owner is simulated with chown, which needs root (as the tests run in CI).
    @Test(.enabled(if: geteuid() == 0)) func aStoreFoundAboveThatBelongsToAnotherUserIsRefused()
        throws
    {
        let box = try Sandbox()
        let planted = box.root + "/shared/.irctl"
        let work = box.root + "/shared/team/work"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        try box.ok(["--dir", planted, "init"])
        // World-writable and someone else's, as a planted store would be (root refuses it too).
        #expect(try box.sh("chmod 0777 '\(planted)' && chown -R 65534 '\(planted)'").status == 0)
        let found = ["IRCTL_DIR": ""]
        for arguments in [["declare", "Root's outage"], ["list"]] {
            let result = try box.run(arguments, env: found, cwd: work)
            #expect(result.status == 1, "\(arguments)")
            #expect(
                result.stderr.contains(
                    "the store \(planted), found above the working directory, belongs to another "
                        + "user (uid 65534"
                ),
                "\(result.stderr)")
            #expect(result.stderr.contains("allow it with IRCTL_SAFE_DIRECTORIES=\(planted)"))
        }
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: planted + "/incidents").isEmpty,
            "nothing was written there")
        #expect(!FileManager.default.fileExists(atPath: planted + "/cache"))

        // Allowed explicitly: by the variable, or by naming it.
        let allowed = try box.run(
            ["declare", "Trusted"],
            env: found.merging(["IRCTL_SAFE_DIRECTORIES": "/elsewhere:" + planted]) { $1 },
            cwd: work)
        #expect(allowed.status == 0, "\(allowed.stderr)")
        #expect(
            try box.run(["list"], env: ["IRCTL_DIR": "", "IRCTL_SAFE_DIRECTORIES": "*"], cwd: work)
                .stdout.contains("Trusted"))
        #expect(try box.run(["--dir", planted, "show", "1"], cwd: work).status == 0)
    }

    @Test func aSymlinkedStoreRootWorksForEveryCommandAndASymlinkedIncidentsDirectoryForNone()
        throws
    {
        let box = try Sandbox()
        // The store reached through a link: resolved once, so creating and changing both work.
        let real = box.root + "/real-store"
        let link = box.root + "/store-link"
        try FileManager.default.createDirectory(atPath: real, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: real)
        let env = ["IRCTL_DIR": link]
        #expect(try box.run(["declare", "Through a link"], env: env).status == 0)
        #expect(try box.run(["log", "1", "still through the link"], env: env).status == 0)
        #expect(try box.run(["show", "1"], env: env).stdout.contains("still through the link"))
        #expect(
            try box.run(["show", "1"], env: ["IRCTL_DIR": real]).stdout.contains(
                "still through the link"))

        // incidents/ as a link: refused alike by a command that creates and one that changes.
        let other = box.root + "/other-store"
        let elsewhere = box.root + "/elsewhere"
        try box.ok(["--dir", other, "declare", "Before the link"])
        try FileManager.default.moveItem(atPath: other + "/incidents", toPath: elsewhere)
        try FileManager.default.createSymbolicLink(
            atPath: other + "/incidents", withDestinationPath: elsewhere)
        for arguments in [["declare", "New"], ["log", "1", "note"], ["show", "1"], ["list"]] {
            let result = try box.run(["--dir", other] + arguments)
            #expect(result.status == 1, "\(arguments): \(result.stderr)")
            #expect(
                result.stderr.contains(
                    "\(other)/incidents is a symbolic link; irctl refuses to follow links inside "
                        + "the store"
                ))
        }
    }

    // MARK: What is written where

    @Test func postmortemNeverWritesInsideTheStore() throws {
        let box = try Sandbox()
        try box.ok(["--dir", box.store, "init"])
        try box.ok(["declare", "Overwrite me"])
        try FileManager.default.createSymbolicLink(
            atPath: box.root + "/config-link.md", withDestinationPath: box.store + "/config.json")
        try FileManager.default.createSymbolicLink(
            atPath: box.root + "/store-link", withDestinationPath: box.store)
        let config = try box.bytes(box.store + "/config.json")
        let shown = try box.ok(["show", "1", "--json"])
        let targets = [
            box.store + "/config.json", box.store + "/incidents/new.md", box.store,
            box.store + "/cache/index",
            box.root + "/home/../store/config.json", "store/config.json", "./store/../store/lock",
            "config-link.md", "store-link/config.json", "store-link/postmortem.md",
        ]
        for target in targets {
            let result = try box.run(["postmortem", "1", "-o", target])
            #expect(result.status == 1, "\(target) was accepted")
            #expect(result.stderr.contains("is inside the store"), "\(target): \(result.stderr)")
        }
        #expect(try box.bytes(box.store + "/config.json") == config)
        #expect(try box.ok(["show", "1", "--json"]) == shown)
        #expect(try box.run(["verify"]).status == 0)
        #expect(!FileManager.default.fileExists(atPath: box.store + "/postmortem.md"))
        // Beside the store is fine.
        #expect(try box.run(["postmortem", "1", "-o", "store-notes.md"]).status == 0)
        #expect(FileManager.default.fileExists(atPath: box.root + "/store-notes.md"))
    }

    // MARK: Input and output

    @Test func anArgumentThatIsNotUTF8IsRefusedNotStoredAsReplacementCharacters() throws {
        let box = try Sandbox()
        try box.ok(["declare", "Bytes"])
        let before = try box.ok(["show", "1", "--json"])
        let result = try box.sh(#""$IRCTL" log 1 "$(printf 'caf\351 au lait')""#)
        #expect(result.status == 2)
        #expect(
            result.stderr
                == "irctl: error: argument 3 is not valid UTF-8 text; convert it first (for "
                + "example with iconv -t UTF-8)\n"
        )
        #expect(try box.ok(["show", "1", "--json"]) == before)
    }

    @Test func showJSONEscapesC1AndBidiControlsAndStaysExact() throws {
        let box = try Sandbox()
        let title = "pay\u{9B}2Jment \u{202E}gnp.exe\u{202C} del\u{7F}"
        try box.ok(["declare", title])
        let json = try box.ok(["show", "1", "--json"])
        for scalar in ["\u{9B}", "\u{202E}", "\u{202C}", "\u{7F}"] {
            #expect(!json.contains(scalar))
        }
        #expect(json.contains(#"pay\u009B2Jment \u202Egnp.exe\u202C del\u007F"#))
        let decoded = try #require(try Sandbox.json(json) as? [String: Any])
        #expect(decoded["title"] as? String == title)
    }

    @Test func aReaderThatStopsReadingIsNotAnError() throws {
        let box = try Sandbox()
        try box.ok(["declare", "Piped"])
        // stdout is a pipe whose reader is already gone: the write fails with EPIPE.
        let script = """
            import os, subprocess, sys
            r, w = os.pipe()
            os.close(r)
            p = subprocess.run([os.environ["IRCTL"], "show", "1"], stdout=w, stderr=subprocess.PIPE)
            sys.stdout.write("%d|%s" % (p.returncode, p.stderr.decode()))
            """
        let result = try box.sh("python3 -c '\(script)'")
        #expect(result.stdout == "0|", "\(result.stdout) \(result.stderr)")
        // A full disk is still an error.
        #expect(try box.sh("\"$IRCTL\" show 1 > /dev/full").status == 1)
    }

    // MARK: Secrets on stderr and in runbooks

    @Test func execDoesNotEchoATokenInTheProgramPath() throws {
        let box = try Sandbox()
        try box.ok(["declare", "Deploy"])
        let result = try box.run(["exec", "1", "--", "/opt/\(Self.token)/deploy"])
        #expect(result.status == 127)
        #expect(
            result.stderr.contains("cannot run '/opt/[REDACTED:github-token]/deploy'"),
            "\(result.stderr)")
        #expect(!result.stderr.contains(Self.token))
        #expect(!(try box.ok(["show", "1", "--json"])).contains(Self.token))
    }

    static func runbook(_ command: String) -> String {
        "---\ntitle: Deploy\nseverity: SEV3\n---\n\n## When to use\n\nAlways.\n\n## Steps\n\n1. "
            + "Deploy.\n\n   ```sh\n   \(command)\n   ```\n\n## Verify\n\nIt works.\n"
    }

    @Test func stepRunShowsTheFilledInCommandRedacted() throws {
        let box = try Sandbox()
        let dir = box.root + "/runbooks"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try Data(Self.runbook("test -n <key> && echo deployed").utf8).write(
            to: URL(fileURLWithPath: dir + "/deploy.md"))
        try box.ok(["declare", "Deploy", "--runbook", "deploy", "--runbooks", dir])
        let result = try box.run(["step", "1", "1", "--run", "--yes", "--set", "key=\(Self.token)"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "deployed\n")
        #expect(
            result.stderr.contains("  $ test -n [REDACTED:github-token] && echo deployed"),
            "\(result.stderr)")
        #expect(!result.stderr.contains(Self.token))
    }

    @Test(arguments: [[], ["--force"]])
    func aRunbookCommandThatWasRedactedIsNeverRun(_ extra: [String]) throws {
        let box = try Sandbox()
        let dir = box.root + "/runbooks"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try Data(Self.runbook("touch ran-it; GITHUB_TOKEN=\(Self.token) ./deploy").utf8).write(
            to: URL(fileURLWithPath: dir + "/deploy.md"))
        try box.ok(["declare", "Deploy", "--runbook", "deploy", "--runbooks", dir])
        #expect(
            try box.ok(["show", "1", "--json"]).contains(
                "GITHUB_TOKEN=[REDACTED:github-token] ./deploy"))
        let result = try box.run(["step", "1", "1", "--run", "--yes"] + extra)
        #expect(result.status == 1)
        #expect(
            result.stderr.contains(
                "step 1 of INC-1 can't be run: its command held a secret (github-token) that was "
                    + "redacted"
            ), "\(result.stderr)")
        #expect(
            !FileManager.default.fileExists(atPath: box.root + "/ran-it"),
            "the redacted command ran")
        #expect(!(try box.ok(["show", "1", "--json"])).contains("\"kind\" : \"command\""))
    }

    // MARK: Secrets in what is stored

    /// `exec -- cat key.pem` of a 4096-bit key: 51 lines, one more than the tail keeps.
    @Test func execOfAKeyFileStoresNoLineOfTheKey() throws {
        let box = try Sandbox()
        try box.ok(["declare", "Key check"])
        var random = SplitMix64(seed: 4096)
        let body =
            (0..<49).map { _ in
                Data((0..<48).map { _ in UInt8.random(in: 0...255, using: &random) })
                    .base64EncodedString()
            }
            + ["q83vYzA1bC=="]
        let key =
            "-----BEGIN RSA PRIVATE KEY-----\n" + body.joined(separator: "\n")
            + "\n-----END RSA PRIVATE KEY-----\n"
        try Data(key.utf8).write(to: URL(fileURLWithPath: box.root + "/key.pem"))
        let result = try box.run(["exec", "1", "--", "cat", "key.pem"])
        #expect(result.status == 0)
        #expect(result.stdout == key, "the command's own output is passed through untouched")
        let stored = try box.ok(["show", "1", "--json"])
        #expect(stored.contains("[REDACTED:private-key]"))
        for line in body { #expect(!stored.contains(line), "a line of the key was stored") }
    }

    @Test func newSecretShapesAreRedactedInEveryChannel() throws {
        let box = try Sandbox()
        let password = "Zq" + "8vNe2r"
        try box.ok(["declare", "PGPASSWORD=\(password) psql fails"])
        try box.ok(["log", "1", "-"], stdin: "values.yaml has rootPassword: \(password)\n")
        try box.ok(["log", "1", "ran mysql -uroot -p\(password) shop"])
        _ = try box.run(["exec", "1", "--", "echo", "redis://:\(password)@cache:6379"])
        let badID = try box.run(["show", "sshpass -p \(password)"])
        #expect(badID.status == 2)
        #expect(!badID.stderr.contains(password))
        let stored = try box.ok(["show", "1", "--json"])
        #expect(!stored.contains(password))
        #expect(stored.components(separatedBy: "[REDACTED:").count - 1 >= 4)
    }

    /// The config rule `(a+)+$` made a 120-character note take a minute, and error messages too.
    @Test(.timeLimit(.minutes(5)))
    func aStoreRuleThatBacktracksWithoutBoundIsAConfigError() throws {
        let box = try Sandbox()
        try box.ok(["declare", "Slow rules"])
        let before = try box.ok(["show", "1", "--json"])
        try Data(#"{"redactionRules": [{"kind": "acme", "pattern": "(a+)+$"}]}"#.utf8)
            .write(to: URL(fileURLWithPath: box.store + "/config.json"))
        let note = String(repeating: "a", count: 120) + "!"
        let logged = try box.run(["log", "1", note])
        #expect(logged.status == 1)
        #expect(
            logged.stderr.contains("redaction rule 'acme' in config.json is too slow"),
            "\(logged.stderr)")
        // An error message quoting the text is redacted with the rules that can be used, at once.
        let quoted = try box.run(["show", note])
        #expect(quoted.status == 2)
        #expect(quoted.stderr.hasPrefix("irctl: error: invalid incident id 'aaaa"))
        #expect(try box.ok(["show", "1", "--json"]) == before)
    }
}
