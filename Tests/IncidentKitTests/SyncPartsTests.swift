import Testing

@testable import IncidentKit

/// The small decisions inside sync, one table each: which paths are the store's, which are
/// format-1 files, which push failures are lost races, how `cat-file --batch` output splits.
@Suite struct SyncPartsTests {
    static func repository(storePath: String) -> Repository {
        Repository(
            git: Git(directory: "/nowhere", environment: [:]), top: "/repo", storePath: storePath,
            branch: "main", remote: "origin", remoteBranch: "main", hasUpstream: true)
    }

    @Test(arguments: [
        (".irctl", ".irctl/incidents/INC-1.json", true, true),
        (".irctl", ".irctl/incidents/INC-42.json", true, true),
        (".irctl", ".irctl/incidents/INC-07.json", true, false),
        (".irctl", ".irctl/incidents/INC-.json", true, false),
        (".irctl", ".irctl/incidents/INC-1.json.tmp", true, false),
        (".irctl", ".irctl/incidents/0b1c/0123456789abcdef.json", true, false),
        (".irctl", ".irctl-other/incidents/INC-1.json", false, false),
        (".irctl", "README.md", false, false),
        ("ops/.irctl", "ops/.irctl/incidents/INC-3.json", true, true),
        ("ops/.irctl", ".irctl/incidents/INC-3.json", false, false),
        (".", "incidents/INC-3.json", true, true),
        (".", "README.md", true, false),
    ])
    func storePaths(storePath: String, path: String, inStore: Bool, format1: Bool) {
        let repository = Self.repository(storePath: storePath)
        #expect(repository.isInStore(path) == inStore)
        #expect(repository.isFormat1File(path) == format1)
    }

    @Test func incidentDirectoriesFromPaths() {
        let repository = Self.repository(storePath: ".irctl")
        let paths = [
            ".irctl/incidents/aaaa/0123456789abcdef.json",
            ".irctl/incidents/aaaa/legacy-0123456789ab.json",
            ".irctl/incidents/bbbb/fedcba9876543210.json", ".irctl/incidents/INC-1.json",
            ".irctl/config.json",
        ]
        #expect(repository.incidentUIDs(in: paths) == ["aaaa", "bbbb"])
    }

    @Test(arguments: [
        (
            " ! [rejected]        main -> main (fetch first)\nerror: failed to push some refs to "
                + "'r'\nhint: Updates were rejected because the remote contains work",
            true
        ),
        (
            " ! [rejected]        main -> main (non-fast-forward)\nerror: failed to push some refs",
            true
        ),
        (
            " ! [remote rejected] main -> main (cannot lock ref 'refs/heads/main': is at 1 but "
                + "expected 2)",
            true
        ),
        (" ! [remote rejected] main -> main (failed to update ref)", true),
        (" ! [remote rejected] main -> main (pre-receive hook declined)", false),
        (
            "fatal: '/nowhere.git' does not appear to be a git repository\nfatal: Could not read "
                + "from remote repository.",
            false
        ),
        ("fatal: Authentication failed for 'https://example.com/r.git/'", false),
    ])
    func lostRacesAreTold(stderr: String, retry: Bool) {
        #expect(
            Repository.isRejection(Git.Result(status: 1, stdoutBytes: [], stderr: stderr)) == retry)
    }

    @Test func batchOutputSplitsIntoObjects() throws {
        let output = Array("1111 blob 5\nhello\n2222 missing\n3333 blob 0\n\n".utf8)
        let first = try #require(CommittedStore.object(in: output, at: 0))
        #expect(first.contents == Array("hello".utf8))
        let second = try #require(CommittedStore.object(in: output, at: first.next))
        #expect(second.contents == nil)
        let third = try #require(CommittedStore.object(in: output, at: second.next))
        #expect(third.contents == [])
        #expect(third.next == output.count)
        #expect(CommittedStore.object(in: Array("1111 blob 99\nshort\n".utf8), at: 0) == nil)
    }

    @Test func gitMessagesAreOneLineWithoutHints() {
        let result = Git.Result(
            status: 1, stdoutBytes: [], stderr: "error: a\nhint: do this\n\nfatal: b\n")
        #expect(Git.message(of: result) == "error: a / fatal: b")
        #expect(
            Git.message(of: Git.Result(status: 3, stdoutBytes: [], stderr: "")) == "exit status 3")
    }
}
