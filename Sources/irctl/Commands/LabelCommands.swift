import IncidentKit

/// `service`, `tag` and `link`: what an incident touches and where to look, changed as it unfolds.
enum LabelCommands {
    static let service = Command(
        name: "service", aliases: ["services"], summary: "add or remove an incident's affected services",
        usage: ["service INCIDENT [--add NAME]... [--remove NAME]..."],
        discussion: "One edit entry per change. '--add a,b' equals '--add a --add b'. Works on closed incidents too (stats are by service).",
        options: [
            .value("--add", "-a", value: "NAME", repeatable: true, help: "add an affected service"),
            .value("--remove", "-r", value: "NAME", repeatable: true, help: "remove a service"),
        ],
        examples: ["irctl service INC-1 --add payments-api"],
        run: { invocation in
            try change(invocation, what: "services") { incident, add, remove, context in
                try incident.changeServices(add: add, remove: remove, context: context)
            }
        })

    static let tag = Command(
        name: "tag", aliases: ["tags"], summary: "add or remove an incident's tags",
        usage: ["tag INCIDENT [--add TAG]... [--remove TAG]..."],
        discussion: "One edit entry per change. '--add a,b' equals '--add a --add b'.",
        options: [
            .value("--add", "-a", value: "TAG", repeatable: true, help: "add a tag"),
            .value("--remove", "-r", value: "TAG", repeatable: true, help: "remove a tag"),
        ],
        examples: ["irctl tag INC-1 --add customer-facing --add deploy"],
        run: { invocation in
            try change(invocation, what: "tags") { incident, add, remove, context in
                try incident.changeTags(add: add, remove: remove, context: context)
            }
        })

    static let link = Command(
        name: "link", summary: "add a link (dashboard, channel, ticket) to an incident, or remove one",
        usage: ["link INCIDENT URL [--label TEXT]", "link INCIDENT --remove URL|LABEL"],
        discussion: """
        Links appear in 'show' and in the postmortem header. The label defaults to the URL's host.
        Passwords in URLs are redacted before the link is stored.
        """,
        options: [
            .value("--label", "-l", value: "TEXT", help: "what the link is (e.g. Dashboard, Slack)"),
            .value("--remove", "-r", value: "URL|LABEL", help: "remove the link with this URL or label"),
        ],
        examples: ["irctl link INC-1 https://grafana.example.com/d/checkout --label Dashboard",
                   "irctl link INC-1 --remove Dashboard"],
        run: { invocation in
            let id = try invocation.requiredIncident()
            let remove = invocation.arguments.value("remove")
            if remove != nil {
                try invocation.expectPositionals(atMost: 1)
                if invocation.arguments.has("label") { throw UsageError("--label goes with adding a link, not --remove", command: "link") }
            } else {
                guard invocation.positionals.count >= 2 else { throw UsageError("missing URL", command: "link") }
                try invocation.expectPositionals(atMost: 2)
            }
            let config = try invocation.config()
            let context = try invocation.editContext(config: config)
            let incident = try invocation.store.update(id) { incident in
                if let remove { try incident.removeLink(remove, context: context) }
                else { try incident.addLink(url: invocation.positionals[1], label: invocation.arguments.value("label"), context: context) }
            }
            return try invocation.report(incident, "\(incident.id): " + (incident.links.isEmpty ? "no links"
                : incident.links.map { "\($0.label) \($0.url)" }.joined(separator: " · ")))
        })

    private static func change(_ invocation: Invocation, what: String,
                               _ apply: (inout Incident, [String], [String], EditContext) throws -> Void) throws -> Int32 {
        let id = try invocation.requiredIncident()
        try invocation.expectPositionals(atMost: 1)
        let add = invocation.arguments.all("add").flatMap(DeclareCommand.splitList)
        let remove = invocation.arguments.all("remove").flatMap(DeclareCommand.splitList)
        guard !add.isEmpty || !remove.isEmpty else {
            throw UsageError("nothing to change; give --add or --remove", command: invocation.command.name)
        }
        let config = try invocation.config()
        let context = try invocation.editContext(config: config)
        let incident = try invocation.store.update(id) { incident in try apply(&incident, add, remove, context) }
        let values = what == "services" ? incident.services : incident.tags
        return try invocation.report(incident, "\(incident.id): \(what) " + (values.isEmpty ? "none" : values.joined(separator: ", ")))
    }
}
