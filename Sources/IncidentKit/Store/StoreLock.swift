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
        if flock(fd, LOCK_EX | LOCK_NB) == 0 { return }
        guard errno == EWOULDBLOCK else { throw FileSystem.ioError(path, "lock") }
        // Block in the kernel (its queue is fairer than polling) with a repeating timer that
        // interrupts the wait so the deadline is checked even if a tick is missed.
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        var previous = sigaction()
        sigaction(SIGALRM, &action, &previous)
        // A parent may have left SIGALRM blocked (Foundation's Process passes its mask on): the tick
        // would never interrupt flock and the timeout would never fire.
        var alarm = sigset_t()
        sigemptyset(&alarm)
        sigaddset(&alarm, SIGALRM)
        var previousMask = sigset_t()
        pthread_sigmask(SIG_UNBLOCK, &alarm, &previousMask)
        defer { pthread_sigmask(SIG_SETMASK, &previousMask, nil) }
        var tick = itimerval(it_interval: timeval(tv_sec: 0, tv_usec: 50_000), it_value: timeval(tv_sec: 0, tv_usec: 50_000))
        setitimer(__itimer_which_t(ITIMER_REAL.rawValue), &tick, nil)
        defer {
            var off = itimerval()
            setitimer(__itimer_which_t(ITIMER_REAL.rawValue), &off, nil)
            sigaction(SIGALRM, &previous, nil)
        }
        let deadline = Self.monotonicSeconds() + timeout
        while true {
            if flock(fd, LOCK_EX) == 0 { return }
            guard errno == EINTR else { throw FileSystem.ioError(path, "lock") }
            if Self.monotonicSeconds() >= deadline {
                throw StoreError.lockTimeout(path: path, seconds: timeout, holder: holder(fd))
            }
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
