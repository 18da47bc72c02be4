import Foundation
import IncidentKit

enum WhereCommand {
    static let command = Command(
        name: "where", summary: "print the store irctl uses here, and how it was found",
        discussion: """
            Prints the store's directory and why it is the one: --dir, IRCTL_DIR, the nearest
            .irctl/ above the working directory, or else the per-user default
            (~/.local/share/irctl). When it is not the store a teammate would expect (the per-user
            store inside a git repository that has no .irctl/, or IRCTL_DIR's store where a team
            store is found), it says so; every command that writes there says so too.

            JSON: { path, source: "option" | "environment" | "discovered" | "user-default",
            exists, unexpected?: { kind: "personal-store-in-repository" |
            "environment-over-team-store", workTree? | teamStore?, message } }.
            """,
        examples: ["irctl where", "irctl where --json"],
        run: run)

    struct Report: Encodable {
        struct Unexpected: Encodable {
            var kind: String
            var workTree: String?
            var teamStore: String?
            var message: String
        }
        var path: String
        var source: String
        var exists: Bool
        var unexpected: Unexpected?
    }

    static func run(_ invocation: Invocation) throws -> Int32 {
        try invocation.expectPositionals(atMost: 0)
        let location = invocation.location
        let exists = FileManager.default.fileExists(atPath: location.path)
        let unexpected = invocation.unexpectedStore
        let message = unexpected.map { "this is " + Invocation.explain($0, store: location.path) }
        if invocation.json {
            var report = Report(
                path: location.path, source: sourceName(location.source), exists: exists)
            switch unexpected {
            case .personalStoreInRepository(let workTree):
                report.unexpected = .init(
                    kind: "personal-store-in-repository", workTree: workTree, message: message!)
            case .environmentOverTeamStore(let teamStore):
                report.unexpected = .init(
                    kind: "environment-over-team-store", teamStore: teamStore, message: message!)
            case nil: break
            }
            try invocation.printJSON(report)
            return ExitCode.success
        }
        let output = invocation.output
        output.line(TerminalText.singleLine(location.path))
        var how =
            switch location.source {
            case .option: "from --dir"
            case .environment: "from IRCTL_DIR"
            case .discovered: "the nearest .irctl/ above the working directory"
            case .userDefault:
                "the per-user default: no --dir, no IRCTL_DIR, and no .irctl/ here or above"
            }
        if !exists { how += " (not created yet: the first write creates it)" }
        output.line("  " + how)
        if let message { output.line("  " + output.style.yellow("note: ") + message) }
        return ExitCode.success
    }

    static func sourceName(_ source: StoreLocation.Source) -> String {
        switch source {
        case .option: "option"
        case .environment: "environment"
        case .discovered: "discovered"
        case .userDefault: "user-default"
        }
    }
}
