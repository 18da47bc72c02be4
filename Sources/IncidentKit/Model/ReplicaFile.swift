import Foundation

/// One segment of the chain of entries one replica (a clone of the store) wrote for one incident.
/// No two clones write the same file, so git merges any two clones' work without a conflict; and
/// a segment is never changed once git has seen it (store format 3), so two histories that carry
/// the same segment (a squash merge, a cherry-pick, a stash) carry the same bytes.
///
///     incidents/<uid>/<replica>.json        the segment that starts the chain (seq 1)
///     incidents/<uid>/<replica>.<n>.json    the segment whose first entry has seq n
///
///     {"entries": [ … ], "incident": "<uid>", "previous": "<hash>", "replica": "<replica>",
///      "schemaVersion": 3}
///
/// `previous` is the hash of the chain's entry before the segment's first (absent in the first
/// segment), so each segment verifies on its own and a missing one is named. Format 2 had one
/// file per replica, `<replica>.json` with `schemaVersion` 2: it reads as the first segment.
///
/// An entry is `{"at", "author", "data", "hash", "kind", "parents", "recordedAt", "seq", "text"}`;
/// entries converted from format 1 have no `parents`. Unknown fields, at the top and in entries,
/// are kept through rewrites.
public struct ReplicaFile: Hashable, Sendable {
    public static let schemaVersion = 3

    public var schemaVersion: Int
    public var incident: String
    public var replica: String
    /// The hash of the chain's entry before this segment's first; "" for the first segment.
    public var previous: String = ""
    /// In chain order; `previous` and `replica` are filled in when read.
    public var entries: [TimelineEntry]
    var unknownFields: [String: JSONValue] = [:]

    public init(incident: String, replica: String, entries: [TimelineEntry]) {
        schemaVersion = Self.schemaVersion
        self.incident = incident
        self.replica = replica
        self.entries = entries
    }

    private static let knownTop: Set<String> = [
        "schemaVersion", "incident", "replica", "entries", "previous",
    ]
    private static let knownEntry: Set<String> = [
        "seq", "at", "recordedAt", "author", "kind", "text", "data", "hash", "parents",
    ]

    struct FormatError: Error { var reason: String }

    /// Decodes a replica file's JSON; `reason` of the thrown error says what is wrong and where.
    static func decode(_ json: JSONValue) throws(FormatError) -> ReplicaFile {
        guard case .object(let top) = json else { throw FormatError(reason: "not a JSON object") }
        guard case .int(let version)? = top["schemaVersion"] else {
            throw FormatError(reason: "missing field 'schemaVersion'")
        }
        guard case .string(let uid)? = top["incident"] else {
            throw FormatError(reason: "missing field 'incident'")
        }
        guard case .string(let replica)? = top["replica"] else {
            throw FormatError(reason: "missing field 'replica'")
        }
        guard case .array(let items)? = top["entries"] else {
            throw FormatError(reason: "missing field 'entries'")
        }
        var file = ReplicaFile(incident: uid, replica: replica, entries: [])
        file.schemaVersion = version
        file.unknownFields = top.filter { !knownTop.contains($0.key) }
        switch top["previous"] {
        case nil: break
        case .string(let hash)?: file.previous = hash
        default: throw FormatError(reason: "wrong field 'previous'")
        }
        file.entries.reserveCapacity(items.count)
        var previous = file.previous
        for (index, item) in items.enumerated() {
            var entry = try decodeEntry(item, at: index)
            entry.replica = replica
            entry.previous = previous
            previous = entry.hash
            file.entries.append(entry)
        }
        return file
    }

    private static func decodeEntry(
        _ json: JSONValue, at index: Int
    ) throws(FormatError) -> TimelineEntry {
        let place = "entries[\(index)]"
        guard case .object(let fields) = json else {
            throw FormatError(reason: "\(place) is not an object")
        }
        func string(_ key: String) throws(FormatError) -> String {
            guard case .string(let value)? = fields[key] else {
                throw FormatError(reason: "missing or wrong field '\(key)' at \(place)")
            }
            return value
        }
        func date(_ key: String) throws(FormatError) -> Date {
            guard let date = Timestamp.parse(try string(key)) else {
                throw FormatError(reason: "invalid time in '\(key)' at \(place)")
            }
            return date
        }
        guard case .int(let seq)? = fields["seq"] else {
            throw FormatError(reason: "missing or wrong field 'seq' at \(place)")
        }
        var data: [String: String] = [:]
        switch fields["data"] {
        case nil: break
        case .object(let object)?:
            for (key, value) in object {
                guard case .string(let text) = value else {
                    throw FormatError(reason: "data.\(key) at \(place) is not a string")
                }
                data[key] = text
            }
        default: throw FormatError(reason: "wrong field 'data' at \(place)")
        }
        var parents: [String] = []
        var legacy = true
        switch fields["parents"] {
        case nil: break
        case .array(let list)?:
            legacy = false
            for value in list {
                guard case .string(let hash) = value else {
                    throw FormatError(reason: "wrong field 'parents' at \(place)")
                }
                parents.append(hash)
            }
        default: throw FormatError(reason: "wrong field 'parents' at \(place)")
        }
        var entry = TimelineEntry(
            seq: seq, at: try date("at"), recordedAt: try date("recordedAt"),
            author: try string("author"),
            kind: EntryKind(rawValue: try string("kind")), text: try string("text"), data: data,
            hash: try string("hash"), replicaSeq: seq, parents: parents, isLegacy: legacy)
        entry.unknownFields = fields.filter { !knownEntry.contains($0.key) }
        return entry
    }

    func json() -> JSONValue {
        var top = unknownFields
        top["schemaVersion"] = .int(schemaVersion)
        top["incident"] = .string(incident)
        top["replica"] = .string(replica)
        if !previous.isEmpty { top["previous"] = .string(previous) }
        top["entries"] = .array(entries.map(Self.entryJSON))
        return .object(top)
    }

    static func entryJSON(_ entry: TimelineEntry) -> JSONValue {
        var fields = entry.unknownFields
        fields["seq"] = .int(entry.replicaSeq)
        fields["at"] = .string(Timestamp.format(entry.at))
        fields["recordedAt"] = .string(Timestamp.format(entry.recordedAt))
        fields["author"] = .string(entry.author)
        fields["kind"] = .string(entry.kind.rawValue)
        fields["text"] = .string(entry.text)
        if !entry.data.isEmpty { fields["data"] = .object(entry.data.mapValues(JSONValue.string)) }
        fields["hash"] = .string(entry.hash)
        if !entry.isLegacy { fields["parents"] = .array(entry.parents.map(JSONValue.string)) }
        return .object(fields)
    }

    /// The seq of the segment's first entry: what its file name says.
    public var start: Int { entries.first?.replicaSeq ?? 1 }

    /// The segment's file name in its incident's directory.
    var fileName: String { Self.fileName(replica: replica, start: start) }

    static func fileName(replica: String, start: Int) -> String {
        start <= 1 ? replica + ".json" : replica + "." + String(start) + ".json"
    }

    /// The file's bytes: pretty-printed, keys sorted, a final newline.
    public func encoded() -> [UInt8] { JSONWriter.pretty(json()) }
}
