import IncidentKit

/// `irctl help --man`: irctl(1) in roff, from the same declarations and topics as the help.
enum ManPage {
    static let tagline =
        "declare incidents, keep their timeline, drive them through their lifecycle"

    static func render() -> String {
        var out = """
            .TH IRCTL 1 "" "irctl \(Roff.escape(IncidentKit.version))" "User Commands"
            .SH NAME
            irctl \\- \(Roff.escape(tagline))
            .SH SYNOPSIS
            .B irctl
            .I command
            [\\fIINCIDENT\\fR] [\\fIarguments\\fR] [\\fIoptions\\fR]
            .br
            .B irctl help
            [\\fIcommand\\fR [\\fIsubcommand\\fR] | \\fItopic\\fR | \\fBtopics\\fR]
            .SH DESCRIPTION
            irctl is a command\\-line incident tracker. Incidents are files in a store (a
            \\fB.irctl/\\fR directory a team keeps in git), each a hash\\-chained timeline of
            entries.
            Alerts from Prometheus Alertmanager can open and update incidents.
            Data goes to standard output; errors, warnings and notes to standard error.
            .SH GLOBAL OPTIONS

            """
        out += options(GlobalOptions.all)
        out += ".TP\n.B \\-\\-version\nprint the version\n"
        out += ".SH COMMANDS\n"
        for command in Commands.all {
            out += ".SS " + Roff.escape(command.name) + "\n"
            out += Roff.line(command.summary) + "\n"
            out += ".PP\n.nf\n"
            out += command.usage.map { Roff.line("irctl " + $0) }.joined(separator: "\n") + "\n"
            out += ".fi\n"
            if !command.aliases.isEmpty {
                out += ".PP\nAlso: " + Roff.escape(command.aliases.joined(separator: ", ")) + ".\n"
            }
            for sub in command.subcommands {
                out += ".TP\n.B " + Roff.escape("\(command.name) \(sub.name)") + "\n"
                out += Roff.line(sub.summary) + "\n"
                if !sub.discussion.isEmpty { out += verbatim(sub.discussion) }
            }
            if !command.discussion.isEmpty { out += verbatim(command.discussion) }
            if !command.options.isEmpty {
                out += ".PP\nOptions:\n" + options(command.options)
            }
            if !command.examples.isEmpty {
                out += ".PP\nExamples:\n.PP\n.RS 4\n.nf\n"
                out += command.examples.map { Roff.line("$ " + $0) }.joined(separator: "\n") + "\n"
                out += ".fi\n.RE\n"
            }
        }
        for topic in HelpTopic.all {
            out += ".SH " + Roff.escape(topic.title.uppercased()) + "\n"
            out += ".PP\n" + Roff.line("(irctl help \(topic.name))") + "\n"
            out += Prose(topic.text).roff()
        }
        out += """
            .SH SEE ALSO
            \\fBgit\\fR(1), \\fBprometheus\\-alertmanager\\fR(1)

            """
        return out
    }

    static func options(_ options: [OptionSpec]) -> String {
        options.map { option in
            ".TP\n.B " + Roff.escape(option.label(withValue: false))
                + (option.value.map { " \\fI" + Roff.escape($0) + "\\fR" } ?? "")
                + (option.repeatable ? " ..." : "") + "\n" + Roff.line(option.help) + "\n"
        }.joined()
    }

    /// A discussion is laid out by hand (lists, aligned columns): kept as it is written.
    static func verbatim(_ text: String) -> String {
        ".PP\n.nf\n"
            + text.trimmingCharacters(in: .newlines).split(
                separator: "\n", omittingEmptySubsequences: false
            )
            .map { Roff.line(String($0)) }.joined(separator: "\n") + "\n.fi\n"
    }
}
