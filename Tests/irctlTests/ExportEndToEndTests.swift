import Foundation
import Testing

/// `--csv` on `list` and `actions`, `completion`, and the wide outputs (`list --json`, the table).
@Suite struct ExportEndToEndTests {
    static let clock = ["IRCTL_NOW": "2026-11-21T15:00:00Z"]

    @Test func listAndActionsAsCSV() throws {
        let box = try Sandbox()
        try box.ok(
            [
                "declare", "=HYPERLINK(\"http://evil\",\"x\"), with a comma", "-s", "1",
                "--service", "checkout,payments",
                "--commander", "alice", "--detected", "14:00",
            ], env: Self.clock)
        try box.ok(["detect", "p99 \"slow\" search"], env: Self.clock)
        try box.ok(
            ["action", "add", "1", "+alert on pool", "--owner", "@carol", "--due", "2026-12-01"],
            env: Self.clock)
        let list = try box.ok(["list", "--csv"], env: Self.clock)
        let lines = list.components(separatedBy: "\r\n")
        #expect(
            lines[0]
                == "id,title,severity,phase,open,commander,comms,tech,scribe,services,tags,"
                + "startedAt,detectedAt,declaredAt,containedAt,recoveredAt,closedAt,entryCount,"
                + "openActionItems,uid,drill,closedAs,duplicateOf"
        )
        #expect(
            lines[1].hasPrefix(
                "INC-1,\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\"), with a comma\",SEV1,declare,"
                    + "true,alice,,,,checkout;payments,,,2026-11-21T14:00:00Z,2026-11-21T15:00:00Z,"
            ))
        #expect(lines[2].hasPrefix("INC-2,\"p99 \"\"slow\"\" search\",SEV3,detect,true,"))
        #expect(lines.count == 4 && lines[3].isEmpty, "CRLF after every record, the last one too")

        let actions = try box.ok(["actions", "--csv"], env: Self.clock).components(
            separatedBy: "\r\n")
        #expect(
            actions[0]
                == "incident,incidentTitle,id,text,owner,due,type,priority,status,overdue,"
                + "createdAt,doneAt,note"
        )
        #expect(
            actions[1].hasPrefix(
                "INC-1,\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\"), with a comma\",A1,'+alert on "
                    + "pool,'@carol,2026-12-01T12:00:00Z,,,open,false,"
            ))

        #expect(try box.run(["list", "--csv", "--json"], env: Self.clock).status == 2)
        #expect(try box.run(["actions", "--csv", "--json"], env: Self.clock).status == 2)
    }

    @Test func completionScripts() throws {
        let box = try Sandbox()
        try box.ok(["declare", "Checkout returns 5xx", "-s", "2"], env: Self.clock)
        try box.ok(["detect", "p99 latency"], env: Self.clock)
        #expect(try box.ok(["completion", "--values", "ids"]) == "INC-1\nINC-2\n")
        #expect(try box.ok(["completion", "--values", "severities"]) == "SEV1\nSEV2\nSEV3\nSEV4\n")
        #expect(
            try box.ok(["completion", "--values", "phases"]).hasPrefix("detect\ndeclare\ncontain\n")
        )
        #expect(try box.ok(["completion", "--values", "runbooks"]).contains("failed-deployment\n"))
        #expect(try box.run(["completion", "tcsh"]).status == 2)
        #expect(try box.run(["completion", "--values", "colours"]).status == 2)

        // bash: the script parses, and completing words gives what a user expects.
        let bash = try box.ok(["completion", "bash"])
        let script = box.root + "/irctl.bash"
        try bash.write(toFile: script, atomically: true, encoding: .utf8)
        let bin = URL(fileURLWithPath: Sandbox.binary).deletingLastPathComponent().path
        func complete(_ words: [String]) throws -> [String] {
            let quoted = words.map { "'" + $0 + "'" }.joined(separator: " ")
            let probe =
                "export PATH='\(bin)':\"$PATH\" IRCTL_DIR='\(box.store)'; source '\(script)'; "
                + "COMP_WORDS=(\(quoted)); COMP_CWORD=\(words.count - 1); _irctl; printf "
                + "'%s\\n' \"${COMPREPLY[@]}\""
            let out = box.root + "/probe.out"
            let status = try Sandbox.run(["bash", "-c", probe + " > '\(out)'"], viaShell: "")
            #expect(status == 0)
            return try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").map(
                String.init)
        }
        #expect(try complete(["irctl", "upd"]) == ["update"])
        #expect(try complete(["irctl", "st"]).sorted() == ["stats", "step", "strike"])
        #expect(try complete(["irctl", "log", "INC-"]) == ["INC-1", "INC-2"])
        #expect(
            try complete(["irctl", "declare", "x", "-s", ""]) == ["SEV1", "SEV2", "SEV3", "SEV4"])
        #expect(try complete(["irctl", "phase", "1", "rec"]) == ["recover"])
        #expect(try complete(["irctl", "update", "1", "--fo"]) == ["--format"])
        #expect(
            try complete(["irctl", "update", "1", "--format", ""]) == ["text", "markdown", "slack"])
        #expect(try complete(["irctl", "declare", "x", "--runbook", "disk"]) == ["disk-full"])
        #expect(try complete(["irctl", "completion", "z"]) == ["zsh"])
        #expect(try complete(["irctl", "log", "-k", "dec"]) == ["decision"])
        // An option's value is not a positional word: the phase is still the second one.
        #expect(
            try complete(["irctl", "phase", "--as", "bob", "1", "--reason", "back", "con"]) == [
                "contain"
            ])

        let zsh = try box.ok(["completion", "zsh"])
        #expect(zsh.hasPrefix("#compdef irctl\n"))
        #expect(
            zsh.contains(
                "--severity|-s) candidates=(${(f)\"$(irctl completion --values severities "
                    + "2>/dev/null)\"})"
            ))
        #expect(
            zsh.contains(
                "update) compadd -- --state --message -m --next --audience --format "
                    + "--allow-mentions --dry-run -n --approve-hook --at"))
        let fish = try box.ok(["completion", "fish"])
        #expect(fish.contains("complete -c irctl -n __fish_use_subcommand -a strike -d "))
        #expect(
            fish.contains(
                "complete -c irctl -n '__fish_seen_subcommand_from declare' -l severity -s s -x -a "
                    + "'(irctl completion --values severities 2>/dev/null)'"
            ))
        for (shell, text) in [("zsh", zsh), ("fish", fish)] {
            // Checked by the shell itself where it is installed.
            let path = box.root + "/irctl." + shell
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            if FileManager.default.isExecutableFile(atPath: "/usr/bin/" + shell) {
                #expect(try Sandbox.run([shell, "-n", path], viaShell: "") == 0, "\(shell) -n")
            }
        }
        #expect(try Sandbox.run(["bash", "-n", script], viaShell: "") == 0)
    }

    /// `list --json` is written by hand for speed; it must still be exactly the documented shape.
    @Test func listJSONKeepsItsShape() throws {
        let box = try Sandbox()
        try box.ok(
            [
                "declare", "a/b \"c\"\tτ", "-s", "1", "--service", "x", "--commander", "alice",
                "--tag", "t",
            ], env: Self.clock)
        try box.ok(["detect", "second"], env: Self.clock)
        try box.ok(["close", "2", "--force"], env: Self.clock)
        let text = try box.ok(["list", "--all", "--json"], env: Self.clock)
        let array = try #require(try Sandbox.json(text) as? [[String: Any]])
        #expect(array.count == 2)
        #expect(array[0]["title"] as? String == "a/b \"c\"\tτ")
        #expect(array[0]["roles"] as? [String: String] == ["commander": "alice"])
        #expect(array[1]["closedAt"] as? String == "2026-11-21T15:00:00Z")
        #expect(text.hasSuffix("}\n]\n"))
        #expect(try box.ok(["list", "--phase", "review", "--json"], env: Self.clock) == "[\n\n]\n")
    }
}
