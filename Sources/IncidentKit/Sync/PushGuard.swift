import Foundation

/// A number a push would publish although the remote already gave it to another incident.
public struct PublishedNumberCollision: Hashable, Sendable {
    public var uid: String
    /// The number both claim.
    public var id: IncidentID
    public var title: String
    /// The title of the incident that holds the number on the remote.
    var holderTitle: String
}

/// What the git hooks that `irctl init` installs do, so that plain `git pull` and `git push`
/// keep published numbers where they are.
public enum GitHookActions {
    /// After a merge, a pull or a rebase: settles claims as `irctl sync` does (the claim the remote
    /// published first keeps the number), leaving the renumbering uncommitted for the next sync
    /// or commit. Returns what was renumbered.
    public static func settle(
        store: Store, environment: [String: String],
        context: EditContext
    ) throws -> [Renumbering] {
        guard FileSystem.exists(store.incidentsDirectory) else { return [] }
        let repository = try Repository.locate(
            store: store, environment: environment, forHook: true)
        let tracking = try repository.resolve(repository.trackingRef)
        return try store.withLock {
            store.refreshCacheHoldingLock()
            let hidden = try repository.hiddenIncidents(
                at: try repository.resolve("HEAD"), store: store)
            return try store.settleClaims(context: context, hidden: hidden, cacheIsCurrent: true) {
                try repository.publicationOrder(of: $0, tracking: tracking)
            }
        }
    }

    /// Before a push: the numbers it would take from published incidents. `input` is what git
    /// gives the pre-push hook: `<local ref> <local sha> <remote ref> <remote sha>` per line.
    public static func collisions(
        store: Store, environment: [String: String],
        input: String
    ) throws -> [PublishedNumberCollision] {
        guard FileSystem.exists(store.incidentsDirectory) else { return [] }
        let repository = try Repository.locate(
            store: store, environment: environment, forHook: true)
        let zero = String(repeating: "0", count: 40)
        let tracking = try repository.resolve(repository.trackingRef)
        var found: [PublishedNumberCollision] = []
        for line in input.split(separator: "\n") {
            let fields = line.split(separator: " ").map(String.init)
            guard fields.count == 4, fields[1] != zero, !fields[1].allSatisfy({ $0 == "0" }) else {
                continue
            }
            var published = try repository.publishedIncidents(at: tracking)
            if !fields[3].allSatisfy({ $0 == "0" }), try repository.resolve(fields[3]) != nil {
                published.formUnion(try repository.publishedIncidents(at: fields[3]))
            }
            let pushed = try repository.publishedIncidents(at: fields[1]).subtracting(published)
            guard !pushed.isEmpty else { continue }
            let committed = CommittedStore(git: repository.git, storePath: repository.storePath)
            let claims: [(uid: String, claim: Int, title: String)] = try committed.withStore(
                at: fields[1], uids: pushed
            ) { copy in
                pushed.sorted().compactMap { name in
                    guard let incident = try? copy.read(directoryName: name).incident else {
                        return nil
                    }
                    let summary = IncidentSummary(incident)
                    return (incident.uid, summary.claim.number, summary.title)
                }
            }
            // What the remote holds, as this clone projects it.
            var holders: [Int: String] = [:]
            for summary in store.summaries().summaries
            where published.contains(Store.directoryName(summary.uid)) {
                holders[summary.claim.number] = summary.title
            }
            for claim in claims {
                guard let holder = holders[claim.claim], let id = IncidentID(number: claim.claim),
                    !found.contains(where: { $0.uid == claim.uid })
                else { continue }
                found.append(
                    PublishedNumberCollision(
                        uid: claim.uid, id: id, title: claim.title,
                        holderTitle: holder))
            }
        }
        return found
    }
}
