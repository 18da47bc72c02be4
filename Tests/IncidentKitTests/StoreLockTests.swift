import Foundation
import Glibc
import Testing

@testable import IncidentKit

@Suite struct StoreLockTests {
    static let table = """
        1: POSIX  ADVISORY  WRITE 900 08:01:77 0 EOF
        2: FLOCK  ADVISORY  WRITE 4242 fd:01:131090 0 EOF
        2: -> FLOCK  ADVISORY  WRITE 4243 fd:01:131090 0 EOF
        3: FLOCK  ADVISORY  WRITE 5151 103:02:131090 0 EOF
        """

    @Test(arguments: [
        // (major, minor, inode) → the granted FLOCK's pid; waiters (->) and POSIX locks never
        // count.
        (UInt64(0xfd), UInt64(0x01), UInt64(131090), Int32?(4242)),
        (UInt64(0x103), UInt64(0x02), UInt64(131090), Int32?(5151)),
        (UInt64(0x08), UInt64(0x01), UInt64(77), Int32?.none),
        (UInt64(0xfd), UInt64(0x01), UInt64(1), Int32?.none),
    ])
    func holderIsTheGrantedFlockOnThatFile(major: UInt64, minor: UInt64, inode: UInt64, pid: Int32?)
    {
        // glibc's dev_t encoding: minor low 8 bits, major next 12, the rest above.
        let device =
            (minor & 0xFF) | ((major & 0xFFF) << 8) | ((minor & ~0xFF) << 12)
            | ((major & ~0xFFF) << 32)
        #expect(LockHolder.holderPID(in: Self.table, device: device, inode: inode) == pid)
    }

    /// A writer that gives up names the process holding the lock (this one, through another open
    /// file), and its abandoned wait never keeps the lock once the holder lets go.
    @Test func timeoutNamesTheHolderAndAnAbandonedWaitReleasesALateGrant() throws {
        let directory =
            FileManager.default.temporaryDirectory.path + "/irctl-lock-"
            + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/lock"
        let other = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        try #require(other >= 0)
        defer { close(other) }
        #expect(flock(other, LOCK_EX | LOCK_NB) == 0)

        let lock = StoreLock(path: path, timeout: 0.2)
        var ran = false
        let error = #expect(throws: StoreError.self) { try lock.withLock { ran = true } }
        #expect(!ran)
        guard case .lockTimeout(_, _, let holder) = error else {
            Issue.record("expected .lockTimeout, got \(String(describing: error))")
            return
        }
        #expect(holder?.pid == getpid())
        #expect(error?.message.contains("locked by process \(getpid())") == true)

        // Let go: the waiter left behind gets the lock and must hand it straight back.
        flock(other, LOCK_UN)
        var acquired = false
        for _ in 0..<200 where !acquired {
            do {
                try StoreLock(path: path, timeout: 0.05).withLock { acquired = true }
            } catch {}
        }
        #expect(acquired)
        // And nobody keeps it afterwards: every abandoned wait (one per failed try above) hands
        // its late grant straight back, so the lock ends up free.
        var free = false
        for _ in 0..<500 where !free {
            free = flock(other, LOCK_EX | LOCK_NB) == 0
            if !free { usleep(10_000) }
        }
        #expect(free)
    }
}
