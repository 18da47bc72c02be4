import Foundation
import IncidentKit

enum IngestCommand {
    static let command = Command(
        name: "ingest", summary: "apply one Alertmanager webhook payload (alerts become incidents)",
        arguments: [
            .required("alertmanager", .words(["alertmanager"])), .optional("FILE | -", .file),
        ],
        discussion: """
            Reads one Alertmanager webhook notification (version 4; the JSON body Alertmanager
            posts) from FILE, or from standard input with '-' or when it is piped, and applies it to
            the store exactly as 'irctl serve' does:

              - one incident per alert group (receiver + groupKey) while it is open; a new group
                opens an incident in phase detect (declare when a route says so), with title,
                severity, services and tags from the alerts and the routes in config.json;
              - a new firing alert, a resolved alert and a truncated notification each append one
                'alert' entry; a repeat or a replay changes nothing;
              - when every alert has resolved, an incident still in detect is closed (config:
                alerts.closeWhenResolved); a declared one stays open;
              - a group that fires again after its incident closed opens a new incident linked to
                the old one. Automatic changes only ever raise the severity.

            Entries are written as 'alertmanager' unless --as says otherwise. Secrets in labels and
            annotations are redacted like all stored text. --json prints what was done: action
            (opened, updated, closed, unchanged, ignored), incident, previous, group, alerts,
            ignored, fired, resolved, entries, severity, phase, warnings.
            """,
        options: [runbooksOption],
        examples: [
            "irctl ingest alertmanager notification.json",
            "curl -s … | irctl ingest alertmanager - --json",
        ],
        run: run)

    /// As large as `serve` accepts: a notification with many alerts.
    static let maxPayloadSize = HTTPLimits().maxBodyBytes

    static func run(_ invocation: Invocation) throws -> Int32 {
        guard let source = invocation.positionals.first else {
            throw UsageError(
                "missing SOURCE; irctl reads Alertmanager webhooks: irctl ingest alertmanager "
                    + "[FILE | -]",
                command: "ingest")
        }
        guard source.lowercased() == "alertmanager" else {
            throw UsageError(
                "unknown source '\(TerminalText.singleLine(String(source.prefix(40))))'; the "
                    + "source irctl reads is 'alertmanager'",
                command: "ingest")
        }
        try invocation.expectPositionals(atMost: 2)
        let bytes = try read(invocation.positionals.dropFirst().first, invocation: invocation)
        let payload = try AlertmanagerPayload.decode(bytes)
        let config = try invocation.config()
        let context = try alertContext(invocation, config: config, now: invocation.now)
        let library = try invocation.runbookLibrary(config: config)
        let result = try AlertIngest(config: config).ingest(
            payload, store: invocation.store, context: context,
            runbook: { name in try library.find(name) })
        for warning in result.warnings { invocation.output.warning(warning) }
        if result.incident != nil { invocation.noteStoreWritten() }
        if invocation.json {
            try invocation.printJSON(result)
        } else {
            invocation.output.line(TerminalText.sanitize(result.line))
            if result.action == .opened, config.similar != false, let text = result.incident,
                let id = IncidentID(text), let incident = try? invocation.store.load(id)
            {
                for hint in SimilarCommand.hints(for: incident, invocation: invocation) {
                    invocation.output.note("similar: " + hint)
                }
            }
        }
        return ExitCode.success
    }

    private static func read(_ path: String?, invocation: Invocation) throws -> [UInt8] {
        if path == "-" || (path == nil && !invocation.system.stdinIsTerminal) {
            return try invocation.system.readInput(maxPayloadSize)
        }
        guard let path else {
            throw UsageError(
                "missing FILE; give the payload's file, or '-' to read it from standard input",
                command: "ingest")
        }
        let expected =
            "a readable file of at most \(maxPayloadSize / (1024 * 1024)) MiB holding one "
            + "Alertmanager webhook payload"
        guard let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int,
            size <= maxPayloadSize,
            let data = FileManager.default.contents(atPath: path)
        else {
            throw ValueError.invalidValue(option: "FILE", value: path, expected: expected)
        }
        return Array(data)
    }

    /// Alert entries are written by 'alertmanager' unless `--as` names someone.
    static func alertContext(
        _ invocation: Invocation, config: StoreConfig, now: Date
    ) throws -> EditContext {
        let author =
            invocation.arguments.value("as")?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if !author.isEmpty { return try invocation.editContext(config: config) }
        return EditContext(author: "alertmanager", now: now, redactor: try config.redactor())
    }
}
