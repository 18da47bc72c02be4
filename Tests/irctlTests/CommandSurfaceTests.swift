import Foundation
import Testing

@testable import IncidentKit
@testable import irctl

/// The command surface declared once: usage lines, help, help topics, the man page and the
/// README's table all come from the declarations.
@Suite struct CommandSurfaceTests {
    static var root: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    // MARK: Made from the declaration

    @Test func usageLinesComeFromTheDeclaration() {
        let command = Command(
            name: "demo", summary: "a demo",
            arguments: [.incident, .optional("TEXT | -")],
            options: [
                .value(
                    "-s", "--severity", value: "SEV", kind: .severity, repeatable: true, help: "s"),
                .value("--reason", value: "TEXT", required: true, help: "why"),
                .flag("--force", help: "f"),
            ],
            run: { _ in 0 })
        #expect(command.usage == ["demo INCIDENT [TEXT | -] [-s SEV]... --reason TEXT [--force]"])
        #expect(command.synopsis == ["demo INCIDENT [TEXT | -] --reason TEXT"])
        #expect(command.positionalKinds == [.incident, .text])
    }

    @Test func subcommandsHaveTheirOwnUsageAndOptions() throws {
        let action = try #require(Commands.find("action"))
        #expect(
            action.usage == [
                "action add INCIDENT TEXT [--owner NAME] [--due TIME] [--type TYPE] [--priority P]"
                    + " [--at TIME]",
                "action done INCIDENT ITEM [-m NOTE] [--at TIME]",
                "action reopen INCIDENT ITEM [-m NOTE] [--at TIME]",
                "action edit INCIDENT ITEM [--text TEXT] [--owner NAME] [--due TIME] [--type TYPE]"
                    + " [--priority P] [--at TIME]",
            ])
        // Every subcommand names only options its command declares.
        for command in Commands.all {
            for sub in command.subcommands {
                for key in sub.options + sub.required {
                    #expect(command.option(key) != nil, "\(command.name) \(sub.name) --\(key)")
                }
            }
            for form in command.forms {
                for key in (form.options ?? []) + form.required {
                    #expect(command.option(key) != nil, "\(command.name) --\(key)")
                }
            }
        }
    }

    @Test func namesAreUniqueAcrossCommandsAndTopics() {
        let names = Commands.all.flatMap(\.names) + HelpTopic.all.map(\.name) + ["topics"]
        #expect(Set(names).count == names.count, "\(names)")
    }

    /// The commander option is `--commander` wherever it means the commander; `--owner` stays
    /// an alias where users have it.
    @Test func oneNameForTheCommander() throws {
        for name in ["declare", "detect", "assign", "list"] {
            let command = try #require(Commands.find(name))
            let option = try #require(command.options.first { $0.names.contains("--owner") })
            #expect(option.names == ["--commander", "--owner"], "\(name)")
        }
        let box = try Sandbox()
        try box.ok(["declare", "Checkout 5xx", "--commander", "alice"])
        try box.ok(["declare", "Search slow", "--owner", "bob"])
        #expect(try box.ok(["list", "--commander", "alice"]).contains("Checkout 5xx"))
        #expect(!(try box.ok(["list", "--commander", "alice"]).contains("Search slow")))
        #expect(try box.ok(["list", "--owner", "bob"]).contains("Search slow"))
        #expect(try box.ok(["help", "list"]).contains("--commander, --owner NAME"))
    }

    // MARK: Help

    @Test func helpDocumentsEveryOptionOfEveryCommand() throws {
        let box = try Sandbox()
        for command in Commands.all {
            let help = try box.ok(["help", command.name])
            for option in command.options + command.globalOptions {
                for name in option.names {
                    #expect(help.contains(name), "\(command.name) \(name)")
                }
            }
            for sub in command.subcommands {
                #expect(help.contains("  \(sub.name)  ") || help.contains(" \(sub.name) "))
                let subHelp = try box.ok(["help", command.name, sub.name])
                #expect(subHelp.hasPrefix("irctl \(command.name) \(sub.name): \(sub.summary)\n"))
                #expect(subHelp.contains("  irctl " + command.usage(of: sub) + "\n"))
                #expect(try box.ok([command.name, sub.name, "--help"]) == subHelp)
            }
        }
    }

    @Test func subcommandHelpShowsOnlyItsOptions() throws {
        let box = try Sandbox()
        let add = try box.ok(["help", "action", "add"])
        #expect(add.contains("irctl action add INCIDENT TEXT"))
        #expect(!add.contains("action done") && !add.contains("--text TEXT"))
        #expect(try box.ok(["help", "runbook", "ls"]).hasPrefix("irctl runbook list: "))
        let typo = try box.run(["help", "action", "reopn"])
        #expect(typo.status == 2)
        #expect(typo.stderr.contains("did you mean 'reopen'?"), "\(typo.stderr)")
    }

    @Test func topicsAreListedAndRead() throws {
        let box = try Sandbox()
        let list = try box.ok(["help", "topics"])
        for name in [
            "times", "json", "store", "team", "alerts", "updates", "security", "config",
            "exit-codes",
        ] {
            #expect(list.contains("  \(name) "), "\(name)")
            let topic = try box.ok(["help", name], env: ["COLUMNS": "80"])
            #expect(topic.hasPrefix("irctl help \(name): "), "\(name)")
            #expect(topic.split(separator: "\n").count > 10, "\(name)")
            // Markdown marks are gone on the terminal.
            #expect(
                topic.range(of: #"\*\*[A-Za-z`]|```"#, options: .regularExpression) == nil,
                "\(name)")
            #expect(!topic.contains("](#"), "no README anchors left: \(name)")
        }
        #expect(try box.ok(["help"]).contains("HELP TOPICS"))
        // What the README held is now here: the hash-chain format, the time forms.
        #expect(try box.ok(["help", "security"]).contains("irctl-entry-v2"))
        #expect(try box.ok(["help", "times"]).contains("yesterday 23:10"))
        #expect(try box.ok(["help", "config"]).contains("redactionRules"))
        let typo = try box.run(["help", "tmes"])
        #expect(typo.status == 2)
        #expect(typo.stderr.contains("did you mean 'times'?"), "\(typo.stderr)")
        #expect(!typo.stderr.contains("usage:"))
    }

    @Test func proseRendersForTheTerminal() {
        let prose = Prose(
            """
            ## Heading

            A paragraph with `code` and **bold**, see [Times](#times) and
            [the site](https://example.com).

            - one item that
              goes on
            - two

            ```
            verbatim  line
            ```

            | A | B |
            |---|---|
            | x | `y\\|z` |
            """)
        #expect(prose.blocks.count == 5)
        let text = prose.terminal(style: Style(enabled: false), width: 40)
        #expect(
            text == """
                HEADING

                A paragraph with code and bold, see
                Times and the site
                (https://example.com).

                  - one item that goes on
                  - two

                    verbatim  line

                  A  B
                  x  y|z

                """)
        #expect(
            Roff.line(".starts with a dot - and \\ and →")
                == "\\&.starts with a dot \\- and \\e and \\[u2192]")
    }

    // MARK: Man page

    @Test func theManPageIsCleanUnderGroff() throws {
        let box = try Sandbox()
        let man = try box.ok(["help", "--man"])
        #expect(man.hasPrefix(".TH IRCTL 1 "))
        for command in Commands.all { #expect(man.contains(".SS \(Roff.escape(command.name))\n")) }
        for topic in HelpTopic.all {
            #expect(man.contains(".SH \(Roff.escape(topic.title.uppercased()))\n"))
        }
        let page = box.root + "/irctl.1"
        try man.write(toFile: page, atomically: true, encoding: .utf8)
        let groff = try box.sh("groff -man -ww -z '\(page)'")
        #expect(groff.status == 0, "groff is needed (Debian package groff): \(groff.stderr)")
        #expect(groff.stderr.isEmpty, "groff warnings: \(groff.stderr)")
    }

    // MARK: The README's table

    @Test func theREADMECommandTableIsCurrent() throws {
        let readme = try String(
            contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
        let remade = try #require(
            HelpText.replacingTable(in: readme), "the README lacks the table's markers")
        let stale = Comment(
            rawValue: "the README's command table is stale: run 'swift run irctl help "
                + "--markdown-table' and paste it between the markers")
        #expect(remade == readme, stale)
        let box = try Sandbox()
        #expect(try box.ok(["help", "--markdown-table"]) == HelpText.markdownTable())
        for command in Commands.all { #expect(readme.contains("`irctl \(command.name)")) }
    }

    // MARK: Typos and bad values

    @Test func typosGetASuggestionEverywhere() throws {
        let box = try Sandbox()
        let cases: [([String], String)] = [
            (["action", "dnoe", "1", "A1"], "unknown action 'dnoe'; did you mean 'done'?"),
            (["action", "INC-1", "add", "x"], "the action goes first: irctl action add INC-1"),
            (["site", "biuld"], "unknown subcommand 'biuld'; did you mean 'build'?"),
            (["runbook", "attahc", "1", "x"], "did you mean 'attach'?"),
            (["completion", "bsah"], "did you mean 'bash'?"),
            (["help", "declre"], "did you mean 'declare'?"),
        ]
        for (arguments, expected) in cases {
            let result = try box.run(arguments)
            #expect(result.status == 2, "\(arguments)")
            #expect(result.stderr.contains(expected), "\(arguments): \(result.stderr)")
        }
    }

    @Test func aSubcommandsUsageErrorShowsItsOwnUsage() throws {
        let box = try Sandbox()
        let missing = try box.run(["action", "done", "1"])
        #expect(missing.status == 2)
        #expect(
            missing.stderr.contains(
                "usage: irctl action done INCIDENT ITEM [-m NOTE] [--at TIME]\n"),
            "\(missing.stderr)")
        #expect(!missing.stderr.contains("action add"))
        #expect(missing.stderr.contains("see 'irctl help action done'"))
        let stray = try box.run(["runbook", "list", "--replace"])
        #expect(stray.status == 2)
        #expect(
            stray.stderr.contains(
                "--replace does not apply to 'irctl runbook list'; it goes with attach"))
    }

    @Test func aBadValueGetsTheMessageAndOneHint() throws {
        let box = try Sandbox()
        let severity = try box.run(["declare", "DB down", "-s", "SEV9"])
        #expect(severity.status == 2)
        #expect(
            severity.stderr
                == "irctl: error: unknown severity 'SEV9'; use one of SEV1, SEV2, SEV3, SEV4 "
                + "(or its number, e.g. 2 or P2)\nsee 'irctl help declare'\n")
        let time = try box.run(["declare", "DB down", "--at", "the day before"])
        #expect(time.status == 2)
        #expect(!time.stderr.contains("usage:"))
        #expect(time.stderr.hasSuffix("\nsee 'irctl help times'\n"), "\(time.stderr)")
        let shell = try box.run(["completion", "tcsh"])
        #expect(shell.status == 2 && !shell.stderr.contains("usage:"))
    }
}
