import Dispatch
import Foundation
import Glibc
import Synchronization

/// The store's write lock: an exclusive `flock` on `lock`, held for one read-modify-write.
///
/// Readers never take it. A writer waits in the kernel's queue for the lock (a blocking `flock` on
/// a helper thread), not by polling: the kernel hands the lock on as soon as it is released, so
/// under load the waiters take turns instead of the quickest poller winning again and again. A
/// writer gives up when one process has held the lock for the whole timeout (while the lock changes
/// hands the wait goes on), and names that process, read from `/proc/locks`; the kernel releases it
/// when the holder exits, however it exits.
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
        return try body()
    }

    private func acquire(_ fd: Int32) throws {
        // Uncontended, the common case: no thread needed.
        if flock(fd, LOCK_EX | LOCK_NB) == 0 { return }
        guard errno == EWOULDBLOCK || errno == EINTR else { throw FileSystem.ioError(path, "lock") }
        // No timer signal to interrupt a blocking flock: signals are process-wide, may be blocked
        // by a parent, and a library must not take over SIGALRM. The helper thread blocks on its
        // own descriptor of the same open file (a lock taken through it is ours), and this thread
        // waits for it with a deadline.
        let helperFD = dup(fd)
        guard helperFD >= 0 else { throw FileSystem.ioError(path, "lock") }
        let waiter = LockWaiter()
        let thread = Thread { waiter.block(helperFD) }
        thread.stackSize = 64 * 1024
        thread.start()
        // The timeout is for a lock that is stuck, not for a queue that moves: each time the lock
        // changes hands, the wait starts over. Fifty writers queued behind one another all get
        // their turn; one holder that keeps the lock for the whole timeout is given up on, named.
        var holder = LockHolder.find(fd: fd)
        var deadline = Self.monotonicSeconds() + timeout
        // Never forever, though: a queue that never lets this writer through ends too.
        let limit = Self.monotonicSeconds() + timeout * Self.queueTimeoutFactor
        while true {
            let left = min(deadline, limit) - Self.monotonicSeconds()
            guard left > 0 else {
                switch waiter.abandon() {
                case .acquired: return
                case .failed(let code): throw FileSystem.ioError(path, "lock", code)
                case .timedOut:
                    throw StoreError.lockTimeout(
                        path: path, seconds: timeout, holder: LockHolder.find(fd: fd) ?? holder)
                }
            }
            if let outcome = waiter.wait(seconds: min(left, Self.holderCheckInterval)) {
                return try finish(outcome)
            }
            // Without /proc/locks there is no holder to see: then the timeout is simply the wait.
            if let current = LockHolder.find(fd: fd), current != holder {
                holder = current
                deadline = Self.monotonicSeconds() + timeout
            }
        }
    }

    private func finish(_ outcome: LockWaiter.Outcome) throws {
        switch outcome {
        case .acquired: return
        case .failed(let code): throw FileSystem.ioError(path, "lock", code)
        case .timedOut: throw StoreError.lockTimeout(path: path, seconds: timeout, holder: nil)
        }
    }

    /// How often a waiting writer looks at who holds the lock (`/proc/locks`, one small read).
    static let holderCheckInterval = 0.25
    /// However the lock changes hands, a writer waits at most this many timeouts in all.
    static let queueTimeoutFactor = 12.0

    static func monotonicSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
}

/// The hand-over between the thread that blocks in `flock` and the writer that waits for it with a
/// deadline. If the writer gives up first, the helper releases the lock the moment it gets it.
private final class LockWaiter: Sendable {
    enum Outcome: Sendable {
        case acquired
        case failed(Int32)
        case timedOut
    }
    private enum State {
        case waiting, acquired
        case failed(Int32)
        case abandoned
    }

    private let state = Mutex<State>(.waiting)
    private let done = DispatchSemaphore(value: 0)

    /// On the helper thread: block until the lock is ours, then hand it over or, if the writer has
    /// gone, release it. Owns and closes `fd`.
    func block(_ fd: Int32) {
        var code: Int32 = 0
        while flock(fd, LOCK_EX) != 0 {
            if errno == EINTR { continue }
            code = errno
            break
        }
        let handedOver = state.withLock { state -> Bool in
            guard case .waiting = state else { return false }
            state = code == 0 ? .acquired : .failed(code)
            return code == 0
        }
        // Handed over, the lock lives on in the writer's descriptor (the same open file) until it
        // unlocks; abandoned, it is released here, so a late grant never blocks anyone.
        if !handedOver, code == 0 { flock(fd, LOCK_UN) }
        close(fd)
        done.signal()
    }

    /// On the writer's thread: wait up to `seconds` for the helper; nil while it is still waiting.
    func wait(seconds: Double) -> Outcome? {
        if let outcome = settled() { return outcome }
        let nanoseconds = Int(min(max(seconds, 0), 86_400 * 365) * 1e9)
        guard done.wait(timeout: .now() + .nanoseconds(nanoseconds)) == .success else { return nil }
        return settled()
    }

    /// The helper's result, if it has one.
    private func settled() -> Outcome? {
        state.withLock { state in
            switch state {
            case .acquired: return .acquired
            case .failed(let code): return .failed(code)
            case .waiting, .abandoned: return nil
            }
        }
    }

    /// On the writer's thread: stop waiting. The helper may have got there first.
    func abandon() -> Outcome {
        state.withLock { state in
            switch state {
            case .acquired: return .acquired
            case .failed(let code): return .failed(code)
            case .waiting, .abandoned:
                state = .abandoned
                return .timedOut
            }
        }
    }
}
