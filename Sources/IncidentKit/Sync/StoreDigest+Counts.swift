extension StoreDigest {
    /// What this digest has over `old`, per incident, by entry counts alone: for commit subjects
    /// and for what went out, which name no authors, so no incident is read (a first push of a
    /// large store would otherwise read every one). `Store.changes(from:to:)` also says who wrote
    /// them.
    func counts(since old: StoreDigest, among uids: Set<String>? = nil) -> [ChangedIncident] {
        var changes: [ChangedIncident] = []
        for (uid, now) in incidents where uids?.contains(uid) ?? true {
            let before = old.incidents[uid]
            let count = now.entryCount - (before?.entryCount ?? 0)
            guard count > 0 else { continue }
            changes.append(
                ChangedIncident(
                    uid: uid, id: now.id, title: now.title, isNew: before == nil, entries: count,
                    authors: []))
        }
        return changes.sorted { $0.id < $1.id }
    }
}
