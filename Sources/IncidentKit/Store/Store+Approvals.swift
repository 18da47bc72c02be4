/// Values from the shared configuration that run a program, approved by this clone one exact
/// value at a time (like direnv's `allow`): the digests are kept in `local/approved`, with this
/// clone's own state where git cannot write, so no push can approve anything for it.
extension Store {
    var approvalsPath: String { localDirectory + "/approved" }

    /// True when this clone approved the value with this SHA-256 digest (hex).
    public func isApproved(_ digest: String) -> Bool {
        String(decoding: approvals(), as: UTF8.self).split(separator: "\n")
            .contains { $0 == digest }
    }

    private func approvals() -> [UInt8] {
        let bytes = try? FileSystem.read(approvalsPath, limit: 1 << 20, what: "local state")
        return bytes.flatMap { $0 } ?? []
    }

    /// Records this clone's approval of the value with this digest.
    public func approve(_ digest: String) throws {
        try FileSystem.makeDirectory(root)
        try lock.withLock {
            _ = movePrivateState()
            guard !isApproved(digest) else { return }
            let bytes = approvals() + Array((digest + "\n").utf8)
            try FileSystem.makeDirectory(localDirectory)
            try FileSystem.replace(directory: localDirectory, name: "approved", with: bytes)
        }
    }
}
