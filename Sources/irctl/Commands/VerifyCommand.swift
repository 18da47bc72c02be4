import IncidentKit

/// `irctl verify`: recomputes every timeline hash chain and names the first entry that doesn't
/// match.
enum VerifyCommand {
    static let command = Command(
        name: "verify", summary: "check that timelines were not altered (hash chain)",
        arguments: [.optional("INCIDENT", .incident)],
        discussion: """
            Each timeline entry carries a SHA-256 hash over its content and the previous entry's
            hash. verify recomputes the chain of one incident, or of every incident when none is
            given, and prints each one's entry count and head hash (the last entry's hash). It
            exits 1 naming the first entry that does not match (an entry edited, removed or
            reordered behind irctl's back), or a file that can't be read. Without INCIDENT it also
            checks each clone's chain of recorded changes (changes/): a change file edited, or one
            removed from the middle of a chain, fails.

            The head is a digest of every entry of the timeline, in its order. Removing the last
            entries, or a whole file nothing points at, leaves chains that are still valid: record
            the head somewhere else (a ticket, a chat message) and check it later with
            --expect-head. The check passes when the timeline still starts with exactly the entries
            the head covered, unchanged and in the same order (entries appended since are fine); it
            fails when one of them was removed or changed, or an entry was put before them (a late
            or forged entry that claims an earlier time). A head printed by an older irctl (an
            entry's own hash) still shows that entry and the entries it had seen are unchanged, and
            says so.

            verify only reads: it takes no lock and writes nothing. The hash input is documented in
            the README ("Hash-chain format"), so a store can be checked with a script of your own.
            """,
        options: [
            .value(
                "--expect-head", value: "HASH",
                help: "fail unless the entries HASH (a head printed earlier) covered still "
                    + "come first, unchanged")
        ],
        examples: [
            "irctl verify", "irctl verify INC-7", "irctl verify INC-7 --expect-head 5f2c…e19a",
            "irctl verify --json",
        ],
        run: run)

    static func run(_ invocation: Invocation) throws -> Int32 {
        try invocation.expectPositionals(atMost: 1)
        let expected = try expectedHead(invocation)
        let store = invocation.store
        var results: [IncidentVerification]
        var incidents: [IncidentID: Incident] = [:]
        if let text = invocation.positionals.first {
            let id = try invocation.incidentID(text)
            do {
                let (incident, chain) = try store.verify(id)
                incidents[id] = incident
                results = [
                    IncidentVerification(id: id, path: store.path(of: id), outcome: .checked(chain))
                ]
            } catch let error where Self.isNotFound(error) {
                throw error
            } catch {
                results = [
                    IncidentVerification(
                        id: id, path: store.path(of: id), outcome: .unreadable(error))
                ]
            }
        } else {
            results = store.verifyAll()
        }

        var reports = results.map { Report($0) }
        // In a git repository, history tells what a commit took out of the store.
        let only = invocation.positionals.isEmpty ? nil : incidents.values.first?.uid
        if invocation.positionals.isEmpty || only != nil,
            let removals = try StoreHistory.removals(
                store: store, environment: invocation.system.environment, uid: only)
        {
            for removal in removals {
                let path = store.incidentsDirectory + "/" + removal.directory
                let text = removal.sentence(restore: "irctl restore")
                if let k = reports.firstIndex(where: { $0.file == path }) {
                    reports[k].ok = false
                    reports[k].removed.append(text)
                } else {
                    var report = Report(id: removal.directory, file: path, ok: false)
                    report.removed.append(text)
                    reports.append(report)
                }
            }
        }
        // Changes to production are chained per clone too.
        if invocation.positionals.isEmpty {
            for chain in store.verifyChanges() {
                var report = Report(
                    id: chain.replica.map { "changes (replica \($0))" } ?? chain.path,
                    file: chain.path, ok: chain.isValid)
                report.error = chain.failure
                if chain.replica != nil {
                    report.entries = chain.count
                    report.head = chain.head
                }
                reports.append(report)
            }
        }
        if let expected, let id = results.first?.id, let incident = incidents[id],
            case .checked(let chain) = results[0].outcome, chain.isValid
        {
            reports[0].expectedHead = expected
            switch chain.checkHead(expected, in: incident) {
            case .holds(let covered, let appended):
                reports[0].expectedHeadCovers = covered
                reports[0].entriesAfterExpectedHead = appended
            case .entryHash(let seq, let appended):
                reports[0].expectedHeadIsEntry = seq
                reports[0].entriesAfterExpectedHead = appended
            case .broken(let mismatch):
                reports[0].ok = false
                reports[0].error = mismatch.reason
            }
        }

        if invocation.json {
            try invocation.printJSON(Summary(ok: reports.allSatisfy(\.ok), incidents: reports))
        } else {
            for report in reports { invocation.output.line(TerminalText.singleLine(report.line)) }
            if reports.isEmpty { invocation.output.note("no incidents to verify in \(store.root)") }
        }
        let failed = reports.filter { !$0.ok }
        guard failed.isEmpty else { throw VerifyFailure(failed: failed, total: reports.count) }
        return ExitCode.success
    }

    private static func isNotFound(_ error: StoreError) -> Bool {
        if case .incidentNotFound = error { return true }
        return false
    }

    private static func expectedHead(_ invocation: Invocation) throws -> String? {
        guard let text = invocation.arguments.value("expect-head") else { return nil }
        guard invocation.positionals.count == 1 else {
            throw UsageError(
                "--expect-head checks one incident; give its INCIDENT, e.g. irctl verify INC-7 "
                    + "--expect-head HASH",
                command: "verify")
        }
        let hash = text.lowercased()
        guard hash.utf8.count == 64,
            hash.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) })
        else {
            throw ValueError.invalidValue(
                option: "--expect-head", value: text,
                expected: "a SHA-256 head hash (64 hex digits) as printed by 'irctl verify'")
        }
        return hash
    }

    /// One incident's result, as printed (`--json` shape in the README).
    struct Report: Encodable {
        var id: String
        var file: String
        var ok: Bool
        var entries: Int?
        var head: String?
        var firstMismatch: Mismatch?
        var error: String?
        var expectedHead: String?
        var entriesAfterExpectedHead: Int?
        /// How many entries the expected head covers (the timeline's first ones).
        var expectedHeadCovers: Int?
        /// The expected head is this entry's own hash: a head an older irctl printed.
        var expectedHeadIsEntry: Int?
        /// Strikes that break the strike command's rules, each said in one sentence.
        var ignoredStrikes: [String]?
        /// Entries a commit removed from the store, each said in one sentence.
        var removed: [String] = []

        init(id: String, file: String, ok: Bool) {
            self.id = id
            self.file = file
            self.ok = ok
        }

        struct Mismatch: Encodable {
            var seq: Int
            var index: Int
            var reason: String
        }

        init(_ result: IncidentVerification) {
            id = result.id?.description ?? result.path
            file = result.path
            switch result.outcome {
            case .checked(let chain):
                ok = chain.isValid
                entries = chain.entryCount
                head = chain.head
                firstMismatch = chain.firstMismatch.map {
                    Mismatch(seq: $0.seq, index: $0.index, reason: $0.reason)
                }
                if !chain.ignoredStrikes.isEmpty {
                    ignoredStrikes = chain.ignoredStrikes.map(\.message)
                    error =
                        chain.ignoredStrikes.map(\.message).joined(separator: "; ")
                        + " (the strike command never writes such a strike: a hand-edited file or "
                        + "another tool made it)"
                }
            case .unreadable(let error):
                ok = false
                self.error = error.message
            }
        }

        var line: String {
            // What a commit removed explains the mismatches it leaves: said first.
            if !removed.isEmpty { return "\(id): FAILED: " + removed.joined(separator: "; ") }
            if let mismatch = firstMismatch {
                return "\(id): FAILED at entry #\(mismatch.seq): \(mismatch.reason)"
            }
            guard let entries, let head else { return "\(id): UNREADABLE: \(error ?? "")" }
            if let error { return "\(id): FAILED: \(error)" }
            var text =
                "\(id): ok, \(entries) \(entries == 1 ? "entry" : "entries"), head "
                + "\(head.isEmpty ? "(none)" : head)"
            if let seq = expectedHeadIsEntry {
                text +=
                    " (the expected head is entry #\(seq)'s own hash, a head printed by an "
                    + "older irctl: it shows that entry and the entries it had seen are unchanged, "
                    + "not that nothing was added before it or removed beside it; record the head "
                    + "above instead)"
            } else if let after = entriesAfterExpectedHead, let covered = expectedHeadCovers {
                let entries = covered == 1 ? "entry" : "entries"
                let appended = after == 1 ? "entry" : "entries"
                text +=
                    after == 0
                    ? " (the expected head: the same \(covered) \(entries) in the same order)"
                    : " (\(after) \(appended) appended after the expected head)"
            }
            return text
        }

        /// A few words for the summary error.
        var problem: String {
            if let mismatch = firstMismatch { return "\(id) (entry #\(mismatch.seq))" }
            if !removed.isEmpty { return "\(id) (entries removed)" }
            if entries == nil { return "\(id) (unreadable)" }
            if ignoredStrikes != nil { return "\(id) (strikes ignored)" }
            if expectedHead == nil, let error { return "\(id) (\(error))" }
            return "\(id) (expected head missing)"
        }
    }

    struct Summary: Encodable {
        var ok: Bool
        var incidents: [Report]
    }
}

/// `irctl verify` found an altered or unreadable timeline (exit 1).
struct VerifyFailure: DescribedError {
    var failed: [VerifyCommand.Report]
    var total: Int

    var message: String {
        if total == 1, let only = failed.first {
            if let mismatch = only.firstMismatch {
                return
                    "\(only.id) failed verification at entry #\(mismatch.seq): \(mismatch.reason); "
                    + "compare \(only.file) with its history (for example 'git log -p -- "
                    + "\(only.file)') or restore it"
            }
            return "\(only.id) failed verification: \(only.error ?? "unreadable")"
        }
        let shown =
            failed.prefix(10).map(\.problem).joined(separator: ", ")
            + (failed.count > 10 ? ", …" : "")
        return
            "\(failed.count) of \(total) incidents failed verification: \(shown); see the lines "
            + "above"
    }
}
