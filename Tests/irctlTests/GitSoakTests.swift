import Foundation
import TestSupport
import Testing

/// A team that shares through git every way teams do, at random: each round every clone does some
/// work, then syncs by `irctl sync`, by `git pull --rebase && git push` or by `git pull
/// --no-rebase && git push` (committing the store by hand first), or stays offline. Clones are set
/// up as the README says (`git clone`, then `irctl init`). An observer clone looks at the remote
/// after every push. Required: no conflict, no number that the remote showed ever changes, no
/// number claimed twice on the remote, every clone ends with the same listing and the same
/// `show --json`, chains verify, every logged text exactly once.
///
/// Small by default; `IRCTL_SOAK=CLONES,ROUNDS` (e.g. `5,40`) and `IRCTL_SOAK_SEED` make it larger.
@Suite struct GitSoakTests {
    static let size: (clones: Int, rounds: Int) = {
        let parts = (ProcessInfo.processInfo.environment["IRCTL_SOAK"] ?? "").split(separator: ",")
            .compactMap { Int($0) }
        return parts.count == 2 ? (max(parts[0], 2), max(parts[1], 1)) : (3, 6)
    }()
    static let seed =
        ProcessInfo.processInfo.environment["IRCTL_SOAK_SEED"].flatMap(UInt64.init) ?? 0x50AC_0001

    @Test(.timeLimit(.minutes(10)))
    func everyWayOfSharingKeepsNumbersAndEntries() throws {
        var random = SplitMix64(seed: Self.seed)
        let team = try GitTeam()
        let clones = (0..<Self.size.clones).map { "c\($0)" }
        try team.founding("c0", user: "u0")
        for clone in clones.dropFirst() {
            try team.clone(clone)
            try team.irctl(["init"], in: clone, user: clone)
        }
        try team.clone("observer")
        var published: [String: String] = [:]  // uid → the number the remote showed
        var numberChanges: [String] = []
        var collisions: [String] = []
        var conflicts: [String] = []
        var logged: [String] = []
        var pushes = 0
        var styles: [String: Int] = [:]

        func observe(_ when: String) throws {
            try team.git(["pull", "--quiet", "--ff-only", "origin", "main"], in: "observer")
            var seen: [String: String] = [:]
            for incident in try team.incidents("observer") {
                guard let uid = incident["uid"] as? String, let id = incident["id"] as? String
                else { continue }
                if let before = published[uid], before != id {
                    numberChanges.append("\(when): \(before) → \(id)")
                }
                if published[uid] == nil {
                    published[uid] = id
                    // A new incident whose claim another holds shows a provisional number, and says
                    // so.
                    let shown = try team.irctl(
                        ["show", String(uid.prefix(13))], in: "observer", user: "reader")
                    if shown.stderr.contains("which another incident holds") {
                        collisions.append("\(when): \(id) is provisional")
                    }
                }
                if let other = seen[id] {
                    collisions.append("\(when): \(id) for \(other) and \(uid)")
                }
                seen[id] = uid
            }
        }

        /// A change that is already so is refused, and that is all.
        func mayRefuse(_ result: RunResult) {
            #expect(result.status == 0 || result.stderr.contains("already"), "\(result.stderr)")
        }

        func targets(_ clone: String) throws -> [String] {
            try team.incidents(clone).compactMap {
                ($0["uid"] as? String).map { String($0.prefix(13)) }
            }
        }

        func plainGit(_ clone: String, rebase: Bool, round: Int) throws {
            try team.git(["add", "-A", ".irctl"], in: clone)
            if try team.git(["diff", "--cached", "--quiet"], in: clone, check: false).status != 0 {
                try team.git(
                    ["commit", "--quiet", "-m", "incidents from \(clone), round \(round)"],
                    in: clone)
            }
            let pull = try team.git(
                ["pull", "--quiet", rebase ? "--rebase" : "--no-rebase", "origin", "main"],
                in: clone, check: false)
            if pull.status != 0 || (pull.stdout + pull.stderr).contains("CONFLICT") {
                conflicts.append("round \(round) \(clone) pull: \(pull.stdout) \(pull.stderr)")
                return
            }
            let push = try team.git(["push", "--quiet", "origin", "main"], in: clone, check: false)
            styles[rebase ? "git pull --rebase" : "git pull --no-rebase", default: 0] += 1
            if push.status != 0 {
                styles["pushes refused by the hook", default: 0] += 1
                // The hook refused a number the remote holds: do what it says.
                #expect(
                    push.stderr.contains("irctl sync"), "round \(round) \(clone): \(push.stderr)")
                try team.irctl(["sync"], in: clone, user: clone)
            }
            pushes += 1
            try observe("round \(round) after \(clone)")
        }

        for round in 1...Self.size.rounds {
            for clone in clones.shuffled(using: &random) {
                let known = try targets(clone)
                for step in 0..<Int.random(in: 1...3, using: &random) {
                    let target = known.randomElement(using: &random) ?? "1"
                    let tag = "r\(round)-\(clone)-\(step)"
                    switch Int.random(in: 0..<7, using: &random) {
                    case 0, 1:
                        try team.irctl(["log", target, "note \(tag)"], in: clone, user: clone)
                        logged.append("note \(tag)")
                    case 2:
                        try team.irctl(
                            [
                                "declare", "Incident \(tag)", "-s",
                                "SEV\(Int.random(in: 1...4, using: &random))",
                            ],
                            in: clone, user: clone)
                    case 3:
                        mayRefuse(
                            try team.irctl(
                                [
                                    "severity", target,
                                    "SEV\(Int.random(in: 1...4, using: &random))",
                                    "--reason", tag,
                                ], in: clone, user: clone, check: false))
                    case 4:
                        mayRefuse(
                            try team.irctl(
                                [
                                    "assign", target, "--commander",
                                    ["ann", "bo", "cy"].randomElement(using: &random)!,
                                ],
                                in: clone, user: clone, check: false))
                    case 5:
                        mayRefuse(
                            try team.irctl(
                                [
                                    "tag", target, "--add",
                                    "t\(Int.random(in: 1...3, using: &random))",
                                ],
                                in: clone, user: clone, check: false))
                    default:
                        try team.irctl(
                            ["update", target, "-m", "status \(tag)"], in: clone, user: clone)
                    }
                }
                switch Int.random(in: 0..<4, using: &random) {
                case 0:
                    styles["irctl sync", default: 0] += 1
                    let sync = try team.irctl(["sync"], in: clone, user: clone, check: false)
                    #expect(sync.status == 0, "round \(round) \(clone): \(sync.stderr)")
                    if sync.stderr.contains("conflict") {
                        conflicts.append("round \(round) \(clone): \(sync.stderr)")
                    }
                    pushes += 1
                    try observe("round \(round) after \(clone)")
                case 1: try plainGit(clone, rebase: true, round: round)
                case 2: try plainGit(clone, rebase: false, round: round)
                default: styles["offline", default: 0] += 1
                }
            }
        }
        // Everyone syncs until nothing moves.
        for _ in 0..<2 {
            for clone in clones { try team.irctl(["sync"], in: clone, user: clone) }
        }
        try observe("at the end")

        print(
            "soak \(Self.size.clones) clones × \(Self.size.rounds) rounds, seed \(Self.seed): "
                + styles.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(
                    separator: ", ")
                + "; \(published.count) numbers published, \(numberChanges.count) changed, "
                + "\(collisions.count) shown twice, \(conflicts.count) conflicts, \(logged.count) "
                + "notes logged"
        )
        #expect(conflicts.isEmpty, "\(conflicts)")
        #expect(numberChanges.isEmpty, "numbers the remote showed changed: \(numberChanges)")
        #expect(collisions.isEmpty, "the remote showed a number twice: \(collisions)")
        #expect(pushes > 0)
        let listing = try team.irctl(["list", "--all", "--json"], in: "c0", user: "reader").stdout
        let ids = try team.incidents("c0").compactMap { $0["id"] as? String }
        for clone in clones {
            #expect(
                try team.untrackedOrModified(clone) == "", "\(clone) has uncommitted store files")
            #expect(
                try team.irctl(["list", "--all", "--json"], in: clone, user: "reader").stdout
                    == listing, "\(clone)")
            try team.irctl(["verify"], in: clone, user: "reader")
            for id in ids {
                let a = try team.irctl(["show", id, "--json"], in: "c0", user: "reader").stdout
                #expect(
                    try team.irctl(["show", id, "--json"], in: clone, user: "reader").stdout == a,
                    "\(clone) \(id)")
            }
        }
        var texts: [String: Int] = [:]
        for id in ids {
            for entry in try #require(try team.show(id, in: "c0")["timeline"] as? [[String: Any]]) {
                if let text = entry["text"] as? String { texts[text, default: 0] += 1 }
            }
        }
        for text in logged {
            #expect(texts[text] == 1, "\(text) appears \(texts[text] ?? 0) times")
        }
    }
}
