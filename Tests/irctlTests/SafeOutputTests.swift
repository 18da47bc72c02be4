import Foundation
import Glibc
import Testing

/// Stored text can't drive the terminal, errors never echo a secret, ids can't name a path, links
/// are refused, and a store's own redaction rules apply end to end (issue 5, items 1–3).
@Suite struct SafeOutputTests {
    static let hostile =
        "Checkout \u{1B}]0;pwned\u{07}\u{1B}[2J bell\u{07} del\u{7F} csi\u{9B}31m "
        + "bidi\u{202E}txt.exe\u{2066}"

    /// No raw ESC, BEL, DEL, C1 or bidi control may reach a terminal.
    static func assertClean(
        _ text: String, _ what: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let bad = text.unicodeScalars.filter { s in
            let v = s.value
            return (v < 0x20 && v != 0x0A && v != 0x09) || (0x7F...0x9F).contains(v)
                || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
        }
        #expect(
            bad.isEmpty,
            "\(what) printed raw control characters: \(bad.map { String($0.value, radix: 16) })",
            sourceLocation: sourceLocation)
    }

    @Test func storedTextIsEscapedOnTheTerminalAndExactInJSON() throws {
        let box = try Sandbox()
        try box.ok([
            "declare", Self.hostile, "--service", "svc\u{1B}[31m", "--commander", "eve\u{9B}",
        ])
        try box.ok(["log", "1", "note \u{1B}[2J with\nnewline"])
        for arguments in [
            ["list"], ["list", "--all"], ["show", "1"], ["verify"], ["log", "1", "x"],
            ["contain", "1"],
        ] {
            let result = try box.run(arguments)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            Self.assertClean(result.stdout, "irctl \(arguments.joined(separator: " ")) stdout")
            Self.assertClean(result.stderr, "irctl \(arguments.joined(separator: " ")) stderr")
        }
        let show = try box.ok(["show", "1"])
        #expect(show.contains(#"Checkout \x1B]0;pwned\x07\x1B[2J"#))
        #expect(show.contains(#"bidi\u{202E}txt.exe\u{2066}"#))
        let json = try #require(
            try Sandbox.json(try box.ok(["show", "1", "--json"])) as? [String: Any])
        #expect(json["title"] as? String == Self.hostile)
    }

    @Test(arguments: [
        "INC-1\u{1B}[2J", "1\nirctl: error: fake", "../x", "/etc/passwd", "a/b", "", "\n",
        String(repeating: "9", count: 300),
        "INC-0", "INC--1", "1.json", "INC-1/../../etc", "\u{202E}1",
    ])
    func badIdsAreUsageErrorsThatTouchNothing(id: String) throws {
        let box = try Sandbox()
        try box.ok(["declare", "First"])
        let before = try box.incidentDirectoryNames()
        let file = try box.bytes(box.incidentFile(1))
        for command in [
            ["show", id], ["log", id, "note"], ["contain", id], ["verify", id],
            ["close", id, "--force"],
        ] {
            let result = try box.run(command)
            #expect(result.status == 2, "\(command): \(result.stderr)")
            #expect(
                result.stderr.hasPrefix("irctl: error: invalid incident id '"),
                "\(command): \(result.stderr)")
            #expect(
                result.stderr.split(separator: "\n").count <= 3, "one error line, then the usage")
            #expect(result.stderr.count < 400)
            Self.assertClean(result.stderr, "\(command)")
        }
        #expect(try box.incidentDirectoryNames() == before)
        #expect(try box.bytes(box.incidentFile(1)) == file)
        #expect(
            !FileManager.default.fileExists(atPath: "/x")
                && !FileManager.default.fileExists(atPath: box.root + "/x"))
    }

    @Test func errorsNeverEchoASecret() throws {
        let box = try Sandbox()
        try box.ok(["declare", "First"])
        // Built at run time: no real-looking token is committed.
        let token = "ghp_" + String(repeating: "Ab1", count: 12)
        let aws = "AKIA" + String(repeating: "Q7", count: 8)
        let attempts: [[String]] = [
            ["declare", "x", "-s", token], ["log", "1", "--kind", token],
            ["list", "--phase", "password=\(token)"],
            ["show", token], ["log", "1", "--at", aws], [token], ["list", "--\(token)"],
            ["assign", "1", "--role", aws],
            ["declare", "x", "--started", "token=\(aws)"],
        ]
        for arguments in attempts {
            let result = try box.run(arguments)
            #expect(result.status != 0, "\(arguments)")
            #expect(
                !result.stderr.contains(token) && !result.stderr.contains(aws),
                "\(arguments) echoed a secret: \(result.stderr)")
            #expect(!result.stdout.contains(token) && !result.stdout.contains(aws))
        }
        // And nothing of it was stored.
        try box.ok(["log", "1", "using \(token) and \(aws)"])
        let file = String(decoding: try box.bytes(box.incidentFile(1)), as: UTF8.self)
        #expect(!file.contains(token) && !file.contains(aws))
        #expect(
            file.contains("[REDACTED:github-token]") && file.contains("[REDACTED:aws-access-key]"))
    }

    @Test func aStoresOwnRedactionRulesApplyEverywhere() throws {
        let box = try Sandbox()
        try FileManager.default.createDirectory(
            atPath: box.store, withIntermediateDirectories: true)
        let config =
            #"{"schemaVersion": 1, "redactionRules": [{"kind": "acme-key", "pattern": "ACME-[0-9]"#
            + #"{6}", "keywords": ["acme-"]}]}"#
        try config.write(toFile: box.store + "/config.json", atomically: true, encoding: .utf8)
        let declared = try box.ok([
            "declare", "Leak of ACME-123456", "--summary", "key ACME-654321 in logs", "--json",
        ])
        try box.ok(["log", "1", "rotated ACME-111111"])
        try box.ok(["log", "1", "-"], stdin: "stdin ACME-222222\n")
        try box.ok(["contain", "1", "-m", "revoked ACME-333333"])
        let file = String(decoding: try box.bytes(box.incidentFile(1)), as: UTF8.self)
        for n in ["123456", "654321", "111111", "222222", "333333"] {
            #expect(!file.contains("ACME-" + n), "ACME-\(n) was stored")
            #expect(!declared.contains("ACME-" + n) || n != "123456")
        }
        #expect(file.components(separatedBy: "[REDACTED:acme-key]").count - 1 >= 5)
        // The built-in rules still apply alongside the store's own.
        try box.ok(["log", "1", "password=hunter2"])
        #expect(
            !String(decoding: try box.bytes(box.incidentFile(1)), as: UTF8.self).contains("hunter2")
        )

        // A bad pattern is an error naming the rule, and nothing is written.
        try #"{"redactionRules": [{"kind": "broken", "pattern": "([a-"}]}"#.write(
            toFile: box.store + "/config.json", atomically: true, encoding: .utf8)
        let before = try box.bytes(box.incidentFile(1))
        let result = try box.run(["log", "1", "more"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("redaction rule 'broken'"))
        #expect(try box.bytes(box.incidentFile(1)) == before)
    }

    @Test func anIncidentFileThatIsASymlinkIsRefusedForReadingAndWriting() throws {
        let box = try Sandbox()
        try box.ok(["declare", "First"])
        try box.ok(["declare", "Second"])
        let outside = box.root + "/outside.json"
        let file = box.incidentFile(2)
        try FileManager.default.moveItem(atPath: file, toPath: outside)
        try FileManager.default.createSymbolicLink(atPath: file, withDestinationPath: outside)
        let target = try box.bytes(outside)
        for arguments in [
            ["show", "2"], ["show", "2", "--json"], ["log", "2", "note"], ["contain", "2"],
            ["verify", "2"],
        ] {
            let result = try box.run(arguments)
            #expect(result.status == 1, "\(arguments)")
            #expect(result.stderr.contains("is a symbolic link"), "\(arguments): \(result.stderr)")
        }
        #expect(try box.bytes(outside) == target)
        var st = stat()
        #expect(
            lstat(file, &st) == 0 && (st.st_mode & S_IFMT) == S_IFLNK,
            "the link itself was replaced")
        let list = try box.run(["list"])
        #expect(list.status == 0)
        #expect(list.stdout.contains("INC-1"))
        #expect(list.stderr.contains("\(file) is a symbolic link"))
    }
}

/// Store files are private whatever the umask; a looser store gets a warning saying how to fix it.
@Suite struct PrivateFilesTests {
    static func modes(under root: String) -> [(path: String, mode: mode_t, directory: Bool)] {
        var result: [(String, mode_t, Bool)] = []
        guard let walker = FileManager.default.enumerator(atPath: root) else { return [] }
        var paths = [root]
        while let next = walker.nextObject() as? String { paths.append(root + "/" + next) }
        for path in paths {
            var st = stat()
            guard lstat(path, &st) == 0 else { continue }
            result.append((path, st.st_mode & 0o777, (st.st_mode & S_IFMT) == S_IFDIR))
        }
        return result
    }

    @Test func everythingIrctlCreatesIsPrivateEvenWithUmaskZero() throws {
        let box = try Sandbox()
        let script = """
            umask 000
            "$IRCTL" declare "First" -s 1 >/dev/null &&
            "$IRCTL" log 1 "a note" >/dev/null &&
            "$IRCTL" contain 1 >/dev/null &&
            "$IRCTL" declare "Second" >/dev/null &&
            "$IRCTL" reindex >/dev/null &&
            mkdir -p "$HOME/repo" && cd "$HOME/repo" && IRCTL_DIR= "$IRCTL" init >/dev/null &&
            IRCTL_DIR= "$IRCTL" declare "In the repository" >/dev/null
            """
        let result = try box.sh(script)
        #expect(result.status == 0, "\(result.stderr)")
        let entries =
            Self.modes(under: box.store) + Self.modes(under: box.root + "/home/repo/.irctl")
        #expect(
            entries.filter {
                $0.path == Sandbox.incidentFile(1, in: box.root + "/home/repo/.irctl")
            }.count == 1)
        #expect(entries.count >= 12)
        for entry in entries {
            #expect(
                entry.mode == (entry.directory ? 0o700 : 0o600),
                "\(entry.path) is \(String(entry.mode, radix: 8))")
        }
        #expect(!result.stderr.contains("warning"))
    }

    @Test func aLooseStoreGetsAWarningSayingHowToFixIt() throws {
        let box = try Sandbox()
        try box.ok(["declare", "First"])
        #expect(try box.run(["list"]).stderr.isEmpty)
        chmod(box.store + "/incidents", 0o755)
        let result = try box.run(["list"])
        #expect(result.status == 0)
        #expect(
            result.stderr.contains(
                "irctl: warning: the store is readable or writable by other users"))
        #expect(result.stderr.contains("\(box.store)/incidents is mode 0755"))
        #expect(
            result.stderr.contains("make it private with: chmod go-rwx \(box.store)/incidents\n"))
        chmod(box.store, 0o770)
        let both = try box.run(["show", "1"]).stderr
        #expect(both.contains("\(box.store) is mode 0770"))
        // The advice is exactly the loose directories, never a recursive chmod, and it works.
        let advice = try #require(
            both.components(separatedBy: "make it private with: ").last?.split(separator: "\n")
                .first)
        #expect(advice == "chmod go-rwx \(box.store) \(box.store)/incidents")
        #expect(try box.sh(String(advice)).status == 0)
        #expect(try box.run(["list"]).stderr.isEmpty)
        #expect(try box.run(["help"]).stderr.isEmpty)
    }
}
