import Foundation

/// The tags and merge commits of a git repository as changes (`irctl change import --git`).
/// Each carries an import key (the tag or merge and its commit), so importing again, on this clone
/// or another, adds nothing new.
public struct ChangeImport: Sendable {
    public var git: Git
    public var services: [String]
    /// Only what happened at or after this time.
    public var since: Date?

    public init(directory: String, environment: [String: String], services: [String], since: Date?)
    {
        git = Git(directory: directory, environment: environment)
        self.services = services
        self.since = since
    }

    /// The repository's tags and merges as changes, oldest first; recorded at `now`.
    public func changes(now: Date) throws -> [ServiceChange] {
        guard try git.attempt(["rev-parse", "--git-dir"]).succeeded else {
            throw ChangeError.notARepository(git.directory)
        }
        var result: [ServiceChange] = []
        // Tags: the commit a tag points at (peeled), and when it was made (the tagger's date for
        // an annotated tag, else the commit's).
        let tags = try git.run([
            "for-each-ref",
            "--format=%(refname:short)%09%(objectname)%09%(*objectname)%09"
                + "%(creatordate:unix)%09%(taggername)%(authorname)%09%(subject)",
            "refs/tags",
        ])
        for line in tags.lines {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(
                String.init)
            guard fields.count >= 6, let seconds = Double(fields[3]) else { continue }
            let commit = fields[2].isEmpty ? fields[1] : fields[2]
            let at = Date(timeIntervalSince1970: seconds)
            if let since, at < since { continue }
            let subject = fields[5...].joined(separator: "\t")
            result.append(
                ServiceChange(
                    at: at, recordedAt: now, author: fields[4].isEmpty ? "git" : fields[4],
                    services: services, version: fields[0],
                    text: "tag \(fields[0])" + (subject.isEmpty ? "" : ": " + subject),
                    source: .gitTag, commit: commit,
                    importKey: "git-tag:\(fields[0]):\(commit)"))
        }
        // Merge commits on the branch checked out (none yet on an unborn branch).
        if try git.attempt(["rev-parse", "-q", "--verify", "HEAD^{commit}"]).succeeded {
            var arguments = ["log", "--merges", "--format=%H%x09%ct%x09%an%x09%s"]
            if let since { arguments.append("--since=@\(Int(since.timeIntervalSince1970))") }
            for line in try git.run(arguments + ["HEAD"]).lines {
                let fields = line.split(
                    separator: "\t", maxSplits: 3, omittingEmptySubsequences: false
                )
                .map(String.init)
                guard fields.count == 4, let seconds = Double(fields[1]) else { continue }
                result.append(
                    ServiceChange(
                        at: Date(timeIntervalSince1970: seconds), recordedAt: now,
                        author: fields[2].isEmpty ? "git" : fields[2], services: services,
                        text: fields[3].isEmpty ? "merge \(fields[0].prefix(12))" : fields[3],
                        source: .gitMerge, commit: fields[0], importKey: "git-merge:\(fields[0])"))
            }
        }
        return result.sorted(by: Store.changeOrder)
    }
}

/// Why a change could not be recorded or imported.
public enum ChangeError: DescribedError, Hashable, Sendable {
    case notARepository(String)

    public var isUsageError: Bool { true }

    public var message: String {
        switch self {
        case .notARepository(let path):
            "'\(ValueError.shown(path))' is not a git repository; give --git the directory of a "
                + "clone (the one holding .git)"
        }
    }
}
