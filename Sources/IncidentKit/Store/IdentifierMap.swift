import Glibc

/// `cache/ids`: which incident claims each number, one fixed-width slot per number, so that a
/// command on one incident finds it, and `declare` the next number, without reading the whole
/// summary journal (32 MB at 100,000 incidents). Slot n starts at byte (n − 1) × 65: the uid,
/// padded with spaces, then a newline; blank when no incident claims n, `*` when the slot can't
/// answer alone (two claims, or an incident still in a format-1 file): the full lookup decides.
/// Rebuilt with the journal and kept in line by every write; the cache state says when it is.
enum IdentifierMap {
    static let width = 65
    static let undecided = "*"

    /// The uid in slot `number`, nil when the slot is blank, undecided or past the end.
    static func lookup(_ path: String, number: Int) -> String? {
        guard number >= 1, number <= IncidentID.maxNumber else { return nil }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var slot = [UInt8](repeating: 0, count: width)
        let count = slot.withUnsafeMutableBytes {
            pread(fd, $0.baseAddress, width, off_t((number - 1) * width))
        }
        guard count == width, slot[width - 1] == 0x0A else { return nil }
        let uid = String(decoding: slot[0..<(width - 1)], as: UTF8.self).trimmingSpaces()
        return uid.isEmpty || uid == undecided ? nil : uid
    }

    /// Writes the whole map: `slots` by number.
    static func write(_ directory: String, slots: [Int: String]) throws {
        let highest = slots.keys.max() ?? 0
        var bytes = [UInt8](repeating: 0x20, count: highest * width)
        for n in stride(from: width - 1, to: bytes.count, by: width) { bytes[n] = 0x0A }
        for (number, uid) in slots where number >= 1 && uid.utf8.count < width {
            let start = (number - 1) * width
            bytes.replaceSubrange(start..<(start + uid.utf8.count), with: uid.utf8)
        }
        _ = try FileSystem.replace(directory: directory, name: "ids", with: bytes, durable: false)
    }

    /// Puts `uid` in slot `number`; returns false when another uid held it (the slot is marked
    /// undecided then) or the map could not be written.
    static func set(_ path: String, number: Int, uid: String) -> Bool {
        guard number >= 1, number <= IncidentID.maxNumber, uid.utf8.count < width else {
            return false
        }
        let held = lookupRaw(path, number: number)
        let value = held.isEmpty || held == uid ? uid : undecided
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        // Slots between the end of the file and this one read as blank: a hole reads as zeros,
        // so they are written out.
        var end = stat()
        guard fstat(fd, &end) == 0 else { return false }
        let offset = (number - 1) * width
        if Int(end.st_size) < offset {
            var gap = [UInt8](repeating: 0x20, count: offset - Int(end.st_size))
            for n in stride(from: width - 1, to: gap.count, by: width) { gap[n] = 0x0A }
            let wrote = gap.withUnsafeBytes {
                pwrite(fd, $0.baseAddress, gap.count, off_t(end.st_size))
            }
            guard wrote == gap.count else { return false }
        }
        var slot =
            Array(value.utf8) + [UInt8](repeating: 0x20, count: width - 1 - value.utf8.count) + [
                0x0A
            ]
        let wrote = slot.withUnsafeMutableBytes { pwrite(fd, $0.baseAddress, width, off_t(offset)) }
        return wrote == width && value == uid
    }

    private static func lookupRaw(_ path: String, number: Int) -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return "" }
        defer { close(fd) }
        var slot = [UInt8](repeating: 0, count: width)
        let count = slot.withUnsafeMutableBytes {
            pread(fd, $0.baseAddress, width, off_t((number - 1) * width))
        }
        guard count == width else { return "" }
        return String(decoding: slot[0..<(width - 1)], as: UTF8.self).trimmingSpaces()
    }
}

extension String {
    fileprivate func trimmingSpaces() -> String {
        var view = Substring(self)
        while view.last == " " || view.last == "\0" { view = view.dropLast() }
        return String(view)
    }
}
