import Foundation
import Glibc

/// Builds the static site from the store into an output folder, incrementally: the manifest in
/// the folder says what the last build read and wrote, so after one change only that incident is
/// read again and only the files whose bytes differ are rewritten. Reads the store only.
public struct SiteBuilder: Sendable {
    public struct Options: Sendable {
        public var output: String
        /// Only `status/`: the public status page, safe to publish.
        public var isPublic: Bool
        /// Only incidents detected at or after this time.
        public var since: Date?
        /// The "now" of the pages; nil for the latest time the store records.
        public var asOf: Date?

        public init(output: String, isPublic: Bool = false, since: Date? = nil, asOf: Date? = nil) {
            self.output = output
            self.isPublic = isPublic
            self.since = since
            self.asOf = asOf
        }
    }

    public struct Report: Sendable {
        /// Incidents in the site, and how many of them were read again (new or changed).
        public var incidents = 0
        public var rebuilt = 0
        /// Files written (new or different bytes), left as they were, and removed.
        public var written = 0
        public var unchanged = 0
        public var removed = 0
        public var problems: [StoreProblem] = []
        /// Things worth saying that stopped nothing, such as a component service no incident names.
        public var warnings: [String] = []
    }

    /// Bumped when the pages change shape, so an older build's manifest is not trusted.
    static let rendererVersion = "1"

    /// The running program's file identity: a new or rebuilt irctl may draw pages differently,
    /// so it trusts nothing an earlier binary built (one `stat`, no reading of the binary).
    static var programIdentity: String {
        var st = stat()
        guard stat("/proc/self/exe", &st) == 0 else { return "unknown" }
        return "\(st.st_ino):\(st.st_size):\(st.st_mtim.tv_sec).\(st.st_mtim.tv_nsec)"
    }

    public var store: Store
    public var config: StoreConfig

    public init(store: Store, config: StoreConfig) {
        self.store = store
        self.config = config
    }

    /// Checks the output folder before anything is read: not in the store, not around it, and
    /// writable (created if missing).
    public static func prepareOutput(_ output: String, store: Store) throws(SiteError) {
        let storePath = StoreLocation.canonical(store.root)
        if ExportFile.isInside(output, store.root) {
            throw .insideStore(path: output, store: storePath)
        }
        if FileSystem.exists(store.root), ExportFile.isInside(store.root, output) {
            throw .containsStore(path: output, store: storePath)
        }
        var prefix = output.hasPrefix("/") ? "/" : ""
        for component in output.split(separator: "/") {
            prefix += (prefix.isEmpty || prefix.hasSuffix("/") ? "" : "/") + component
            var st = stat()
            if stat(prefix, &st) == 0 {
                guard (st.st_mode & S_IFMT) == S_IFDIR else {
                    throw .notWritable(path: output, reason: "\(prefix) is a file, not a folder")
                }
                continue
            }
            guard mkdir(prefix, 0o777) == 0 || errno == EEXIST else {
                throw .notWritable(
                    path: output,
                    reason: "could not create \(prefix): "
                        + String(cString: strerror(errno)))
            }
        }
        guard access(output, W_OK | X_OK) == 0 else {
            throw .notWritable(path: output, reason: String(cString: strerror(errno)))
        }
    }

    public func build(_ options: Options) throws -> Report {
        try Self.prepareOutput(options.output, store: store)
        let statusConfig = try StatusPageConfig(config: config)
        let filter = PublicFilter(redactor: try config.redactor())
        let scheme = config.severityScheme
        let out = SiteOutput(root: options.output)
        var report = Report()

        let configBytes =
            (try? FileSystem.read(
                store.configPath,
                limit: Store.maxConfigSize)) ?? nil
        let key = [
            Self.rendererVersion, Self.programIdentity, options.isPublic ? "public" : "full",
            SHA256.hex(configBytes ?? []),
        ].joined(separator: "|")
        let previous = out.read(SiteManifest.fileName).flatMap { SiteManifest.parse($0, key: key) }
        var manifest = SiteManifest(key: key)

        let (all, problems) = store.summaries()
        report.problems = problems
        let summaries =
            all
            .filter { summary in options.since.map { summary.detectedAt >= $0 } ?? true }
            .sorted { $0.id.number < $1.id.number }
        report.incidents = summaries.count

        // Which incidents changed. Every change irctl makes (and every pull) appends entries and
        // replaces a file by a rename, which changes the incident's directory: its summary (number,
        // entry count, last write) and one `stat` of the directory tell, without listing files.
        var todo: [(summary: IncidentSummary, fingerprint: String)] = []
        for summary in summaries {
            var st = stat()
            let directory = store.directory(of: summary.uid)
            let identity =
                lstat(directory, &st) == 0
                ? "\(st.st_ino):\(st.st_ctim.tv_sec).\(st.st_ctim.tv_nsec)" : "-"
            // Hashed: a public build's folder is published, manifest included, and says nothing.
            let fingerprint = SHA256.hex(
                "\(summary.id)|\(summary.entryCount)|"
                    + "\(Timestamp.format(summary.updatedAt))|\(summary.phase)|\(identity)")
            let page = IncidentPage.fileName(summary.id)
            if let record = previous?.records[summary.uid], record.fingerprint == fingerprint,
                options.isPublic || out.exists(page)
            {
                manifest.records[summary.uid] = record
            } else {
                todo.append((summary, fingerprint))
            }
        }
        report.rebuilt = todo.count
        let work = todo

        try out.makeFolders(
            options.isPublic
                ? ["status/assets", "status/api/v2"]
                : ["assets", "incidents", "status/assets", "status/api/v2"])
        let results = Self.parallel(todo.count) { index -> Result<(SiteRecord, Bool), any Error> in
            let (summary, fingerprint) = work[index]
            do {
                let incident = try store.load(uid: summary.uid)
                let record = SiteRecord(
                    uid: summary.uid, fingerprint: fingerprint,
                    incident: incident,
                    filter: filter, isPublic: options.isPublic)
                var wrote = false
                if !options.isPublic {
                    let shown = incident.numbered(summary.id)
                    let html = IncidentPage(incident: shown, scheme: scheme).render()
                    wrote = try out.write(IncidentPage.fileName(summary.id), Array(html.utf8))
                }
                return .success((record, wrote))
            } catch {
                return .failure(error)
            }
        }
        for (index, result) in results.enumerated() {
            switch result {
            case .success(let (record, wrote)):
                manifest.records[record.uid] = record
                if options.isPublic { continue }
                if wrote { report.written += 1 } else { report.unchanged += 1 }
            case .failure(let error as StoreError):
                let summary = todo[index].summary
                report.problems.append(
                    StoreProblem(
                        path: Store.problemPath(error)
                            ?? store.directory(of: summary.uid), error: error))
            case .failure(let error):
                throw error
            }
        }
        // Pages of unreadable incidents are left out, never half-drawn.
        let readable = summaries.filter { manifest.records[$0.uid] != nil }
        if !options.isPublic {
            manifest.files = readable.map { IncidentPage.fileName($0.id) }
            report.unchanged += readable.count - todo.count
        }

        let asOf = options.asOf ?? all.map(\.updatedAt).max() ?? Date(timeIntervalSince1970: 0)
        let data = SiteData(
            summaries: readable, records: manifest.records, scheme: scheme,
            asOf: asOf)
        let status = StatusSite(config: statusConfig, data: data)
        var files: [(String, String)] = [
            ("status/index.html", status.html()), ("status/feed.atom", status.atom()),
            ("status/api/v2/summary.json", status.summaryJSON()),
            ("status/api/v2/incidents.json", status.incidentsJSON()),
            ("status/assets/site.css", SiteAssets.css), ("status/assets/site.js", SiteAssets.js),
        ]
        if !options.isPublic {
            files += [
                ("index.html", IndexPage(data: data).render()),
                ("archive.html", ArchivePage(data: data).render()),
                ("metrics.html", MetricsPage(data: data).render()),
                ("assets/site.css", SiteAssets.css), ("assets/site.js", SiteAssets.js),
            ]
        }
        for (path, text) in files {
            if try out.write(
                path,
                Array(text.utf8))
            {
                report.written += 1
            } else {
                report.unchanged += 1
            }
            manifest.files.append(path)
        }
        // What the last build wrote and this one did not: an incident renumbered or left out by
        // --since, or the internal pages when this build is --public.
        let kept = Set(manifest.files)
        for path in previous?.files ?? [] where !kept.contains(path) && SiteOutput.isOurs(path) {
            if out.remove(path) { report.removed += 1 }
        }
        if options.isPublic {
            // The folders of an earlier full build, once empty (rmdir leaves anything else be).
            for folder in ["incidents", "assets"] { rmdir(options.output + "/" + folder) }
        }
        _ = try out.write(SiteManifest.fileName, Array(manifest.serialized().utf8))

        let services = Set(all.flatMap(\.services))
        for component in statusConfig.components {
            for service in component.services where !services.contains(service) {
                report.warnings.append(
                    "status page component '\(component.name)' names service "
                        + "'\(service)', which no incident has; check statusPage "
                        + "in config.json")
            }
        }
        return report
    }

    /// Runs `body` for 0..<count on every core, results in order.
    static func parallel<T: Sendable>(_ count: Int, _ body: @Sendable (Int) -> T) -> [T] {
        guard count > 1 else { return (0..<count).map(body) }
        let box = ResultBox<T>(count)
        // Twice the cores: while one worker waits on a read or a write, another draws.
        let workers = min(count, max(1, 2 * ProcessInfo.processInfo.activeProcessorCount))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var index = worker
            while index < count {
                box.set(index, body(index))
                index += workers
            }
        }
        return box.values.map { $0! }
    }
}

/// Results filled in from several threads, each index by one thread only.
final class ResultBox<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var values: [T?]
    init(_ count: Int) { values = Array(repeating: nil, count: count) }
    func set(_ index: Int, _ value: T) {
        lock.lock()
        values[index] = value
        lock.unlock()
    }
}

/// The output folder: files replaced atomically (a temporary file renamed over the old one) and
/// only when their bytes differ, readable by a web server (0666 minus the umask).
struct SiteOutput: Sendable {
    var root: String

    /// Paths a build writes, so cleaning up never touches anything else in the folder.
    static func isOurs(_ path: String) -> Bool {
        guard !path.contains(".."), !path.hasPrefix("/") else { return false }
        return (path.hasPrefix("incidents/INC-") && path.hasSuffix(".html"))
            || [
                "index.html", "archive.html", "metrics.html", "assets/site.css", "assets/site.js",
                "status/index.html", "status/feed.atom", "status/api/v2/summary.json",
                "status/api/v2/incidents.json", "status/assets/site.css", "status/assets/site.js",
            ]
            .contains(path)
    }

    func exists(_ path: String) -> Bool { FileSystem.exists(root + "/" + path) }

    func read(_ path: String) -> [UInt8]? {
        (try? FileSystem.read(root + "/" + path, limit: 1 << 30, what: "a site file")) ?? nil
    }

    func makeFolders(_ paths: [String]) throws(SiteError) {
        for path in paths {
            var prefix = root
            for component in path.split(separator: "/") {
                prefix += "/" + component
                if mkdir(prefix, 0o777) != 0, errno != EEXIST {
                    throw .notWritable(
                        path: root,
                        reason: "could not create \(prefix): "
                            + String(cString: strerror(errno)))
                }
            }
        }
    }

    /// Writes `bytes` unless the file already holds exactly them; true when it wrote.
    func write(_ path: String, _ bytes: [UInt8]) throws(SiteError) -> Bool {
        let full = root + "/" + path
        var st = stat()
        if lstat(full, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, Int(st.st_size) == bytes.count,
            read(path) == bytes
        {
            return false
        }
        let temporary =
            FileSystem.parentDirectory(of: full) + "/.tmp-" + String(getpid()) + "-"
            + (full.split(separator: "/").last.map(String.init) ?? "file")
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o666)
        guard fd >= 0 else {
            throw .notWritable(
                path: root,
                reason: "could not write \(path): "
                    + String(cString: strerror(errno)))
        }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes {
                Glibc.write(
                    fd, $0.baseAddress! + written,
                    $0.count - written)
            }
            if n < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                close(fd)
                unlink(temporary)
                throw .notWritable(path: root, reason: "could not write \(path): " + reason)
            }
            written += n
        }
        close(fd)
        guard rename(temporary, full) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw .notWritable(path: root, reason: "could not write \(path): " + reason)
        }
        return true
    }

    func remove(_ path: String) -> Bool { unlink(root + "/" + path) == 0 }
}
