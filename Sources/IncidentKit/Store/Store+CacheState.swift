import Foundation
import Glibc

// The cache's own state file and journal.
extension Store {
    struct State {
        /// The ctime of `incidents/` when the journal was last in line with its listing.
        var indexed: Int64?
        var compactedSize: Int64 = 0
        var indexFormat: Int64?
        /// No format-1 file was in `incidents/` when the journal was last in line with its listing
        /// (`indexed`): while the listing is unchanged, a write has nothing to convert.
        var noFormat1 = false
        /// git's index identity (`OpenSegments.stamp`) when a full look last found the cache
        /// current; while it and `incidents/` are unchanged, `list` looks at open incidents only.
        var quiet: String?
        /// The journal's size when `cache/ids` was last in line with it; nil: not in line.
        var idsAt: Int64?
        /// The journal's size when `cache/open` (the open incidents' records) was last in line.
        var openAt: Int64?
        /// Whether two records claimed one number when the map was made (or since).
        var collisions = true
        /// The highest number a record claims.
        var highest: Int64?
        /// git's index identity when it last held every file of the store (a full `git add`),
        /// carried across git's own index changes while the cache stayed trusted.
        var staged: String?
    }

    func readState() -> State {
        var state = State()
        guard
            let bytes =
                (try? FileSystem.read(cacheDirectory + "/state", limit: 4096, what: "cache state"))
                .flatMap({ $0 })
        else {
            return state
        }
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1)
            if parts.count == 2, parts[0] == "quiet" {
                state.quiet = String(parts[1])
                continue
            }
            if parts.count == 2, parts[0] == "staged" {
                state.staged = String(parts[1])
                continue
            }
            guard parts.count == 2, let value = Int64(parts[1]) else { continue }
            switch parts[0] {
            case "indexed": state.indexed = value
            case "compactedSize": state.compactedSize = value
            case "indexFormat": state.indexFormat = value
            case "noFormat1": state.noFormat1 = value == 1
            case "idsAt": state.idsAt = value
            case "openAt": state.openAt = value
            case "collisions": state.collisions = value == 1
            case "highest": state.highest = value
            default: break
            }
        }
        return state
    }

    func writeState(_ state: State) throws {
        var text = ""
        if let indexed = state.indexed { text += "indexed=\(indexed)\n" }
        text += "compactedSize=\(state.compactedSize)\n"
        text += "indexFormat=\(SummaryIndex.format)\n"
        if state.noFormat1 { text += "noFormat1=1\n" }
        if let idsAt = state.idsAt { text += "idsAt=\(idsAt)\n" }
        if let openAt = state.openAt { text += "openAt=\(openAt)\n" }
        text += "collisions=\(state.collisions ? 1 : 0)\n"
        if let highest = state.highest { text += "highest=\(highest)\n" }
        if let quiet = state.quiet, !quiet.contains("\n") { text += "quiet=\(quiet)\n" }
        if let staged = state.staged, !staged.contains("\n") { text += "staged=\(staged)\n" }
        try FileSystem.makeDirectory(cacheDirectory)
        try FileSystem.replace(
            directory: cacheDirectory, name: "state", with: Array(text.utf8), durable: false)
    }

    /// The cache journal's bytes, or nil when there is none or it can't be read (it is only a
    /// cache).
    func readIndex() -> [UInt8]? {
        (try? FileSystem.read(cacheDirectory + "/index", limit: 1 << 30, what: "a cache")).flatMap {
            $0
        }
    }

    /// True when `incidents/` can hold no format-1 file to convert: none was there when the cache
    /// last matched its listing, and the listing hasn't changed since (a file arriving changes it).
    /// Spares every write a listing of 10,000 names.
    func format1FilesImpossible() -> Bool {
        let state = readState()
        return state.noFormat1 && state.indexFormat == Int64(SummaryIndex.format)
            && state.indexed != nil
            && state.indexed == FileSystem.identity(incidentsDirectory)?.changedNanoseconds
    }

    /// Removes the temporary files a writer killed mid-write left behind (`.<name>.tmp`).
    func removeStrayTemporaryFiles(_ directory: String) {
        for (name, _) in FileSystem.list(directory)
        where name.hasPrefix(".") && name.hasSuffix(".tmp") {
            unlink(directory + "/" + name)
        }
    }
}
