/// This clone's last entry in one incident's chain, kept in `local/heads/<incident directory>`
/// where git can't change it. With it irctl notices that git took entries of this clone away (a
/// revert, a reset, a stash), continues after them instead of reusing their numbers (so they fit
/// back in when restored), and says so.
public struct OwnHead: Hashable, Sendable {
    public var replica: String
    public var seq: Int
    public var hash: String
}

extension Store {
    var headsDirectory: String { localDirectory + "/heads" }

    /// This clone's record of its last entry in the incident, if it wrote to it.
    func ownHead(of uid: String) -> OwnHead? {
        let path = headsDirectory + "/" + Self.directoryName(uid)
        guard
            let bytes = (try? FileSystem.read(path, limit: 512, what: "local state")).flatMap({ $0 }
            )
        else { return nil }
        let parts = String(decoding: bytes, as: UTF8.self).split(whereSeparator: {
            $0 == " " || $0 == "\n"
        })
        guard parts.count == 3, let seq = Int(parts[1]), seq > 0 else { return nil }
        return OwnHead(replica: String(parts[0]), seq: seq, hash: String(parts[2]))
    }

    /// Records the incident's last entry of this clone's chain (after a write, under the lock).
    /// Losing it costs only the notice above, so it is not synced to disk.
    func recordOwnHead(of incident: Incident) throws {
        guard
            let last = incident.timeline.filter({ $0.replica == incident.writer && !$0.isLegacy })
                .max(by: { $0.replicaSeq < $1.replicaSeq })
        else { return }
        try FileSystem.makeDirectory(localDirectory)
        try FileSystem.makeDirectory(headsDirectory)
        let text = "\(incident.writer) \(last.replicaSeq) \(last.hash)\n"
        try FileSystem.replace(
            directory: headsDirectory, name: Self.directoryName(incident.uid),
            with: Array(text.utf8), durable: false)
    }

    /// Makes the incident's next entry of this clone follow its recorded last one when git took
    /// entries away; returns the notice that says so, or nil when the chain is whole.
    func continueAfterOwnHead(_ incident: inout Incident) -> String? {
        guard let head = ownHead(of: incident.uid), head.replica == incident.writer else {
            return nil
        }
        let visible = incident.projection.chainEnds[incident.writer]?.seq ?? 0
        guard head.seq > visible else { return nil }
        incident = incident.writing(as: incident.writer, after: (head.seq, head.hash))
        let missing =
            head.seq == visible + 1
            ? "entry \(head.seq) is" : "entries \(visible + 1)–\(head.seq) are"
        return
            "\(incident.id): this clone's \(missing) missing from the store (a git revert, reset "
            + "or stash "
            + "took \(head.seq == visible + 1 ? "it" : "them") out); the new entry follows "
            + "\(head.seq == visible + 1 ? "it" : "them"), so the chain is whole again once "
            + "\(head.seq == visible + 1 ? "it comes" : "they come") back: 'git stash pop' for a "
            + "stash, "
            + "'irctl restore \(incident.id)' from git history"
    }
}
