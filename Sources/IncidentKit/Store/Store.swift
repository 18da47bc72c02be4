import Foundation
import Glibc

/// Incidents as JSON files under one directory (DESIGN §3, §5).
///
///     <root>/config.json              optional settings
///     <root>/incidents/INC-<n>.json   one file per incident, pretty-printed, sorted keys
///     <root>/lock                     the write lock (flock)
///     <root>/cache/                   rebuildable: summary index, next id
///
/// Every change is a read-modify-write under the lock with an atomic, fsynced replace. Reads take
/// no lock and never write.
public struct Store: Sendable {
    public let root: String
    /// How long a writer waits for the lock before giving up with a message.
    public var lockTimeout: Double

    /// Incident files are small; anything larger than this is not one of ours.
    public static let maxIncidentFileSize = 32 * 1024 * 1024

    public init(root: String, lockTimeout: Double = 5) {
        self.root = root
        self.lockTimeout = lockTimeout
    }

    public var incidentsDirectory: String { root + "/incidents" }
    var cacheDirectory: String { root + "/cache" }
    public var configPath: String { root + "/config.json" }

    public func path(of id: IncidentID) -> String { incidentsDirectory + "/" + id.fileName }

    /// True once anything has been written here.
    public var exists: Bool { FileSystem.exists(root) }

    // MARK: Setup

    /// Creates the store's directories (0700) and a default `config.json` if there is none, plus a
    /// `.gitignore` so the lock and cache stay out of a team's repository. Returns false if a store
    /// was already there.
    @discardableResult
    public func initialize() throws -> Bool {
        let existed = FileSystem.exists(configPath)
        try FileSystem.makeDirectory(root)
        try FileSystem.makeDirectory(incidentsDirectory)
        try StoreLock(path: root + "/lock", timeout: lockTimeout).withLock {
            if !FileSystem.exists(configPath) {
                try FileSystem.replace(directory: root, name: "config.json", with: Self.encode(StoreConfig()))
            }
            if !FileSystem.exists(root + "/.gitignore") {
                try FileSystem.replace(directory: root, name: ".gitignore",
                                       with: Array("# Local to this machine; rebuilt from the incident files.\ncache/\nlock\n".utf8))
            }
        }
        return !existed
    }

    public func loadConfig() throws(StoreError) -> StoreConfig {
        guard let bytes = try FileSystem.read(configPath, limit: 1024 * 1024) else { return StoreConfig() }
        do {
            return try JSONCoding.decoder().decode(StoreConfig.self, from: Data(bytes))
        } catch {
            throw .badConfig(path: configPath, reason: Self.describe(error))
        }
    }

    // MARK: Reading (no lock, no writes)

    public func load(_ id: IncidentID) throws(StoreError) -> Incident {
        let path = path(of: id)
        guard let bytes = try FileSystem.read(path, limit: Self.maxIncidentFileSize) else {
            throw .incidentNotFound(id, store: root)
        }
        let incident = try Self.decode(bytes, path: path)
        guard incident.id == id else {
            throw .corruptIncident(path: path, reason: "it holds \(incident.id), not \(id)")
        }
        return incident
    }

    /// Every incident's summary, from the index where it is current and from the file where not.
    /// Files that can't be read are reported, and everything else still lists. With
    /// `includeClosed: false`, incidents the index knows to be closed are skipped without decoding.
    public func summaries(includeClosed: Bool = true) -> (summaries: [IncidentSummary], problems: [StoreProblem]) {
        let snapshot = readIndex().map(SummaryIndex.snapshot)
        var summaries: [IncidentSummary] = []
        var problems: [StoreProblem] = []
        for (number, identity) in FileSystem.incidentFiles(incidentsDirectory) {
            guard let id = IncidentID(number: number) else { continue }
            guard let identity else {
                problems.append(StoreProblem(path: path(of: id), error: .symlinkRefused(path: path(of: id))))
                continue
            }
            // Current only if the file is exactly the one the record was made from.
            if let slot = snapshot?.slots[number], slot.identity == identity {
                if slot.closed && !includeClosed { continue }
                if let summary = snapshot!.summary(slot) {
                    summaries.append(summary)
                    continue
                }
            }
            do {
                let summary = IncidentSummary(try load(id))
                if includeClosed || summary.isOpen { summaries.append(summary) }
            } catch {
                problems.append(StoreProblem(path: path(of: id), error: error))
            }
        }
        return (summaries, problems)
    }

    /// `INC-<n>.json` → n; anything else (`.INC-3.json.tmp`, `notes.txt`, `INC-07.json`) → nil.
    static func incidentID(fileName name: String) -> IncidentID? {
        FileSystem.incidentNumber(name).flatMap { IncidentID(number: $0) }
    }

    // MARK: Writing (under the lock)

    /// Opens a new incident with the next free id.
    public func create(_ make: (IncidentID) throws -> Incident) throws -> Incident {
        try FileSystem.makeDirectory(root)
        try FileSystem.makeDirectory(incidentsDirectory)
        return try StoreLock(path: root + "/lock", timeout: lockTimeout).withLock {
            var state = readState()
            let before = FileSystem.identity(incidentsDirectory)
            // The counter is a cache: files may have arrived by `git pull` since it was written. When the
            // directory changed behind our back, continue after the highest id there, never below it.
            var number = state.nextID ?? 1
            if state.nextID == nil || before?.changedNanoseconds != state.directoryModified {
                number = max(number, highestNumber() + 1)
            }
            while FileSystem.exists(incidentsDirectory + "/INC-\(number).json") { number += 1 }
            guard let id = IncidentID(number: number) else {
                throw StoreError.io(path: incidentsDirectory, operation: "allocate an id in", reason: "the id space is exhausted")
            }
            let incident = try make(id)
            let identity = try write(incident)
            state.nextID = number + 1
            try updateIndex(incident, identity: identity, state: &state, directoryBefore: before)
            return incident
        }
    }

    /// Reads the incident, applies `change`, and writes it back, all under the lock.
    /// Nothing is written when `change` throws.
    @discardableResult
    public func update(_ id: IncidentID, _ change: (inout Incident) throws -> Void) throws -> Incident {
        // No store yet means no such incident, not a lock file that can't be opened.
        guard exists else { throw StoreError.incidentNotFound(id, store: root) }
        return try StoreLock(path: root + "/lock", timeout: lockTimeout).withLock {
            var state = readState()
            let before = FileSystem.identity(incidentsDirectory)
            var incident = try load(id)
            guard incident.schemaVersion <= Incident.currentSchemaVersion else {
                throw StoreError.newerSchema(path: path(of: id), version: incident.schemaVersion,
                                             supported: Incident.currentSchemaVersion)
            }
            try change(&incident)
            incident.schemaVersion = Incident.currentSchemaVersion  // migrated on write
            let identity = try write(incident)
            try updateIndex(incident, identity: identity, state: &state, directoryBefore: before)
            return incident
        }
    }

    private func write(_ incident: Incident) throws -> FileIdentity {
        try FileSystem.replace(directory: incidentsDirectory, name: incident.id.fileName, with: Self.encode(incident))
    }

    // MARK: Index maintenance

    struct State {
        var nextID: Int?
        var directoryModified: Int64?
        var compactedSize: Int64 = 0
        /// The journal's line format; a journal of another format (an older irctl's) is rebuilt.
        var indexFormat: Int64?
    }

    private func readState() -> State {
        var state = State()
        guard let bytes = (try? FileSystem.read(cacheDirectory + "/state", limit: 4096)).flatMap({ $0 }) else { return state }
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, let value = Int64(parts[1]) else { continue }
            switch parts[0] {
            case "nextID": state.nextID = Int(value)
            case "directoryModified": state.directoryModified = value
            case "compactedSize": state.compactedSize = value
            case "indexFormat": state.indexFormat = value
            default: break
            }
        }
        return state
    }

    /// Appends the new summary to the journal, or rebuilds the journal when the directory changed
    /// behind irctl's back (a `git pull`) or the journal has grown to twice its compacted size.
    /// Cache files are not fsynced: they are checked against the incident files on every read.
    private func updateIndex(_ incident: Incident, identity: FileIdentity, state: inout State,
                             directoryBefore: FileIdentity?) throws {
        try FileSystem.makeDirectory(cacheDirectory)
        let indexPath = cacheDirectory + "/index"
        let journalSize = FileSystem.identity(indexPath)?.size
        let changedBehindOurBack = directoryBefore?.changedNanoseconds != state.directoryModified
        let otherFormat = state.indexFormat != Int64(SummaryIndex.format)
        if journalSize == nil || changedBehindOurBack || otherFormat || journalSize! > 2 * state.compactedSize + 256 * 1024 {
            state.compactedSize = Int64(try rebuildIndex().count)
        } else {
            let line = Array(SummaryIndex.line(IncidentSummary(incident), identity: identity).utf8)
            let fd = open(indexPath, O_WRONLY | O_APPEND | O_CLOEXEC | O_NOFOLLOW)
            if fd >= 0 {
                _ = line.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
                close(fd)
            }
        }
        state.directoryModified = FileSystem.identity(incidentsDirectory)?.changedNanoseconds
        try writeState(state)
    }

    private func writeState(_ state: State) throws {
        var text = ""
        if let next = state.nextID { text += "nextID=\(next)\n" }
        if let modified = state.directoryModified { text += "directoryModified=\(modified)\n" }
        text += "compactedSize=\(state.compactedSize)\n"
        text += "indexFormat=\(SummaryIndex.format)\n"
        try FileSystem.replace(directory: cacheDirectory, name: "state", with: Array(text.utf8), durable: false)
    }

    /// The cache journal's bytes, or nil when there is none or it can't be read (it is only a cache).
    private func readIndex() -> [UInt8]? {
        (try? FileSystem.read(cacheDirectory + "/index", limit: 1 << 30)).flatMap { $0 }
    }

    /// Writes a fresh journal from the incident files, and clears stray temporary files a crashed
    /// writer left behind.
    @discardableResult
    func rebuildIndex() throws -> [UInt8] {
        var text = SummaryIndex.header
        let cached = readIndex().map(SummaryIndex.parse) ?? [:]
        for (name, identity) in FileSystem.list(incidentsDirectory) {
            if name.hasPrefix("."), name.hasSuffix(".tmp") {
                unlink(incidentsDirectory + "/" + name)
                continue
            }
            guard let id = Self.incidentID(fileName: name), let identity else { continue }
            if let record = cached[id.number], record.identity == identity {
                text += SummaryIndex.line(record.summary, identity: identity)
            } else if let incident = try? load(id) {
                text += SummaryIndex.line(IncidentSummary(incident), identity: identity)
            }
        }
        let bytes = Array(text.utf8)
        try FileSystem.makeDirectory(cacheDirectory)
        try FileSystem.replace(directory: cacheDirectory, name: "index", with: bytes, durable: false)
        return bytes
    }

    /// Rebuilds the cache from the incident files (`irctl reindex`).
    public func reindex() throws -> Int {
        try StoreLock(path: root + "/lock", timeout: lockTimeout).withLock {
            var state = readState()
            state.nextID = highestNumber() + 1
            let bytes = try rebuildIndex()
            state.compactedSize = Int64(bytes.count)
            state.directoryModified = FileSystem.identity(incidentsDirectory)?.changedNanoseconds
            try writeState(state)
            return bytes.split(separator: 0x0A).count - 1
        }
    }

    private func highestNumber() -> Int {
        FileSystem.list(incidentsDirectory).compactMap { Self.incidentID(fileName: $0.name)?.number }.max() ?? 0
    }

    // MARK: Encoding

    static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        Array(try JSONCoding.encoder().encode(value)) + [0x0A]
    }

    static func decode(_ bytes: [UInt8], path: String) throws(StoreError) -> Incident {
        guard !bytes.isEmpty else { throw .corruptIncident(path: path, reason: "the file is empty") }
        guard String(validating: bytes, as: UTF8.self) != nil else {
            throw .corruptIncident(path: path, reason: "not valid UTF-8")
        }
        do {
            return try JSONCoding.decoder().decode(Incident.self, from: Data(bytes))
        } catch {
            throw .corruptIncident(path: path, reason: describe(error))
        }
    }

    static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "not valid JSON" }
        func at(_ path: [any CodingKey]) -> String {
            path.isEmpty ? "" : " at " + path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "not valid JSON" : context.debugDescription + at(context.codingPath)
        case .keyNotFound(let key, let context):
            return "missing field '\(key.stringValue)'" + at(context.codingPath)
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "wrong type" + at(context.codingPath)
        @unknown default:
            return "not valid JSON"
        }
    }
}
