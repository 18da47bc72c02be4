import Testing

@testable import IncidentKit

/// Commit subjects say what changed and fit `git log --oneline`.
@Suite struct CommitSubjectTests {
    static func change(_ number: Int, entries: Int, new: Bool = false) -> ChangedIncident {
        ChangedIncident(
            uid: "uid-\(number)", id: IncidentID(number: number)!, title: "t", isNew: new,
            entries: entries, authors: [])
    }

    @Test func namesEachChange() {
        #expect(
            CommitSubject.make(
                changes: [Self.change(4, entries: 3), Self.change(9, entries: 2, new: true)],
                notes: [])
                == "irctl: INC-4 +3 entries, declare INC-9")
        #expect(
            CommitSubject.make(
                changes: [Self.change(1, entries: 1)], notes: ["renumber INC-7 as INC-10"])
                == "irctl: renumber INC-7 as INC-10, INC-1 +1 entry")
        #expect(CommitSubject.make(changes: [], notes: []) == "irctl: update the store")
        #expect(CommitSubject.body(changes: [Self.change(1, entries: 1)], notes: []) == nil)
    }

    @Test func aLongListIsCutAndTheBodyHasItAll() {
        let changes = (1...30).map { Self.change($0, entries: $0) }
        let subject = CommitSubject.make(changes: changes, notes: [])
        #expect(subject.count <= CommitSubject.limit)
        #expect(subject.hasPrefix("irctl: INC-1 +1 entry, INC-2 +2 entries"))
        #expect(subject.hasSuffix(" more"))
        let body = CommitSubject.body(changes: changes, notes: [])
        #expect(body?.split(separator: "\n").count == 30)
        #expect(body?.hasSuffix("- INC-30 +30 entries") == true)
    }
}
