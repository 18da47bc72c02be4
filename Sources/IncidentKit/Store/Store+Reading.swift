import Foundation
import Glibc

/// One store file read and decoded.
struct LoadedFile: Sendable {
    var path: String
    var file: ReplicaFile
}

/// An incident as read from its files: the projection, and the files it came from.
struct LoadedIncident: Sendable {
    var incident: Incident
    var files: [LoadedFile]
}

extension Store {
    /// An incident directory's name: its uid when that is a plain lowercase id (always, for
    /// incidents irctl opened), else a name derived from it, so no uid can name a path.
    static func directoryName(_ uid: String) -> String {
        if isPlainUID(uid) { return uid }
        let lower = uid.lowercased()
        if isPlainUID(lower) { return lower }
        return "x" + String(SHA256.hex(uid).prefix(32))
    }

    static func isPlainUID(_ name: String) -> Bool {
        (8...64).contains(name.utf8.count)
            && name.utf8.allSatisfy {
                ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x2D
            }
            && name.first != "-"
    }

    /// `<replica>.json` → replica, for the names irctl writes: 16 hex digits, or `legacy-` and 12.
    static func replicaName(ofFile name: String) -> String? { segment(ofFile: name)?.replica }

    /// A segment's file name → its replica and the seq its first entry has: `<replica>.json`
    /// starts at 1, `<replica>.<n>.json` at n (n ≥ 2, no leading zero).
    static func segment(ofFile name: String) -> (replica: String, start: Int)? {
        guard name.hasSuffix(".json") else { return nil }
        var base = Substring(name.dropLast(5))
        var start = 1
        if let dot = base.lastIndex(of: ".") {
            let digits = base[base.index(after: dot)...]
            guard (1...9).contains(digits.utf8.count), digits.first != "0",
                digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let n = Int(digits), n >= 2
            else { return nil }
            start = n
            base = base[..<dot]
        }
        func hex(_ s: Substring) -> Bool {
            s.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
        }
        if base.utf8.count == 16, hex(base) { return (String(base), start) }
        if start == 1, base.hasPrefix("legacy-"), base.utf8.count == 19, hex(base.dropFirst(7)) {
            return (String(base), start)
        }
        return nil
    }

    /// Reads every file of an incident's directory, plus any format-1 files holding the same
    /// incident, and projects them.
    func read(uid: String, format1: [String] = []) throws(StoreError) -> LoadedIncident {
        let loaded = try read(directoryName: Self.directoryName(uid), format1: format1)
        guard loaded.incident.uid == uid else { throw .noIncidentWithUID(uid, store: root) }
        return loaded
    }

    /// Reads the incident in `incidents/<name>/` (and format-1 files of the same incident); its
    /// uid is the one its files name, which must all agree.
    func read(
        directoryName name: String, format1: [String] = []
    ) throws(StoreError) -> LoadedIncident {
        let directory = incidentsDirectory + "/" + name
        var files: [LoadedFile] = []
        var uid: String?
        var st = stat()
        if lstat(directory, &st) == 0 {
            guard (st.st_mode & S_IFMT) == S_IFDIR else {
                if (st.st_mode & S_IFMT) == S_IFLNK { throw .symlinkRefused(path: directory) }
                throw .notRegularFile(path: directory, kind: FileSystem.kind(st.st_mode))
            }
            for (fileName, _) in FileSystem.list(directory).sorted(by: { $0.name < $1.name }) {
                guard let (replica, start) = Self.segment(ofFile: fileName) else { continue }
                let path = directory + "/" + fileName
                var file = try readReplicaFile(path)
                if let first = file.entries.first, first.replicaSeq != start {
                    throw .corruptIncident(
                        path: path,
                        reason: "its name says its first entry is "
                            + "number \(start) of the chain, but it is number \(first.replicaSeq)")
                }
                guard Self.directoryName(file.incident) == name, uid == nil || file.incident == uid
                else {
                    throw .corruptIncident(
                        path: path,
                        reason:
                            "it belongs to incident \(file.incident.prefix(40)), not \(uid ?? name)"
                    )
                }
                guard file.replica == replica else {
                    throw .corruptIncident(
                        path: path,
                        reason:
                            "it holds replica \(file.replica.prefix(40))'s entries, not "
                            + "\(replica)'s"
                    )
                }
                uid = file.incident
                file.replica = replica
                files.append(LoadedFile(path: path, file: file))
            }
        }
        for path in format1 {
            if let converted = try? convertedFormat1(path),
                Self.directoryName(converted.file.incident) == name,
                uid == nil || converted.file.incident == uid
            {
                uid = converted.file.incident
                files.append(converted)
            }
        }
        guard let uid, !files.isEmpty else { throw .noIncidentWithUID(name, store: root) }
        do {
            let incident = try Incident(uid: uid, projecting: files.flatMap(\.file.entries))
            return LoadedIncident(incident: incident, files: files)
        } catch {
            throw .corruptIncident(
                path: directory, reason: "none of its files holds the entry that opened it")
        }
    }

    /// The file this clone writes for an incident.
    func ownFilePath(of id: IncidentID) throws -> String {
        directory(of: try resolve(id)) + "/" + (try replicaID()) + ".json"
    }

    /// Reads and decodes one replica file, strictly.
    func readReplicaFile(_ path: String) throws(StoreError) -> ReplicaFile {
        guard let bytes = try FileSystem.read(path, limit: Self.maxIncidentFileSize) else {
            throw .corruptIncident(path: path, reason: "it disappeared while being read; retry")
        }
        guard !bytes.isEmpty else {
            throw .corruptIncident(path: path, reason: "the file is empty")
        }
        let json: JSONValue
        do throws(JSONParseError) {
            json = try JSONParser.parse(bytes)
        } catch {
            throw .corruptIncident(path: path, reason: error.reason)
        }
        do throws(ReplicaFile.FormatError) {
            return try ReplicaFile.decode(json)
        } catch {
            throw .corruptIncident(path: path, reason: error.reason)
        }
    }

    // MARK: Format 1

    /// The format-1 file `INC-<n>.json` as the format-2 file it converts to:
    /// `incidents/<uid>/legacy-<12 hex>.json`, holding its entries as they were (hashes included)
    /// and a last `migrated` entry with the rest of its state. The result depends only on the
    /// file's content, so every clone converting the same file writes the same bytes.
    func convertedFormat1(_ path: String) throws(StoreError) -> LoadedFile {
        guard let bytes = try FileSystem.read(path, limit: Self.maxIncidentFileSize) else {
            throw .corruptIncident(path: path, reason: "it disappeared while being read; retry")
        }
        guard !bytes.isEmpty else {
            throw .corruptIncident(path: path, reason: "the file is empty")
        }
        do throws(JSONParseError) {
            _ = try JSONParser.parse(bytes)
        } catch {
            throw .corruptIncident(path: path, reason: error.reason)
        }
        let old: Incident
        do {
            old = try JSONCoding.decoder().decode(Incident.self, from: Data(bytes))
        } catch {
            throw .corruptIncident(path: path, reason: Self.describe(error))
        }
        guard old.schemaVersion <= 1 else {
            throw .newerSchema(path: path, version: old.schemaVersion, supported: 1)
        }
        var entries: [TimelineEntry] = []
        var previous = ""
        for var entry in old.timeline {
            entry.isLegacy = true
            entry.replicaSeq = entry.seq
            entry.previous = previous
            previous = entry.hash
            entries.append(entry)
        }
        let replica =
            "legacy-"
            + String(
                (entries.last?.hash.isEmpty == false ? entries.last!.hash : SHA256.hex(old.uid))
                    .prefix(12))
        for i in entries.indices { entries[i].replica = replica }
        let state = old.stateWithoutTimeline
        let stateText: String
        do {
            let encoded = try JSONCoding.encoder().encode(state)
            stateText = JSONWriter.compact(try JSONParser.parse(Array(encoded)))
        } catch {
            throw .corruptIncident(
                path: path, reason: "its state could not be converted (\(Self.describe(error)))")
        }
        let when = old.timeline.last?.recordedAt ?? old.createdAt
        let change = IncidentChange.migrated(state: stateText, from: old.id.description)
        var migrated = TimelineEntry(
            seq: entries.count + 1, at: when, recordedAt: when, author: "irctl", kind: change.kind,
            text: "Converted from store format 1 (\(old.id), \(old.timeline.count) entries)",
            data: change.storedData.text, replica: replica,
            replicaSeq: entries.count + 1, parents: [], isLegacy: false, previous: previous)
        migrated.hash = migrated.expectedHash(incident: old.uid)
        entries.append(migrated)
        return LoadedFile(
            path: path, file: ReplicaFile(incident: old.uid, replica: replica, entries: entries))
    }

    /// Converts every format-1 file in `incidents/` (a store written by an older irctl, or a file
    /// an older teammate pushed) and removes it. Idempotent: converting a file again writes the
    /// same bytes. Under the lock.
    func convertFormat1Files() throws {
        let names = FileSystem.format1Names(incidentsDirectory)
        if !names.isEmpty {
            // The files written here are not segments recorded as open: the next sync stages
            // everything again.
            var state = readState()
            state.staged = nil
            try? writeState(state)
        }
        for name in names.sorted() {
            let path = incidentsDirectory + "/" + name
            // A file that can't be read stays as it is (list reports it); the others are converted.
            guard let converted = try? convertedFormat1(path) else { continue }
            let directory = directory(of: converted.file.incident)
            try FileSystem.makeDirectory(directory)
            let target = converted.file.replica + ".json"
            let bytes = converted.file.encoded()
            let existing =
                (try? FileSystem.read(directory + "/" + target, limit: Self.maxIncidentFileSize))
                .flatMap { $0 }
            if existing != bytes {
                try FileSystem.replace(directory: directory, name: target, with: bytes)
            }
            if unlink(path) != 0 { throw FileSystem.ioError(path, "remove the converted file") }
            FileSystem.syncDirectory(incidentsDirectory)
        }
    }

    // MARK: This clone

    /// This clone's replica id, made on first use: 16 random hex digits in `local/replica`, where
    /// git cannot write, so every clone writes its own files.
    public func replicaID() throws -> String {
        // An older irctl's state is moved first, or this clone would take a new identity.
        _ = movePrivateState()
        let path = localDirectory + "/replica"
        if let bytes = try FileSystem.read(path, limit: 256, what: "a replica id") {
            let id = String(decoding: bytes, as: UTF8.self).trimmingCharacters(
                in: .whitespacesAndNewlines)
            if Self.replicaName(ofFile: id + ".json") != nil, !id.hasPrefix("legacy-") { return id }
        }
        try FileSystem.makeDirectory(localDirectory)
        var generator = SystemRandomNumberGenerator()
        let id = (0..<8).map { _ in
            String(format: "%02x", UInt8.random(in: 0...255, using: &generator))
        }.joined()
        try FileSystem.replace(
            directory: localDirectory, name: "replica", with: Array((id + "\n").utf8))
        return id
    }

    /// The highest incident number this clone has handed out; numbers at or below it are never
    /// handed out again, even when their files are gone.
    func highestHandedOut() -> Int {
        guard
            let bytes =
                (try? FileSystem.read(localDirectory + "/state", limit: 4096, what: "local state"))
                .flatMap({ $0 })
        else { return 0 }
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1)
            if parts.count == 2, parts[0] == "highest", let n = Int(parts[1]),
                (0...IncidentID.maxNumber).contains(n)
            {
                return n
            }
        }
        return 0
    }

    func recordHighest(_ number: Int) throws {
        guard number > highestHandedOut() else { return }
        try FileSystem.makeDirectory(localDirectory)
        try FileSystem.replace(
            directory: localDirectory, name: "state", with: Array("highest=\(number)\n".utf8))
    }

    /// Makes the store private again (directories 0700, files 0600): a `git clone` or `git pull`
    /// checks files out with the umask's modes. Returns a warning when it can't.
    func tightenPermissions() -> [String] {
        var failed: [String] = []
        for path in [root, incidentsDirectory] {
            var st = stat()
            guard lstat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR, st.st_mode & 0o077 != 0
            else { continue }
            if chmod(path, 0o700) != 0 { failed.append(path) }
        }
        guard !failed.isEmpty else { return [] }
        return [
            "could not make \(failed.joined(separator: ", ")) private "
                + "(\(FileSystem.describe(errno))); "
                + "other users may read the store: fix its owner or modes"
        ]
    }

    /// Tightens every directory and file of the store (`irctl sync`, `init` in a repository).
    public func tightenAll() -> [String] {
        var warnings = tightenPermissions()
        for (name, _) in FileSystem.list(incidentsDirectory) {
            let directory = incidentsDirectory + "/" + name
            var st = stat()
            guard lstat(directory, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR else { continue }
            if st.st_mode & 0o077 != 0, chmod(directory, 0o700) != 0 {
                warnings.append("could not make \(directory) private")
            }
            for (file, identity) in FileSystem.list(directory) where identity != nil {
                let path = directory + "/" + file
                if lstat(path, &st) == 0, st.st_mode & 0o077 != 0, chmod(path, 0o600) != 0 {
                    warnings.append("could not make \(path) private")
                }
            }
        }
        for file in ["config.json", ".gitignore"] {
            var st = stat()
            let path = root + "/" + file
            if lstat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, st.st_mode & 0o077 != 0,
                chmod(path, 0o600) != 0
            {
                warnings.append("could not make \(path) private")
            }
        }
        return warnings
    }
}
