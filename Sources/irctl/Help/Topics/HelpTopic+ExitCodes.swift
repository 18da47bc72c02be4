extension HelpTopic {
    static let exitCodes = HelpTopic(
        name: "exit-codes", title: "Exit status and errors",
        summary: "what the exit status means, and how errors read",
        text: #"""
            | Status | Meaning |
            |---|---|
            | 0 | success |
            | 1 | the operation failed: incident not found, transition refused, store error (corru\#
            pt file, lock timeout, disk full) |
            | 2 | usage error: unknown command or option, missing or bad value (severity, phase, t\#
            ime, id) |

            (`exec` and `step --run` exit with the recorded command's own status.) Data goes to
            stdout; errors, warnings and notes go to stderr as `irctl: error: …`, naming the
            offending value and the fix. When the command line itself is malformed (a missing
            argument, an unknown option) the command's usage follows (for a command with
            subcommands, the subcommand's); a bad value (severity, time, id) gets the message, which
            says what is accepted, and one line naming the help to read. A mistyped command,
            subcommand or option gets a suggestion ("did you mean 'list'?").

            ```console
            $ irctl declare "DB down" -s SEV9
            irctl: error: unknown severity 'SEV9'; use one of SEV1, SEV2, SEV3, SEV4 (or its numbe\#
            r, e.g. 2 or P2)
            see 'irctl help declare'
            $ irctl phase INC-2 detect
            irctl: error: moving INC-2 back from declare to detect needs a reason; add --reason TE\#
            XT (what came back?)
            $ irctl show INC-99
            irctl: error: no incident INC-99 in the store at /home/alice/src/ops/.irctl; run 'irct\#
            l list --all' to see the incidents there
            ```
            """#)
}
