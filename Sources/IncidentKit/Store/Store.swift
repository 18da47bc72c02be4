import Foundation
import Glibc

/// Incidents as JSON files under one directory, laid out so that clones of it kept in git never
/// conflict (store format 2):
///
///     <root>/config.json                      settings (tracked)
///     <root>/.gitignore                       keeps the local parts below out of git (tracked)
///     <root>/incidents/<uid>/<replica>.json   one incident's entries written by one replica
/// (tracked)
///     <private>/local/replica                 this clone's replica id
///     <private>/local/state                   the highest incident number this clone handed out
///     <root>/lock                             the write lock (flock)
///     <private>/cache/                        rebuildable: summary index, id map
///
/// `<private>` is where git cannot write: `<git directory>/irctl/<the store's path in the work
/// tree>` when the store is in a git work tree (a teammate's push could otherwise replace this
/// clone's identity, or make it publish its state), else the store itself.
///
/// A replica is a clone of the store; each writes only its own file in each incident's directory,
/// so two clones' changes to one incident are two files, which git merges without asking anyone.
/// An incident is the projection of the entries of all its files.
///
/// Every change is a read-modify-write under the lock with an atomic, fsynced replace. Reads take
/// no lock and never change an incident; they refresh a stale cache only when the lock is free.
public struct Store: Sendable {
    public let root: String
    /// How long a writer waits for the lock before giving up with a message.
    public var lockTimeout: Double

    /// The largest store file irctl reads; a write that would make a larger one is refused.
    public static let maxIncidentFileSize = 32 * 1024 * 1024
    public static let maxConfigSize = 1024 * 1024

    /// Where this clone's own state and the cache live, when not in the store (see above).
    let privateDirectory: String?

    public init(root: String, lockTimeout: Double = 5) {
        self.root = root
        self.lockTimeout = lockTimeout
        privateDirectory = GitPlace.containing(root).map { $0.privateDirectory(for: root) }
    }

    public var incidentsDirectory: String { root + "/incidents" }
    var cacheDirectory: String { (privateDirectory ?? root) + "/cache" }
    /// This clone's own state: its replica id, numbers handed out, open segments, chain heads.
    var localDirectory: String { (privateDirectory ?? root) + "/local" }
    public var configPath: String { root + "/config.json" }
    var lock: StoreLock { StoreLock(path: root + "/lock", timeout: lockTimeout) }

    /// The directory of the incident with this uid.
    public func directory(of uid: String) -> String {
        incidentsDirectory + "/" + Self.directoryName(uid)
    }

    /// True once anything has been written here.
    public var exists: Bool { FileSystem.exists(root) }

    static let gitignore =
        "# Local to this clone; rebuilt or recreated as needed.\ncache/\nlock\nlocal/\n"

    // MARK: Setup

    /// Creates the store's directories (0700) and a default `config.json` if there is none, plus a
    /// `.gitignore` so the lock, cache and local state stay out of a team's repository. Returns
    /// false if a store was already there.
    @discardableResult
    public func initialize() throws -> Bool {
        let existed = FileSystem.exists(configPath)
        try FileSystem.makeDirectory(root)
        try FileSystem.makeDirectory(incidentsDirectory)
        try lock.withLock {
            if !FileSystem.exists(configPath) {
                try FileSystem.replace(
                    directory: root, name: "config.json", with: Self.encode(StoreConfig()))
            }
            try writeGitignore()
        }
        return !existed
    }

    /// Adds the entries the store needs to its `.gitignore`, keeping any a person added.
    func writeGitignore() throws {
        let path = root + "/.gitignore"
        let existing = (try? FileSystem.read(path, limit: 65536)).flatMap { $0 }.map {
            String(decoding: $0, as: UTF8.self)
        }
        guard let existing else {
            try FileSystem.replace(
                directory: root, name: ".gitignore", with: Array(Self.gitignore.utf8))
            return
        }
        let lines = Set(
            existing.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) })
        let missing = ["cache/", "lock", "local/"].filter {
            !lines.contains($0) && !lines.contains("/" + $0)
        }
        guard !missing.isEmpty else { return }
        let text =
            existing + (existing.hasSuffix("\n") || existing.isEmpty ? "" : "\n")
            + missing.joined(separator: "\n") + "\n"
        try FileSystem.replace(directory: root, name: ".gitignore", with: Array(text.utf8))
    }

    public func loadConfig() throws(StoreError) -> StoreConfig {
        guard
            let bytes = try FileSystem.read(
                configPath, limit: Self.maxConfigSize, what: "a store configuration")
        else {
            return StoreConfig()
        }
        // Parsed strictly first: a duplicate key would mean different settings to different
        // readers.
        do throws(JSONParseError) {
            _ = try JSONParser.parse(bytes)
        } catch {
            throw .badConfig(path: configPath, reason: error.reason)
        }
        do {
            return try JSONCoding.decoder().decode(StoreConfig.self, from: Data(bytes))
        } catch {
            throw .badConfig(path: configPath, reason: Self.describe(error))
        }
    }

    // MARK: Reading one incident (no lock, no writes)

    /// The incident with this number (or a former number of it, or its uid prefix given as an id).
    public func load(_ id: IncidentID) throws(StoreError) -> Incident {
        try loadNoting(id).incident
    }

    /// The same, with what the store has to say about the number it shows it under.
    public func loadNoting(_ id: IncidentID) throws(StoreError) -> StoredIncident {
        let place = try locate(id)
        return try settled(
            try read(uid: place.uid, format1: place.format1).incident, asked: id, place: place)
    }

    /// The incident with this uid.
    public func load(uid: String) throws(StoreError) -> Incident {
        try read(uid: uid).incident
    }

    // MARK: Writing (under the lock)

    /// Opens a new incident with the next free number. `make` builds it in memory; the store
    /// writes it as this replica's.
    public func create(_ make: (IncidentID) throws -> Incident) throws -> StoredIncident {
        try FileSystem.makeDirectory(root)
        try FileSystem.makeDirectory(incidentsDirectory)
        return try lock.withLock {
            var notices = try prepareForWrite()
            let replica = try replicaID()
            let directoryBefore = FileSystem.identity(incidentsDirectory)?.changedNanoseconds
            let number = try nextNumber()
            guard let id = IncidentID(number: number) else {
                throw StoreError.io(
                    path: incidentsDirectory, operation: "allocate an id in",
                    reason: "the id space is exhausted")
            }
            var incident = try make(id)
            guard !FileSystem.exists(directory(of: incident.uid)) else {
                throw StoreError.io(
                    path: directory(of: incident.uid), operation: "create",
                    reason: "an incident with this uid exists already")
            }
            incident.adopt(writer: replica)
            try FileSystem.makeDirectory(directory(of: incident.uid))
            try writeOwnEntries(of: incident, files: [])
            // The incident is stored: what follows only speeds up later commands, and its failure
            // is a warning, never a failed command.
            notices += afterWrite {
                try recordHighest(number)
                try recordOwnHead(of: incident)
                try recordInIndex(incident, directoryBefore: directoryBefore)
            }
            return StoredIncident(incident: incident, notices: notices)
        }
    }

    /// Reads the incident, applies `change`, and writes what it recorded, all under the lock.
    /// Nothing is written when `change` throws.
    @discardableResult
    public func update(
        _ id: IncidentID, _ change: (inout Incident) throws -> Void
    ) throws -> StoredIncident {
        // No store yet, no incident: say that, not that the lock file can't be opened.
        guard FileSystem.exists(incidentsDirectory) else {
            throw StoreError.incidentNotFound(id, store: root)
        }
        return try lock.withLock {
            var notices = try prepareForWrite()
            let place = try locate(id)
            var loaded = try read(uid: place.uid, format1: place.format1)
            if loaded.incident.id.number != place.number, !loaded.incident.aliases.contains(id),
                place.renumberedFrom == nil,
                loaded.incident.id != id
            {
                let again = try locate(id, thorough: true)
                loaded = try read(uid: again.uid, format1: again.format1)
            }
            if let newer = loaded.files.first(where: {
                $0.file.schemaVersion > ReplicaFile.schemaVersion
            }) {
                throw StoreError.newerSchema(
                    path: newer.path, version: newer.file.schemaVersion,
                    supported: ReplicaFile.schemaVersion)
            }
            let settled = try settled(loaded.incident, asked: id, place: place)
            var incident = settled.incident.writing(as: try replicaID())
            let cut = continueAfterOwnHead(&incident)
            let before = incident.timeline.count
            try change(&incident)
            guard incident.timeline.count > before else {
                return StoredIncident(incident: incident, notices: settled.notices)
            }
            try writeOwnEntries(of: incident, files: loaded.files)
            if let cut { notices.append(cut) }
            notices += afterWrite {
                try recordOwnHead(of: incident)
                try recordInIndex(incident)
            }
            return StoredIncident(incident: incident, notices: notices)
        }
    }

    /// Writes this replica's new entries of the incident: into its open segment when it has one
    /// (started since git last touched the index), else into a new segment, so that no file git
    /// may have seen is ever changed. `files` are the incident's files as read under the lock.
    func writeOwnEntries(of incident: Incident, files: [LoadedFile]) throws {
        let name = Self.directoryName(incident.uid)
        let directory = incidentsDirectory + "/" + name
        let own = incident.timeline.filter { $0.replica == incident.writer && !$0.isLegacy }
            .sorted { $0.replicaSeq < $1.replicaSeq }
        let onDisk = files.filter {
            $0.file.replica == incident.writer && $0.path.hasPrefix(directory + "/")
        }
        let written = onDisk.flatMap(\.file.entries).map(\.replicaSeq).max() ?? 0
        guard let firstNew = own.first(where: { $0.replicaSeq > written }) else { return }
        let stamp = OpenSegments.stamp(root: root)
        var open = OpenSegments.read(local: localDirectory, stamp: stamp)
        let last = onDisk.max { $0.file.start < $1.file.start }
        var segment = ReplicaFile(incident: incident.uid, replica: incident.writer, entries: [])
        if let last,
            stamp == OpenSegments.outsideGit
                || open.paths.contains(name + "/" + last.file.fileName),
            last.file.entries.last?.replicaSeq == firstNew.replicaSeq - 1
        {
            segment = last.file
        } else {
            segment.previous = firstNew.previous
        }
        segment.schemaVersion = ReplicaFile.schemaVersion
        let start = segment.entries.first?.replicaSeq ?? firstNew.replicaSeq
        segment.entries = own.filter { $0.replicaSeq >= start }
        let bytes = segment.encoded()
        let fileName = segment.fileName
        guard bytes.count <= Self.maxIncidentFileSize else {
            throw StoreError.writeTooLarge(
                incident.id, path: directory + "/" + fileName, size: bytes.count,
                limit: Self.maxIncidentFileSize)
        }
        try FileSystem.makeDirectory(directory)
        // A directory git checked out with the umask's mode is made private as it is written to.
        var st = stat()
        if lstat(directory, &st) == 0, st.st_mode & 0o077 != 0 { chmod(directory, 0o700) }
        if stamp != OpenSegments.outsideGit, !open.paths.contains(name + "/" + fileName) {
            // Recorded before the segment exists: a crash between the two leaves a record of a
            // file that isn't there, never a file that would be taken as sealed and left.
            open.paths.insert(name + "/" + fileName)
            try open.write(local: localDirectory)
        }
        markWriting()
        try FileSystem.replace(directory: directory, name: fileName, with: bytes)
    }

    /// Runs the bookkeeping after a committed write; a failure becomes a notice saying the change
    /// is stored.
    private func afterWrite(_ body: () throws -> Void) -> [String] {
        do {
            try body()
            return []
        } catch {
            let reason = (error as? any DescribedError)?.message ?? String(describing: error)
            return [
                "the change is stored, but the cache under \(cacheDirectory) could not be updated "
                    + "(\(reason)); "
                    + "later commands read the incident files instead. 'irctl reindex' rebuilds "
                    + "the cache"
            ]
        }
    }

    /// What every write does first: convert format-1 files, clear what crashed writers left, make
    /// sure the store's directories are private.
    private func prepareForWrite() throws -> [String] {
        var notices = movePrivateState()
        if !format1FilesImpossible() { try convertFormat1Files() }
        // A cache file a killed writer or `reindex` left half-written (`.index.tmp`) goes now.
        removeStrayTemporaryFiles(cacheDirectory)
        notices += tightenPermissions()
        return notices
    }

    // MARK: Encoding

    static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        Array(try JSONCoding.encoder().encode(value)) + [0x0A]
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? JSONParseError { return error.reason }
        guard let error = error as? DecodingError else { return "not valid JSON" }
        func at(_ path: [any CodingKey]) -> String {
            path.isEmpty
                ? ""
                : " at "
                    + path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(
                        separator: ".")
        }
        switch error {
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                // Foundation's own words for a value of an enumeration are not for people.
                return "not valid JSON"
            }
            let detail =
                context.debugDescription.hasPrefix("Cannot initialize")
                ? "a value irctl does not know" : context.debugDescription
            return detail + at(context.codingPath)
        case .keyNotFound(let key, let context):
            return "missing field '\(key.stringValue)'" + at(context.codingPath)
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "wrong type" + at(context.codingPath)
        @unknown default:
            return "not valid JSON"
        }
    }
}
