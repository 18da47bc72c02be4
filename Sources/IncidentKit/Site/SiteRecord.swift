import Foundation

/// What the site keeps of one incident between builds, beside its page: enough for the archive's
/// search, the metrics and the status page, so an unchanged incident is never read again.
struct SiteRecord: Sendable {
    var uid: String
    /// The identities of the incident's files and its number: a change to either rebuilds it.
    var fingerprint: String
    /// Lower-cased, accent-free text of the title, narrative and timeline, for the archive search
    /// (empty in a public build, whose output folder must not hold internal text).
    var search: String
    /// Action items: done by their due date, done after it, done without one.
    var onTime: Int
    var late: Int
    var doneUndated: Int
    var updates: [PublicUpdate]

    /// The longest search text kept per incident.
    static let searchLimit = 4_000

    init(
        uid: String, fingerprint: String, incident: Incident, filter: PublicFilter,
        isPublic: Bool
    ) {
        self.uid = uid
        self.fingerprint = fingerprint
        var text = ""
        if !isPublic {
            text = incident.title
            for field in NarrativeField.allCases {
                if let value = incident.narrative[field] { text += " " + value }
            }
            let struck = incident.strikes
            for entry in incident.timeline
            where struck[entry.hash] == nil
                && entry.kind != .strike
            {
                if text.utf8.count > Self.searchLimit * 2 { break }
                text += " " + entry.text
            }
        }
        search = Self.fold(text)
        var onTime = 0
        var late = 0
        var undated = 0
        for item in incident.actionItems where item.status == .done {
            guard let due = item.due, let done = item.doneAt else {
                undated += 1
                continue
            }
            if done <= due { onTime += 1 } else { late += 1 }
        }
        (self.onTime, self.late, doneUndated) = (onTime, late, undated)
        updates = filter.updates(of: incident)
    }

    init(
        uid: String, fingerprint: String, search: String, onTime: Int, late: Int, doneUndated: Int,
        updates: [PublicUpdate]
    ) {
        self.uid = uid
        self.fingerprint = fingerprint
        self.search = search
        self.onTime = onTime
        self.late = late
        self.doneUndated = doneUndated
        self.updates = updates
    }

    /// Lower case, accents removed, each word once (the search matches words, and a timeline
    /// repeats itself: this keeps the archive small), separated by single spaces, cut to the limit.
    static func fold(_ text: String) -> String {
        // ASCII letters are lower-cased byte by byte; a word with other letters goes through
        // Unicode's lower-casing and accent folding, once, after the repeats are gone.
        let lowered = String(
            decoding: text.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 },
            as: UTF8.self)
        var seen = Set<Substring>()
        var out = ""
        out.reserveCapacity(min(lowered.utf8.count, searchLimit))
        let words = lowered.utf8.split { $0 == 0x20 || $0 == 0x0A || $0 == 0x09 || $0 == 0x0D }
        for bytes in words {
            var word = Substring(bytes)
            if !bytes.allSatisfy({ $0 < 0x80 }) {
                let folded = word.lowercased()
                    .folding(options: [.diacriticInsensitive], locale: nil)
                word = Substring(folded)
            }
            guard seen.insert(word).inserted else { continue }
            if out.utf8.count + word.utf8.count + 1 > searchLimit { break }
            if !out.isEmpty { out += " " }
            out += word
        }
        return out
    }
}

/// The manifest in the output folder (`.irctl-site`): what the last build wrote and the records
/// it kept, one line each, so the next build redoes only what changed.
struct SiteManifest {
    static let fileName = ".irctl-site"
    static let version = "irctl-site 1"

    /// Settings the whole output depends on (renderer version, config, public or not): when
    /// they differ, nothing of the last build is reused.
    var key: String
    var records: [String: SiteRecord] = [:]
    /// Every file the last build wrote, relative to the output folder.
    var files: [String] = []

    static func escape(_ text: String) -> String {
        guard text.contains(where: { $0 == "\\" || $0 == "\t" || $0 == "\n" || $0 == "\r" }) else {
            return text
        }
        return text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(
            of: "\t",
            with: "\\t"
        )
        .replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\r", with: "\\r")
    }

    static func unescape(_ text: Substring) -> String {
        guard text.contains("\\") else { return String(text) }
        var out = ""
        var escaped = false
        for c in text {
            if escaped {
                out.append(c == "t" ? "\t" : c == "n" ? "\n" : c == "r" ? "\r" : c)
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else {
                out.append(c)
            }
        }
        return out
    }

    func serialized() -> String {
        var out = Self.version + "\t" + Self.escape(key) + "\n"
        for file in files { out += "F\t" + Self.escape(file) + "\n" }
        for uid in records.keys.sorted() {
            let r = records[uid]!
            var updates = ""
            if !r.updates.isEmpty, let data = try? JSONCoding.encoder().encode(r.updates) {
                updates = String(decoding: data, as: UTF8.self)
            }
            out +=
                "R\t"
                + [
                    r.uid, r.fingerprint, String(r.onTime), String(r.late),
                    String(r.doneUndated),
                    updates, r.search,
                ].map(Self.escape).joined(separator: "\t") + "\n"
        }
        return out
    }

    /// The manifest in `bytes`, or nil when it is not one this version wrote with `key`.
    static func parse(_ bytes: [UInt8], key: String) -> SiteManifest? {
        let text = String(decoding: bytes, as: UTF8.self)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true)[...]
        guard let first = lines.popFirst() else { return nil }
        let head = first.split(separator: "\t", maxSplits: 1, omittingEmptySubsequences: false)
        guard head.count == 2, head[0] == version else { return nil }
        var manifest = SiteManifest(key: unescape(head[1]))
        for line in lines {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            if fields.first == "F", fields.count == 2 {
                manifest.files.append(unescape(fields[1]))
            } else if fields.first == "R", fields.count == 8, manifest.key == key {
                var updates: [PublicUpdate] = []
                if !fields[6].isEmpty {
                    updates =
                        (try? JSONCoding.decoder().decode(
                            [PublicUpdate].self,
                            from: Data(unescape(fields[6]).utf8))) ?? []
                }
                let record = SiteRecord(
                    uid: unescape(fields[1]), fingerprint: unescape(fields[2]),
                    search: unescape(fields[7]), onTime: Int(fields[3]) ?? 0,
                    late: Int(fields[4]) ?? 0, doneUndated: Int(fields[5]) ?? 0,
                    updates: updates)
                manifest.records[record.uid] = record
            }
        }
        return manifest
    }
}
