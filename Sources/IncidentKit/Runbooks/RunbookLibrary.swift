import Foundation

/// The runbooks irctl can use: team directories in priority order, then the built-in
/// starter set. The first runbook with a given name wins, so a team's `disk-full.md`
/// replaces the built-in one.
///
/// Files are read on every call: runbooks change behind irctl's back (a `git pull`, an
/// edit) and the next command must see the change.
public struct RunbookLibrary: Sendable {
    /// Directories in priority order, first wins. Missing directories are skipped: the
    /// default places (a `runbooks/` beside the store) usually do not exist.
    public var directories: [String]
    public var includeBuiltins: Bool

    public init(directories: [String], includeBuiltins: Bool = true) {
        self.directories = directories
        self.includeBuiltins = includeBuiltins
    }

    /// The directories to search, in the documented lookup order: `--runbooks DIR`, then
    /// `IRCTL_RUNBOOKS` (several directories separated by `:`), then the store's
    /// configured `runbooks` directory (relative to the store), then `runbooks/` beside
    /// the store (for `.irctl/` that is the repository root). Duplicates are dropped.
    public static func searchDirectories(
        option: String?, environment: [String: String], storeDirectory: String?, configured: String?
    ) -> [String] {
        var result: [String] = []
        func add(_ path: String) {
            let clean = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
            if !clean.isEmpty, !result.contains(clean) { result.append(clean) }
        }
        if let option { add(option) }
        if let value = environment["IRCTL_RUNBOOKS"] {
            for part in value.split(separator: ":") { add(String(part)) }
        }
        if let store = storeDirectory {
            let storeURL = URL(fileURLWithPath: store).standardizedFileURL
            if let configured, !configured.isEmpty {
                add(
                    configured.hasPrefix("/")
                        ? configured
                        : storeURL.appendingPathComponent(configured).standardizedFileURL.path)
            }
            add(storeURL.deletingLastPathComponent().appendingPathComponent("runbooks").path)
        }
        return result
    }

    /// Every usable runbook, merged and sorted by name (overridden ones dropped), and the
    /// problems found in the files that were read.
    public func list() -> (runbooks: [Runbook], problems: [RunbookProblem]) {
        var seen = Set<String>()
        var runbooks: [Runbook] = []
        var problems: [RunbookProblem] = []
        for directory in directories {
            let (files, listing) = Self.files(in: directory)
            problems += listing
            for file in files where seen.insert(file.name).inserted {
                let (runbook, found) = Self.load(path: file.path, name: file.name)
                problems += found
                if let runbook { runbooks.append(runbook) }
            }
        }
        if includeBuiltins {
            for builtin in BuiltinRunbooks.all where seen.insert(builtin.name).inserted {
                let (runbook, found) = RunbookParser.parse(
                    builtin.markdown, name: builtin.name, source: RunbookFormat.builtinSource)
                problems += found
                if let runbook { runbooks.append(runbook) }
            }
        }
        return (runbooks.sorted { $0.name < $1.name }, problems)
    }

    /// The runbook called `name` (`disk-full` or `disk-full.md`) from the first place that has it.
    /// A broken team runbook is an error rather than a silent fall back to the built-in one.
    public func find(_ name: String) throws(RunbookError) -> Runbook {
        let name = try RunbookName.normalize(name)
        for directory in directories {
            let path = Self.join(directory, name + ".md")
            guard Self.isFile(path) else { continue }
            let text = try Self.read(path, name: name)
            let (runbook, problems) = RunbookParser.parse(text, name: name, source: path)
            guard let runbook else { throw .invalid(name: name, problems: problems) }
            return runbook
        }
        if includeBuiltins, let builtin = BuiltinRunbooks.all.first(where: { $0.name == name }) {
            let (runbook, problems) = RunbookParser.parse(
                builtin.markdown, name: name, source: RunbookFormat.builtinSource)
            guard let runbook else { throw .invalid(name: name, problems: problems) }
            return runbook
        }
        throw .notFound(name, available: list().runbooks.map(\.name))
    }

    /// Lints files and directories (every `*.md` in a directory except `README.md`).
    public static func lint(paths: [String]) -> [RunbookProblem] {
        lintReport(paths: paths).problems
    }

    /// Lints files and directories, and says how many runbook files were checked.
    public static func lintReport(paths: [String]) -> (checked: Int, problems: [RunbookProblem]) {
        var problems: [RunbookProblem] = []
        var checked = 0
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                problems.append(
                    RunbookProblem(
                        file: path, line: 1, message: "no such file or directory; check the path"))
                continue
            }
            if isDirectory.boolValue {
                let (files, listing) = files(in: path)
                problems += listing
                checked += files.count + listing.count
                for file in files { problems += load(path: file.path, name: file.name).problems }
            } else {
                let base = (path as NSString).lastPathComponent
                checked += 1
                problems +=
                    load(path: path, name: base.hasSuffix(".md") ? String(base.dropLast(3)) : base)
                    .problems
            }
        }
        return (checked, problems)
    }

    /// Lints the starter set compiled into this binary (problems name `built-in/NAME.md`).
    public static func lintBuiltins() -> (checked: Int, problems: [RunbookProblem]) {
        let problems = BuiltinRunbooks.all.flatMap { builtin in
            RunbookParser.parse(
                builtin.markdown, name: builtin.name, source: RunbookFormat.builtinSource
            ).problems
        }
        return (BuiltinRunbooks.all.count, problems)
    }

    // MARK: - Files

    static func join(_ directory: String, _ file: String) -> String {
        directory.hasSuffix("/") ? directory + file : directory + "/" + file
    }

    static func isFile(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            && !isDirectory.boolValue
    }

    /// The runbook files of a directory, sorted by name. Files whose names are not valid
    /// runbook names are reported, not loaded.
    static func files(
        in directory: String
    ) -> (files: [(name: String, path: String)], problems: [RunbookProblem]) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory),
            isDirectory.boolValue
        else {
            return ([], [])
        }
        let entries: [String]
        do {
            entries = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            return (
                [],
                [
                    RunbookProblem(
                        file: directory, line: 1,
                        message:
                            "cannot read directory: \(error.localizedDescription); check its "
                            + "permissions"
                    )
                ]
            )
        }
        var files: [(name: String, path: String)] = []
        var problems: [RunbookProblem] = []
        for entry in entries.sorted() where entry.hasSuffix(".md") && !entry.hasPrefix(".") {
            // README.md documents the format; it is not a runbook.
            if entry.lowercased() == "readme.md" { continue }
            let path = join(directory, entry)
            guard isFile(path) else { continue }
            let name = String(entry.dropLast(3))
            guard RunbookName.isValid(name) else {
                problems.append(
                    RunbookProblem(
                        file: path, line: 1,
                        message:
                            "invalid runbook name '\(name)'; rename the file using lower-case "
                            + "letters, digits and '-' (e.g. disk-full.md)"
                    ))
                continue
            }
            files.append((name, path))
        }
        return (files, problems)
    }

    static func read(_ path: String, name: String) throws(RunbookError) -> String {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw .unreadable(path: path, reason: error.localizedDescription)
        }
        let decoded = RunbookParser.decode(Array(data), file: path)
        guard let text = decoded.text else {
            throw .invalid(name: name, problems: decoded.problem.map { [$0] } ?? [])
        }
        return text
    }

    static func load(path: String, name: String) -> (runbook: Runbook?, problems: [RunbookProblem])
    {
        do {
            let text = try read(path, name: name)
            return RunbookParser.parse(text, name: name, source: path)
        } catch {
            switch error {
            case .invalid(_, let problems): return (nil, problems)
            default: return (nil, [RunbookProblem(file: path, line: 1, message: error.message)])
            }
        }
    }
}
