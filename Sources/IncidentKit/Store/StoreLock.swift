import Foundation
import Glibc

/// The store's write lock: an exclusive `flock` on `lock`, held for one read-modify-write.
///
/// Readers never take it. A writer that can't get it within the timeout says which process may hold
/// it rather than hanging; the kernel releases it when the holder exits, however it exits.
struct StoreLock {
    let path: String
    let timeout: Double

    func withLock<T>(_ body: () throws -> T) throws -> T {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else {
            if errno == ELOOP { throw StoreError.symlinkRefused(path: path) }
            throw FileSystem.ioError(path, "open the lock file")
        }
        defer { close(fd) }
        fchmod(fd, 0o600)
        try acquire(fd)
        defer { flock(fd, LOCK_UN) }
        // Say who holds it, for the message a waiting writer gives.
        let pid = "\(getpid())\n"
        ftruncate(fd, 0)
        _ = pid.withCString { pwrite(fd, $0, strlen($0), 0) }
        return try body()
    }

    private func acquire(_ fd: Int32) throws {
        // Poll with a short, jittered, capped backoff rather than blocking in flock with a timer
        // signal: signals are process-wide, may land on another thread, and may be blocked by a
        // parent, and a library must not take over SIGALRM. A write holds the lock a few ms, so a
        // waiter retries within that time of its release.
        let deadline = Self.monotonicSeconds() + timeout
        var pause = 0.0005
        while true {
            if flock(fd, LOCK_EX | LOCK_NB) == 0 { return }
            guard errno == EWOULDBLOCK || errno == EINTR else { throw FileSystem.ioError(path, "lock") }
            if Self.monotonicSeconds() >= deadline {
                throw StoreError.lockTimeout(path: path, seconds: timeout, holder: holder(fd))
            }
            let sleep = pause * Double.random(in: 0.5...1.5)
            var request = timespec(tv_sec: 0, tv_nsec: Int(sleep * 1e9))
            nanosleep(&request, nil)
            pause = min(pause * 2, 0.008)
        }
    }

    private func holder(_ fd: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let n = pread(fd, &buffer, 31, 0)
        guard n > 0 else { return nil }
        let text = String(decoding: buffer[0..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return Int32(text)
    }

    static func monotonicSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
}
