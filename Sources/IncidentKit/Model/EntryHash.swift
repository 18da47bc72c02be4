/// The tamper-evident chains over a timeline.
///
/// Each entry's hash is SHA-256 (lowercase hex) of a UTF-8 text built from its canonical fields
/// rather than the JSON, so key order or whitespace never matter. Every field is written as
///
///     <name> <len>\n<value>\n
///
/// where `<len>` is the value's length in UTF-8 bytes, in decimal, so no value can fake a field
/// boundary. Times are `YYYY-MM-DDTHH:MM:SSZ`; `data.<key>` fields come one per key, keys sorted by
/// their UTF-8 bytes.
///
/// Version 2 (every entry written by a store of format 2):
///
///     irctl-entry-v2\n
///     incident, replica, prev, parent (one per parent, sorted by their bytes), seq, at,
///     recordedAt, author, kind, text, data.<key>…
///
/// `incident` is the incident's uid, `replica` the chain's replica id, `prev` the hash of the
/// previous entry of the same replica ("" for its first), `seq` the position in the replica's
/// chain.
///
/// Version 1 (entries converted from a format-1 store keep it):
///
///     irctl-entry-v1\n
///     prev, seq, at, recordedAt, author, kind, text, data.<key>…
public enum EntryHash {
    public static let prefix = "irctl-entry-v1\n"
    public static let prefixV2 = "irctl-entry-v2\n"

    private static func field(_ text: inout String, _ name: String, _ value: String) {
        text += name
        text += " "
        text += String(value.utf8.count)
        text += "\n"
        text += value
        text += "\n"
    }

    private static func content(_ text: inout String, _ entry: TimelineEntry, seq: Int) {
        field(&text, "seq", String(seq))
        field(&text, "at", Timestamp.format(entry.at))
        field(&text, "recordedAt", Timestamp.format(entry.recordedAt))
        field(&text, "author", entry.author)
        field(&text, "kind", entry.kind.rawValue)
        field(&text, "text", entry.text)
        for key in entry.data.keys.sorted(by: {
            Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8))
        }) {
            field(&text, "data." + key, entry.data[key]!)
        }
    }

    public static func canonicalText(of entry: TimelineEntry, previous: String) -> String {
        var text = prefix
        field(&text, "prev", previous)
        content(&text, entry, seq: entry.replicaSeq)
        return text
    }

    public static func hash(of entry: TimelineEntry, previous: String) -> String {
        SHA256.hex(canonicalText(of: entry, previous: previous))
    }

    public static func canonicalTextV2(of entry: TimelineEntry, incident uid: String) -> String {
        var text = prefixV2
        field(&text, "incident", uid)
        field(&text, "replica", entry.replica)
        field(&text, "prev", entry.previous)
        for parent in entry.parents.sorted(by: {
            Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8))
        }) {
            field(&text, "parent", parent)
        }
        content(&text, entry, seq: entry.replicaSeq)
        return text
    }

    public static func hashV2(of entry: TimelineEntry, incident uid: String) -> String {
        SHA256.hex(canonicalTextV2(of: entry, incident: uid))
    }
}
