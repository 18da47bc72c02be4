import Foundation

extension Repository {
    /// The incidents whose files differ between `tracking` and HEAD: only they can hold an action
    /// item the remote does not have. Nil when the remote has no branch yet (every incident).
    func incidentsChanged(since tracking: String?) throws -> Set<String>? {
        guard let tracking else { return nil }
        let changed = try paths([
            "diff", "--name-only", "-z", tracking, "HEAD", "--",
            incidentsPath,
        ])
        return incidentUIDs(in: changed)
    }

    /// The action item numbers `commit` shows, per incident: uid → item key → number.
    func publishedActionItems(
        at commit: String?, uids: Set<String>
    ) throws
        -> [String: [String: Int]]
    {
        guard let commit, !uids.isEmpty else { return [:] }
        let committed = CommittedStore(git: git, storePath: storePath)
        return try committed.withStore(at: commit, uids: uids) { store in
            var numbers: [String: [String: Int]] = [:]
            for uid in uids {
                guard let incident = try? store.load(uid: uid) else { continue }
                let pairs = incident.actionItems.map { ($0.key, $0.number) }
                numbers[uid] = Dictionary(pairs, uniquingKeysWith: { a, _ in a })
            }
            return numbers
        }
    }
}
