import Foundation
import IncidentKit

/// `service`, `tag` and `link`: what an incident touches and where to look, changed as it unfolds.
enum LabelCommands {
    static let service = listCommand(
        name: "service", noun: "service", value: "NAME",
        summary: "add or remove an incident's affected services",
        note: "Works on closed incidents too (stats are by service).",
        example: "irctl service INC-1 --add payments-api",
        apply: { incident, add, remove, at, context in
            try incident.changeServices(add: add, remove: remove, at: at, context: context)
        },
        current: \.services)

    static let tag = listCommand(
        name: "tag", noun: "tag", value: "TAG", summary: "add or remove an incident's tags",
        note: "Works on closed incidents too.",
        example: "irctl tag INC-1 --add customer-facing --add deploy",
        apply: { incident, add, remove, at, context in
            try incident.changeTags(add: add, remove: remove, at: at, context: context)
        },
        current: \.tags)

    /// `service` and `tag`: the same command over a different list.
    private static func listCommand(
        name: String, noun: String, value: String, summary: String, note: String, example: String,
        apply:
            @escaping @Sendable (inout Incident, [String], [String], Date?, EditContext) throws ->
            Void,
        current: KeyPath<Incident, [String]> & Sendable
    ) -> Command {
        Command(
            name: name, aliases: [name + "s"], summary: summary,
            arguments: [.incident],
            discussion: "One edit entry per change. '--add a,b' equals '--add a --add b'. " + note,
            options: [
                .value("--add", "-a", value: value, repeatable: true, help: "add a \(noun)"),
                .value("--remove", "-r", value: value, repeatable: true, help: "remove a \(noun)"),
                .at("when it changed, if not now"),
            ],
            examples: [example],
            run: { invocation in
                let id = try invocation.requiredIncident()
                if invocation.positionals.count > 1 {
                    let word = TerminalText.singleLine(String(invocation.positionals[1].prefix(60)))
                    throw UsageError(
                        "unexpected argument '\(word)'; to add it: irctl \(name) \(id) --add "
                            + "\(word) (--remove to remove)",
                        command: name)
                }
                let add = invocation.arguments.all("add").flatMap(DeclareCommand.splitList)
                let remove = invocation.arguments.all("remove").flatMap(DeclareCommand.splitList)
                guard !add.isEmpty || !remove.isEmpty else {
                    throw UsageError("nothing to change; give --add or --remove", command: name)
                }
                let config = try invocation.config()
                let context = try invocation.editContext(config: config)
                let at = try invocation.time("at")
                let incident = try invocation.store.update(id) { incident in
                    try apply(&incident, add, remove, at, context)
                }
                let values = incident.incident[keyPath: current]
                return try invocation.report(
                    incident,
                    "\(incident.id): \(name)s "
                        + (values.isEmpty ? "none" : values.joined(separator: ", ")))
            })
    }

    static let link = Command(
        name: "link",
        summary: "add a link (dashboard, channel, ticket) to an incident, or remove one",
        forms: [
            UsageForm(arguments: [.incident, .required("URL")], options: ["label", "at"]),
            UsageForm(arguments: [.incident], options: ["remove", "at"], required: ["remove"]),
        ],
        discussion: """
            Links appear in 'show' and in the postmortem header. The label defaults to the URL's
            host. Passwords in URLs are redacted before the link is stored.
            """,
        options: [
            .value(
                "--label", "-l", value: "TEXT", help: "what the link is (e.g. Dashboard, Slack)"),
            .value(
                "--remove", "-r", value: "URL|LABEL", help: "remove the link with this URL or label"
            ),
            .at("when it was added or removed, if not now"),
        ],
        examples: [
            "irctl link INC-1 https://grafana.example.com/d/checkout --label Dashboard",
            "irctl link INC-1 --remove Dashboard",
        ],
        run: { invocation in
            let id = try invocation.requiredIncident()
            let remove = invocation.arguments.value("remove")
            if remove != nil {
                try invocation.expectPositionals(atMost: 1)
                if invocation.arguments.has("label") {
                    throw UsageError(
                        "--label goes with adding a link, not --remove", command: "link")
                }
            } else {
                guard invocation.positionals.count >= 2 else {
                    throw UsageError("missing URL", command: "link")
                }
                try invocation.expectPositionals(atMost: 2)
            }
            let config = try invocation.config()
            let context = try invocation.editContext(config: config)
            let at = try invocation.time("at")
            let incident = try invocation.store.update(id) { incident in
                if let remove {
                    try incident.removeLink(remove, at: at, context: context)
                } else {
                    try incident.addLink(
                        url: invocation.positionals[1], label: invocation.arguments.value("label"),
                        at: at, context: context)
                }
            }
            return try invocation.report(
                incident,
                "\(incident.id): "
                    + (incident.links.isEmpty
                        ? "no links"
                        : incident.links.map { "\($0.label) \($0.url)" }.joined(separator: " · ")))
        })
}
