import Foundation
import IncidentKit

extension Invocation {
    /// The runbooks this command sees, in the documented order: `--runbooks DIR`,
    /// `IRCTL_RUNBOOKS`, the config's `runbooks`, `runbooks/` beside the store, built-in.
    func runbookLibrary(config: StoreConfig) throws -> RunbookLibrary {
        let option = arguments.value("runbooks")
        if let option {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: option, isDirectory: &isDirectory),
                isDirectory.boolValue
            else {
                throw UsageError.badValue(
                    "no directory '\(TerminalText.singleLine(option))' for --runbooks; "
                        + "give a directory that holds runbook files (NAME.md)",
                    command: command.name)
            }
        }
        let directories = RunbookLibrary.searchDirectories(
            option: option, environment: system.environment, storeDirectory: location.path,
            configured: config.runbooks)
        return RunbookLibrary(directories: directories)
    }

    /// A step number as given on the command line.
    func stepNumber(_ text: String) throws -> Int {
        guard let number = Int(text), number > 0 else {
            throw ValueError.invalidValue(
                option: "N", value: TerminalText.singleLine(String(text.prefix(40))),
                expected: "a step number such as 1 or 2 (see 'irctl show INCIDENT')")
        }
        return number
    }
}

/// `--runbooks DIR`, on every command that looks runbooks up.
let runbooksOption = OptionSpec.value(
    "--runbooks", value: "DIR", kind: .directory,
    help:
        "look for runbooks in DIR first (then IRCTL_RUNBOOKS, config 'runbooks', "
        + "runbooks/ beside the store, built-in)"
)

extension Checklist {
    /// "next: 3. Look for …" or "all 9 steps finished", for a one-line report.
    var progressLine: String {
        if let next = nextStep { return "next: \(next.number). \(next.text)" }
        return "all \(steps.count) steps finished"
    }
}
