/// The tamper-evident chain over a timeline.
///
/// Each entry's hash is SHA-256 (lowercase hex) of this UTF-8 text, built from its canonical fields
/// rather than the JSON, so key order or whitespace never matter:
///
///     irctl-entry-v1\n
///     prev <len>\n<previous entry's hash, empty for the first>\n
///     seq <len>\n<seq in decimal>\n
///     at <len>\n<at as YYYY-MM-DDTHH:MM:SSZ>\n
///     recordedAt <len>\n<recordedAt, same form>\n
///     author <len>\n<author>\n
///     kind <len>\n<kind>\n
///     text <len>\n<text>\n
///     data.<key> <len>\n<value>\n        one per data key, keys sorted by their UTF-8 bytes
///
/// `<len>` is the value's length in UTF-8 bytes, in decimal, so no value can fake a field boundary.
public enum EntryHash {
    public static let prefix = "irctl-entry-v1\n"

    public static func canonicalText(of entry: TimelineEntry, previous: String) -> String {
        var text = prefix
        func field(_ name: String, _ value: String) {
            text += "\(name) \(value.utf8.count)\n\(value)\n"
        }
        field("prev", previous)
        field("seq", String(entry.seq))
        field("at", Timestamp.format(entry.at))
        field("recordedAt", Timestamp.format(entry.recordedAt))
        field("author", entry.author)
        field("kind", entry.kind.rawValue)
        field("text", entry.text)
        for key in entry.data.keys.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) {
            field("data." + key, entry.data[key]!)
        }
        return text
    }

    public static func hash(of entry: TimelineEntry, previous: String) -> String {
        SHA256.hex(canonicalText(of: entry, previous: previous))
    }
}
