import Foundation
import Glibc

/// The process that holds a `flock` on a file, as the kernel reports it in `/proc/locks`.
///
/// This is the actual holder at the moment of asking, not the last process that wrote its pid
/// somewhere (which may be long gone). Nil when the kernel doesn't say: no `/proc`, or a holder in
/// another pid namespace (reported as pid 0 or -1).
public struct LockHolder: Hashable, Sendable {
    public var pid: Int32
    /// The holder's command name (`/proc/<pid>/comm`), when it can be read.
    public var command: String?

    /// The holder of the exclusive `flock` on the file open as `fd`.
    static func find(fd: Int32) -> LockHolder? {
        var st = stat()
        guard fstat(fd, &st) == 0, let table = readSmallFile("/proc/locks") else { return nil }
        guard let pid = holderPID(in: table, device: UInt64(st.st_dev), inode: UInt64(st.st_ino))
        else { return nil }
        let command = readSmallFile("/proc/\(pid)/comm").map {
            $0.trimmingCharacters(in: .newlines)
        }
        return LockHolder(pid: pid, command: command.flatMap { $0.isEmpty ? nil : $0 })
    }

    /// The pid of the granted FLOCK lock on (device, inode) in the text of `/proc/locks`. Lines of
    /// waiters (`-> FLOCK …`) are skipped:
    ///
    ///     1: FLOCK  ADVISORY  WRITE 4242 fd:01:131090 0 EOF
    ///     1: -> FLOCK  ADVISORY  WRITE 4243 fd:01:131090 0 EOF
    static func holderPID(in table: String, device: UInt64, inode: UInt64) -> Int32? {
        // The kernel prints MAJOR:MINOR:INODE, the device numbers in hex (glibc's encoding of
        // dev_t).
        let major = ((device >> 8) & 0xFFF) | ((device >> 32) & ~UInt64(0xFFF))
        let minor = (device & 0xFF) | ((device >> 12) & ~UInt64(0xFF))
        for line in table.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 6, fields[1] == "FLOCK" else { continue }
            let device = fields[5].split(separator: ":")
            guard device.count == 3, UInt64(device[0], radix: 16) == major,
                UInt64(device[1], radix: 16) == minor,
                UInt64(device[2]) == inode, let pid = Int32(fields[4]), pid > 0
            else { continue }
            return pid
        }
        return nil
    }

    private static func readSmallFile(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16384)
        while bytes.count < 4 * 1024 * 1024 {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            if n <= 0 { break }
            bytes += chunk[0..<n]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
