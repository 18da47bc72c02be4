import Foundation
import Glibc
import Testing

@testable import IncidentKit

/// Small pieces of the trust fixes that need no process: messages, paths, escapes.
@Suite struct TrustTests {
    @Test func anUnknownStoredPhaseSaysWhatItIsAndWhatIsAllowed() throws {
        let error = #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([Phase].self, from: Data(#"["contain", "bogus"]"#.utf8))
        }
        guard case .dataCorrupted(let context) = error else {
            Issue.record("\(String(describing: error))")
            return
        }
        #expect(
            context.debugDescription
                == "unknown phase 'bogus', expected one of detect, declare, contain, eradicate, "
                + "recover, review, closed"
        )
        #expect(!context.debugDescription.contains("Cannot initialize"))
        #expect(
            try JSONDecoder().decode([Phase].self, from: Data(#"["review"]"#.utf8)) == [.review])
    }

    @Test func anEmptyDirOptionIsRefusedAndAnEmptyVariableIsUnset() throws {
        #expect(throws: StoreLocationError.emptyOption) {
            try StoreLocation.resolve(
                option: "", environment: [:], workingDirectory: "/w",
                directoryExists: { _ in false })
        }
        #expect(StoreLocationError.emptyOption.isUsageError)
        let location = try StoreLocation.resolve(
            option: nil, environment: ["IRCTL_DIR": "", "HOME": "/h"], workingDirectory: "/w",
            directoryExists: { _ in false })
        #expect(location == StoreLocation(path: "/h/.local/share/irctl", source: .userDefault))
    }

    @Test func canonicalResolvesLinksDotsAndTheMissingTail() throws {
        let base =
            FileManager.default.temporaryDirectory.path + "/irctl-canon-"
            + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(
            atPath: base + "/real/sub", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: base) }
        try FileManager.default.createSymbolicLink(
            atPath: base + "/link", withDestinationPath: base + "/real")
        let real = StoreLocation.canonical(base + "/real")
        #expect(StoreLocation.canonical(base + "/link") == real)
        #expect(StoreLocation.canonical(base + "/link/sub/../sub/.") == real + "/sub")
        #expect(StoreLocation.canonical(base + "/link/not/yet/../there") == real + "/not/there")
        #expect(ExportFile.isInside(base + "/link/sub/x.md", base + "/real"))
        #expect(ExportFile.isInside(base + "/real", base + "/link"))
        #expect(!ExportFile.isInside(base + "/real-notes.md", base + "/real"))
        #expect(!ExportFile.isInside(base + "/link/../x.md", base + "/real"))
    }

    @Test func aDiscoveredStoreOfAnotherUserIsRefusedUnlessListed() throws {
        let base =
            FileManager.default.temporaryDirectory.path + "/irctl-owner-"
            + UUID().uuidString.prefix(8)
        let store = base + "/.irctl"
        try FileManager.default.createDirectory(atPath: store, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: base) }
        let owner = geteuid()
        let found = StoreLocation(path: store, source: .discovered)
        // Owned by us: fine. Seen as someone else (another current user): refused, root included.
        #expect(try found.validated(environment: [:], currentUser: owner).source == .discovered)
        #expect(throws: StoreLocationError.notOwned(path: store, owner: owner, user: owner &+ 1)) {
            try found.validated(environment: [:], currentUser: owner &+ 1)
        }
        for list in [store, "/x:" + store + "/", "*"] {
            #expect(
                try found.validated(
                    environment: [StoreLocation.safeDirectoriesVariable: list],
                    currentUser: owner &+ 1
                ).path
                    == StoreLocation.canonical(store))
        }
        #expect(throws: StoreLocationError.self) {
            try found.validated(
                environment: [StoreLocation.safeDirectoriesVariable: base], currentUser: owner &+ 1)
        }
        // Named explicitly, it is the user's choice.
        #expect(throws: Never.self) {
            try StoreLocation(path: store, source: .option).validated(
                environment: [:], currentUser: owner &+ 1)
        }
    }

    @Test func jsonEscapingOfInvisiblesKeepsTheValue() throws {
        let original = ["t": "a\u{9B}b\u{202E}c\u{2066}d\u{7F}e é 🚨"]
        let json = String(decoding: try JSONEncoder().encode(original), as: UTF8.self)
        let escaped = TerminalText.escapingInvisiblesInJSON(json)
        #expect(escaped == #"{"t":"a\u009Bb\u202Ec\u2066d\u007Fe é 🚨"}"#)
        #expect(
            try JSONDecoder().decode([String: String].self, from: Data(escaped.utf8)) == original)
        #expect(TerminalText.escapingInvisiblesInJSON(#"{"plain":"text"}"#) == #"{"plain":"text"}"#)
    }
}
