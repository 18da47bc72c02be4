import Foundation
import IncidentKit

/// One run of one command: its parsed arguments and everything it may use.
struct Invocation {
    let command: Command
    /// The subcommand named, its word taken off `positionals`.
    var subcommand: Subcommand? = nil
    let arguments: ParsedArguments
    let system: System
    let output: Output

    var positionals: [String] { arguments.positionals }
    var json: Bool { arguments.flag("json") }
    var now: Date { Timestamp.wholeSeconds(system.now) }
    var timeZone: TimeZone { TimeZone.fromEnvironment(system.environment) }
    var display: TimeDisplay { TimeDisplay(timeZone: timeZone, utc: arguments.flag("utc")) }

    /// The store this command uses, found and checked once, before the command runs.
    let location: StoreLocation

    /// The store's discovery against the real file system, then the checks every command relies on
    /// (a link to the store resolved once, a foreign or planted store refused); shared with the
    /// CLI's help and error paths.
    static func location(dir: String?, system: System) throws -> StoreLocation {
        try StoreLocation.resolve(
            option: dir, environment: system.environment, workingDirectory: system.workingDirectory,
            directoryExists: { path in
                var isDirectory: ObjCBool = false
                return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
                    && isDirectory.boolValue
            }
        )
        .validated(environment: system.environment)
    }

    var store: Store {
        var timeout = 5.0
        if let text = system.environment["IRCTL_LOCK_TIMEOUT"], let seconds = Double(text),
            seconds > 0
        {
            timeout = seconds
        }
        return Store(root: location.path, lockTimeout: timeout)
    }

    func config() throws -> StoreConfig { try store.loadConfig(checking: Self.checkSections) }

    /// Reads the config sections features read for themselves, so that a bad one fails every
    /// command, naming the fix, not only the command that uses it. (The status update hook's is
    /// read only by `update`, and a bad one fails only there.)
    static func checkSections(_ config: StoreConfig) throws {
        _ = try config.alertSettings()
    }

    /// How this store would surprise a teammate working here; nil when it would not.
    var unexpectedStore: UnexpectedStore? {
        location.unexpected(
            workingDirectory: system.workingDirectory,
            exists: { FileManager.default.fileExists(atPath: $0) },
            directoryExists: { path in
                var isDirectory: ObjCBool = false
                return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
                    && isDirectory.boolValue
            })
    }

    /// What to tell someone whose store is not the one a teammate would expect: the store, then
    /// why that is a surprise (after "this is" or "written to").
    static func explain(_ unexpected: UnexpectedStore, store: String) -> String {
        switch unexpected {
        case .personalStoreInRepository(let workTree):
            "\(store), your personal store, not one in the git repository \(workTree) (it has no"
                + " .irctl/), so teammates won't see it; 'irctl init' at the top of the repository"
                + " makes a team store there"
        case .environmentOverTeamStore(let teamStore):
            "\(store), the store IRCTL_DIR names, not the team store \(teamStore) found above the"
                + " working directory; unset IRCTL_DIR to use the team's"
        }
    }

    /// After a write: says which store it went to when a teammate would expect another.
    func noteStoreWritten() {
        guard let unexpected = unexpectedStore else { return }
        output.noteOnce(
            "irctl: note: written to " + Self.explain(unexpected, store: location.path)
                + " ('irctl where' says more)")
    }

    /// `--as`, else IRCTL_USER, else the store's default, else $USER.
    func author(config: StoreConfig) throws -> String {
        let candidates = [
            arguments.value("as"), system.environment["IRCTL_USER"], config.defaultAuthor,
            system.environment["USER"], system.environment["LOGNAME"],
        ]
        guard
            let name = candidates.compactMap({
                $0?.trimmingCharacters(in: .whitespacesAndNewlines)
            }).first(where: { !$0.isEmpty })
        else {
            // Containers and CI often have no USER: say so rather than sign everything 'unknown'.
            output.noteOnce(
                "irctl: warning: no author name (USER and IRCTL_USER are unset), so this is"
                    + " recorded as by 'unknown'; set IRCTL_USER=NAME, give --as NAME, or set"
                    + " \"defaultAuthor\" in the store's config.json")
            return "unknown"
        }
        guard name.count <= 100, !name.contains(where: { $0.isNewline }) else {
            throw ValueError.invalidValue(
                option: "--as", value: String(name.prefix(40)),
                expected: "a name on one line, at most 100 characters")
        }
        return name
    }

    func editContext(config: StoreConfig) throws -> EditContext {
        EditContext(author: try author(config: config), now: now, redactor: try config.redactor())
    }

    // MARK: Values

    /// An incident as the user named it: `INC-7`, `7`, or the start of its uid.
    func incidentID(_ text: String) throws -> IncidentID {
        if let id = IncidentID(text) { return id }
        return try store.incidentID(matching: text)
    }

    /// The first positional as an incident id, or a usage error saying one is needed.
    func requiredIncident() throws -> IncidentID {
        guard let first = positionals.first else {
            throw UsageError("missing INCIDENT (an id such as INC-7)", command: command.name)
        }
        return try incidentID(first)
    }

    /// The time an option gives. Where only the past makes sense (`allowFuture` false), a bare
    /// `23:50` later than now is yesterday's, and a note says which day was taken.
    func time(_ option: String, allowFuture: Bool = false) throws -> Date? {
        guard let text = arguments.value(option) else { return nil }
        return try time(text: text, option: "--" + option, allowFuture: allowFuture)
    }

    func time(text: String, option: String, allowFuture: Bool = false) throws -> Date {
        let date = try TimeInput(now: now, timeZone: timeZone, pastOnly: !allowFuture).parse(text)
        if !allowFuture, date.timeIntervalSince(now) > 60 { throw ValueError.futureTime(text) }
        if !allowFuture, TimeInput.isBareClock(text), display.date(date) != display.date(now) {
            output.note(
                "irctl: note: \(option) \(TerminalText.singleLine(text)) is later than now, so it "
                    + "is taken as yesterday: \(display.dateTime(date))"
            )
        }
        return Timestamp.wholeSeconds(date)
    }

    /// The times `--started`, `--detected` and `--at` give, resolved together: the latest given
    /// is read as any time is; a bare clock time (13:55) given with a later one is read on that
    /// one's day. So `--started 13:55 --detected 14:02`, typed at 14:00, are both yesterday's.
    func eventTimes() throws -> (started: Date?, detected: Date?, at: Date?) {
        var resolved: [String: Date] = [:]
        var later: (option: String, date: Date)?
        for option in ["at", "detected", "started"] {
            guard let text = arguments.value(option) else { continue }
            if let anchor = later, TimeInput.isBareClock(text) {
                let date = Timestamp.wholeSeconds(
                    try TimeInput(now: now, timeZone: timeZone, pastOnly: true)
                        .parse(text, onTheDayOf: anchor.date))
                if display.date(date) != display.date(now) {
                    output.note(
                        "irctl: note: --\(option) \(TerminalText.singleLine(text)) is taken on"
                            + " the day of --\(anchor.option): \(display.dateTime(date))")
                }
                resolved[option] = date
            } else {
                resolved[option] = try time(option)
            }
            later = (option, resolved[option]!)
        }
        return (resolved["started"], resolved["detected"], resolved["at"])
    }

    /// Rejects positional words beyond `count`.
    func expectPositionals(atMost count: Int) throws {
        guard positionals.count > count else { return }
        let extra = positionals[count]
        let shown = "'\(TerminalText.singleLine(String(extra.prefix(60))))'"
        // A second id is not text that lost its quotes: the command takes one incident.
        if count == 1, IncidentID(positionals[0]) != nil, IncidentID(extra) != nil {
            throw UsageError(
                "unexpected argument \(shown): 'irctl \(command.name)' takes one INCIDENT;"
                    + " run it once for each",
                command: command.name)
        }
        throw UsageError(
            "unexpected argument \(shown); quote text that contains spaces",
            command: command.name)
    }

    /// Text from the words given, `-` for stdin, or stdin when nothing is given and it is piped.
    func text(from words: ArraySlice<String>, what: String) throws -> String {
        if words == ["-"] || (words.isEmpty && !system.stdinIsTerminal) {
            if system.stdinIsTerminal {
                output.note(
                    "irctl: reading \(what) from the terminal; end it with Ctrl-D on a new line "
                        + "(Ctrl-C cancels)"
                )
            }
            let bytes = try system.readInput(Self.maxTextSize)
            guard let text = String(validating: bytes, as: UTF8.self) else {
                throw ValueError.invalidUTF8(what: "standard input")
            }
            return text
        }
        guard !words.isEmpty else {
            throw UsageError(
                "missing \(what); give it as an argument, or '-' to read standard input",
                command: command.name)
        }
        let text = words.joined(separator: " ")
        guard text.utf8.count <= Self.maxTextSize else {
            throw ValueError.tooLarge(what: what, limit: Self.maxTextSize)
        }
        return text
    }

    /// One entry's text may be up to 1 MiB: enough for pasted logs, refused quickly beyond that.
    static let maxTextSize = 1024 * 1024

    // MARK: Printing

    func printJSON<T: Encodable>(_ value: T) throws {
        let encoder = JSONCoding.encoder()
        encoder.userInfo[.includeDerivedFields] = true
        output.write(
            TerminalText.escapingInvisiblesInJSON(
                String(decoding: try encoder.encode(value), as: UTF8.self)) + "\n")
    }

    /// A mutating command's result: the incident as JSON, or one line for a person.
    func report(_ stored: StoredIncident, _ line: String) throws -> Int32 {
        for notice in stored.notices { output.warning(notice) }
        noteStoreWritten()
        if json { try printJSON(stored.incident) } else { output.line(TerminalText.sanitize(line)) }
        return ExitCode.success
    }

    /// Reports unreadable files found while listing, without failing the listing.
    func warn(_ problems: [StoreProblem]) {
        for problem in problems { output.warning(problem.message) }
    }
}
