import Foundation

/// A change to production: a deploy, a config change, a feature flag, a release tag. Kept in the
/// store as one immutable file, so clones that record changes offline never conflict; each
/// replica's changes form a hash chain, checked by `irctl verify`.
public struct ServiceChange: Hashable, Sendable {
    public static let schemaVersion = 1

    /// Where a change came from.
    public enum Source: String, Hashable, Sendable, CaseIterable {
        /// `irctl change record`.
        case record
        /// A tag of a git repository (`change import --git`).
        case gitTag = "git-tag"
        /// A merge commit of a git repository (`change import --git`).
        case gitMerge = "git-merge"
    }

    public var uid: String
    /// When the change happened (a recorded command's start; a commit's time).
    public var at: Date
    public var recordedAt: Date
    public var author: String
    public var services: [String]
    public var version: String?
    public var text: String
    public var source: Source
    /// The git commit the change is, or was made from.
    public var commit: String?
    /// The command `change record` ran, with its outcome.
    public var command: String?
    public var exitStatus: Int32?
    public var signal: Int32?
    public var durationMs: Int?
    /// What makes an imported change the same on a second import (`git-tag:v1.2:<commit>`).
    public var importKey: String?

    /// The replica (clone) whose chain holds it, its position there, and the previous hash.
    public var replica: String = ""
    public var replicaSeq: Int = 0
    public var previous: String = ""
    public var hash: String = ""
    /// Fields a newer irctl wrote: kept, and covered by the hash.
    var unknownFields: [String: JSONValue] = [:]

    public init(
        uid: String = UUID().uuidString.lowercased(), at: Date, recordedAt: Date, author: String,
        services: [String], version: String? = nil, text: String, source: Source,
        commit: String? = nil, command: String? = nil, exitStatus: Int32? = nil,
        signal: Int32? = nil, durationMs: Int? = nil, importKey: String? = nil
    ) {
        self.uid = uid
        self.at = Timestamp.wholeSeconds(at)
        self.recordedAt = Timestamp.wholeSeconds(recordedAt)
        self.author = author
        self.services = services
        self.version = version
        self.text = text
        self.source = source
        self.commit = commit
        self.command = command
        self.exitStatus = exitStatus
        self.signal = signal
        self.durationMs = durationMs
        self.importKey = importKey
    }

    /// The file's name in `changes/`.
    public var fileName: String { uid + ".json" }

    /// Whether the command it ran succeeded (true when it ran none).
    public var succeeded: Bool { signal == nil && (exitStatus ?? 0) == 0 }

    /// One line: `deploy checkout v2.4.1: message (exit 0, 12s)`.
    public var line: String {
        var text = self.text
        if let version, !text.contains(version) {
            text = version + (text.isEmpty ? "" : ": " + text)
        }
        if !services.isEmpty { text = services.joined(separator: ", ") + " " + text }
        if let signal {
            text += " (killed by signal \(signal))"
        } else if let exitStatus {
            text +=
                " (exit \(exitStatus)"
                + (durationMs.map { ", " + DurationFormat.long(Double($0) / 1000) } ?? "") + ")"
        }
        return text
    }

    // MARK: The file

    /// Every field but the hash, as JSON: what the hash covers.
    var body: [String: JSONValue] {
        var object = unknownFields
        object["schemaVersion"] = .int(Self.schemaVersion)
        object["uid"] = .string(uid)
        object["at"] = .string(Timestamp.format(at))
        object["recordedAt"] = .string(Timestamp.format(recordedAt))
        object["author"] = .string(author)
        object["services"] = .array(services.map(JSONValue.string))
        object["text"] = .string(text)
        object["source"] = .string(source.rawValue)
        object["replica"] = .string(replica)
        object["replicaSeq"] = .int(replicaSeq)
        object["previous"] = .string(previous)
        if let version { object["version"] = .string(version) }
        if let commit { object["commit"] = .string(commit) }
        if let command { object["command"] = .string(command) }
        if let exitStatus { object["exitStatus"] = .int(Int(exitStatus)) }
        if let signal { object["signal"] = .int(Int(signal)) }
        if let durationMs { object["durationMs"] = .int(durationMs) }
        if let importKey { object["importKey"] = .string(importKey) }
        return object
    }

    /// SHA-256 over the compact, key-sorted JSON of every field but `hash`.
    static func hash(of body: [String: JSONValue]) -> String {
        SHA256.hex(Array(JSONWriter.compact(.object(body)).utf8))
    }

    public var expectedHash: String { Self.hash(of: body) }

    /// The bytes of its file: pretty, sorted keys, hash included.
    func encoded() -> [UInt8] {
        var object = body
        object["hash"] = .string(hash)
        return JSONWriter.pretty(.object(object))
    }

    private static let known: Set<String> = [
        "schemaVersion", "uid", "at", "recordedAt", "author", "services", "text", "source",
        "replica", "replicaSeq", "previous", "version", "commit", "command", "exitStatus",
        "signal", "durationMs", "importKey", "hash",
    ]

    /// Reads a change file; the reason when it is not one.
    static func decode(_ bytes: [UInt8]) -> Result<ServiceChange, ChangeFileError> {
        guard case .object(let object)? = try? JSONParser.parse(bytes) else {
            return .failure(.init(reason: "not valid JSON"))
        }
        func string(_ key: String) -> String? {
            if case .string(let text)? = object[key] { return text }
            return nil
        }
        func int(_ key: String) -> Int? {
            if case .int(let number)? = object[key] { return number }
            return nil
        }
        guard let uid = string("uid"), let at = string("at").flatMap(Timestamp.parse),
            let recordedAt = string("recordedAt").flatMap(Timestamp.parse),
            let author = string("author"), let text = string("text"),
            let source = string("source").flatMap(Source.init(rawValue:)),
            let replica = string("replica"), let seq = int("replicaSeq"),
            let previous = string("previous"), let hash = string("hash"),
            case .array(let services)? = object["services"]
        else { return .failure(.init(reason: "a field is missing or has the wrong type")) }
        if let version = int("schemaVersion"), version > schemaVersion {
            return .failure(
                .init(reason: "written by a newer irctl (schema \(version)); upgrade irctl"))
        }
        var change = ServiceChange(
            uid: uid, at: at, recordedAt: recordedAt, author: author,
            services: services.compactMap {
                if case .string(let name) = $0 { return name }
                return nil
            }, version: string("version"), text: text, source: source, commit: string("commit"),
            command: string("command"), exitStatus: int("exitStatus").map(Int32.init),
            signal: int("signal").map(Int32.init), durationMs: int("durationMs"),
            importKey: string("importKey"))
        change.replica = replica
        change.replicaSeq = seq
        change.previous = previous
        change.hash = hash
        change.unknownFields = object.filter { !known.contains($0.key) }
        // Times are kept to the second as written; a hand-written fraction would not re-encode.
        guard Timestamp.format(change.at) == string("at"),
            Timestamp.format(change.recordedAt) == string("recordedAt")
        else { return .failure(.init(reason: "a time is not in the stored form")) }
        return .success(change)
    }
}

/// Why a file in `changes/` is not a change irctl can read.
public struct ChangeFileError: Error, Hashable, Sendable {
    public var reason: String
}

extension ServiceChange: Encodable {
    /// The `changes --json` shape: the stored fields.
    public func encode(to encoder: any Encoder) throws {
        var object = body
        object["hash"] = .string(hash)
        try JSONValue.object(object).encode(to: encoder)
    }
}
